"""Sharing a post into one of the member's chats (the chat picker is converted at the merge)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from core.errors import Refused
from core.responses import refusal
from feed import rendering, selectors, services
from feed.views.posts import int_or as _int
from messaging import selectors as messaging_selectors


def _refuse(request, message: str, status: int = 400):
    # The view below still catches messaging's own error; it goes when share is converted.
    return refusal(request, Refused(message, status=status))


@login_required
def share(request, post_id: int):
    """Choose one of my chats; the post goes there as a message with a link card."""
    post = selectors.post_for(request.user, post_id)
    if request.method == "POST":
        chat = messaging_selectors.chat_for(request.user, _int(request.POST.get("chat"), 0))
        from messaging.services import MessagingError

        try:
            services.share_to_chat(
                user=request.user,
                post=post,
                chat=chat,
                client_id=request.POST.get("client_id", ""),
                url=request.build_absolute_uri(post.get_absolute_url()),
            )
        except MessagingError as refused:
            return _refuse(request, refused.message, getattr(refused, "status", 403))
        return redirect(chat)
    rows = [
        row for row in messaging_selectors.inbox(request.user) if row.may_post and row.chat_id != 0
    ]
    rendering.prepare([post])
    return render(request, "feed/share.html", {"post": post, "rows": rows})
