"""Sharing a post into one of the member's chats, through the one chat picker."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from feed import rendering, selectors, services
from feed.views.posts import int_or as _int
from messaging import selectors as messaging_selectors


@login_required
def share(request, post_id: int):
    """Choose one of my chats; the post goes there as a message with a link card."""
    post = selectors.post_for(request.user, post_id)
    if request.method == "POST":
        chat = messaging_selectors.chat_for(request.user, _int(request.POST.get("chat"), 0))
        services.share_to_chat(
            user=request.user,
            post=post,
            chat=chat,
            client_id=request.POST.get("client_id", ""),
            url=request.build_absolute_uri(post.get_absolute_url()),
        )
        return redirect(chat)
    rendering.prepare([post])
    return render(
        request,
        "feed/share.html",
        {
            "post": post,
            "rows": messaging_selectors.chats_i_may_post_in(request.user),
            "client_id_prefix": f"share-{post.pk}",
        },
    )
