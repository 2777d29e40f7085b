"""Chats over HTTP: the list, a chat, and every write a tab makes (sending included).

Writes answer with the HTML the page swaps in (the same partials as the websocket events). A
refused write raises `core.errors.Refused` (or `Invalid`) and is answered by
`core.middleware.RefusalMiddleware`: JSON `{"error": ...}` with its status to the page's scripts.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as accounts_selectors
from accounts.selectors import mention_links
from core import text as core_text
from core.errors import Invalid, Refused
from messaging import selectors, services
from messaging.models import Message, Reaction
from messaging.services import attachments, voice
from messaging.views.inbox import inbox_tabs


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_GET
def index(request):
    """The chat list (pinned first, then by last activity), or the archive."""
    services.join_family_chat(user=request.user)
    archived = request.GET.get("archived") == "1"
    rows = selectors.inbox(request.user, archived=archived)
    context = {"rows": rows, "archived": archived, **inbox_tabs(request, rows, archived)}
    if request.htmx and request.GET.get("partial") == "list":
        return render(request, "messaging/partials/_inbox.html", context)
    return render(request, "messaging/index.html", context)


def prepare_text(messages) -> None:
    """Render a page of messages' text at once: all their @mentions cost one query."""
    mention_url = mention_links(message.text for message in messages)
    for message in messages:
        message.text_html = core_text.render(message.text, mention_url=mention_url)


@login_required
@require_GET
def chat(request, chat_id: int):
    """One chat: history around the first unread message, the composer with my draft."""
    membership = selectors.membership_for(request.user, chat_id)
    # ?at=<message id> (a search result) opens the history around that message.
    at = _int(request.GET.get("at"))
    target = Message.objects.visible_to(membership).filter(pk=at).first() if at else None
    if target is not None:
        page, has_more, _newer = selectors.page_around(membership, target.seq)
    else:
        page, has_more = selectors.page_around_first_unread(membership)
    prepare_text(page)
    peer_read_seq, peer_delivered_seq = selectors.peer_marks(membership)
    context = {
        "chat": membership.chat,
        "membership": membership,
        "peer_read_seq": peer_read_seq,
        "peer_delivered_seq": peer_delivered_seq,
        # Not "messages": base.html shows Django's messages (toasts) under that name.
        "history": page,
        "has_more": has_more,
        "peer": selectors.peer_of(membership),
        "first_unread_seq": membership.last_read_seq + 1,
        "reactions": Reaction.Icon.choices,
        "member_count": len(selectors.member_ids(membership.chat)),
        "pinned": selectors.pinned_message(membership),
    }
    return render(request, "messaging/chat.html", context)


@login_required
@require_GET
def history(request, chat_id: int):
    """Older messages (`before`) or what a tab missed (`after`), as bubbles."""
    membership = selectors.membership_for(request.user, chat_id)
    after = _int(request.GET.get("after"))
    if after is not None:
        page, has_more = selectors.page_after(membership, max(after, 0))
        direction = "after"
    else:
        page, has_more = selectors.page_before(membership, _int(request.GET.get("before")))
        direction = "before"
    prepare_text(page)
    response = render(
        request,
        "messaging/partials/_messages.html",
        {"messages": page, "chat": membership.chat, "membership": membership},
    )
    response["X-Has-More"] = "1" if has_more else "0"
    response["X-Direction"] = direction
    return response


@login_required
@require_POST
def send(request, chat_id: int):
    """Store a message (once per client id) and answer with its bubble."""
    chat = selectors.chat_for(request.user, chat_id)
    reply_to = None
    reply_id = _int(request.POST.get("reply_to"))
    if reply_id:
        reply_to = Message.objects.filter(pk=reply_id, chat=chat).first()
        if reply_to is None:
            raise Refused(_("You can only reply to a message of this chat."), status=404)
    message, created = attachments.send_with_files(
        sender=request.user,
        chat=chat,
        client_id=request.POST.get("client_id", ""),
        text=request.POST.get("text", ""),
        reply_to=reply_to,
        files=request.FILES.getlist("files"),
        recording=request.FILES.get("voice"),
    )
    message = selectors.with_everything(Message.objects.filter(pk=message.pk)).get()
    response = render(
        request, "messaging/partials/_message.html", {"message": message, "chat": chat}
    )
    response.status_code = 201 if created else 200
    response["X-Message-Id"] = str(message.pk)
    response["X-Chat-Seq"] = str(message.seq)
    return response


@login_required
@require_POST
def read(request, chat_id: int):
    chat = selectors.chat_for(request.user, chat_id)
    seq = _int(request.POST.get("seq"))
    if seq is None or seq < 0:
        raise Invalid(_("Nothing to mark."))
    return JsonResponse({"read_seq": services.mark_read(user=request.user, chat=chat, seq=seq)})


@login_required
@require_POST
def delivered(request, chat_id: int):
    chat = selectors.chat_for(request.user, chat_id)
    seq = _int(request.POST.get("seq"))
    if seq is None or seq < 0:
        raise Invalid(_("Nothing to mark."))
    services.mark_delivered(user=request.user, chat=chat, seq=seq)
    return HttpResponse(status=204)


@login_required
@require_POST
def draft(request, chat_id: int):
    chat = selectors.chat_for(request.user, chat_id)
    services.save_draft(user=request.user, chat=chat, text=request.POST.get("text", ""))
    return HttpResponse(status=204)


@login_required
@require_POST
def chat_settings(request, chat_id: int):
    """Mute, pin in the list, archive: my own view of a chat."""
    chat = selectors.chat_for(request.user, chat_id)
    action = request.POST.get("action")
    if action == "mute":
        services.set_muted(user=request.user, chat=chat, duration=request.POST.get("for", ""))
    elif action in ("pin", "unpin"):
        services.set_chat_pinned(user=request.user, chat=chat, pinned=action == "pin")
    elif action in ("archive", "unarchive"):
        services.set_archived(user=request.user, chat=chat, archived=action == "archive")
    else:
        raise Invalid(_("Unknown action."))
    if request.htmx:
        return HttpResponse(status=204)
    return redirect(request.POST.get("next") or "messaging:index")


@login_required
@require_POST
def open_direct(request, member_id: int):
    """Start (or open) the direct chat with a member."""
    other = accounts_selectors.member_for(request.user, member_id)
    chat = services.direct_chat(user=request.user, other=other)
    return redirect(chat)


@login_required
def open_saved(request):
    return redirect(services.saved_chat(user=request.user))


# --- One message ---------------------------------------------------------------------------------
def _bubble(request, message: Message) -> HttpResponse:
    message = selectors.with_everything(Message.objects.filter(pk=message.pk)).get()
    return render(request, "messaging/partials/_message.html", {"message": message})


@login_required
@require_POST
def edit_message(request, message_id: int):
    message = selectors.message_for(request.user, message_id)
    services.edit_message(user=request.user, message=message, text=request.POST.get("text", ""))
    return _bubble(request, message)


@login_required
@require_POST
def delete_message(request, message_id: int):
    message = selectors.message_for(request.user, message_id)
    services.delete_message(
        user=request.user,
        message=message,
        for_everyone=request.POST.get("for") == "everyone",
    )
    return HttpResponse(status=204)


@login_required
@require_POST
def react(request, message_id: int):
    message = selectors.message_for(request.user, message_id)
    services.toggle_reaction(user=request.user, message=message, icon=request.POST.get("icon", ""))
    return _bubble(request, message)


@login_required
@require_POST
def pin_message(request, message_id: int):
    message = selectors.message_for(request.user, message_id)
    services.set_pinned(
        user=request.user, message=message, pinned=request.POST.get("pinned") != "0"
    )
    return _bubble(request, message)


@login_required
def forward_message(request, message_id: int):
    """Choose a chat, then the copy goes there (with 'forwarded from')."""
    message = selectors.message_for(request.user, message_id)
    if request.method == "POST":
        to_chat = selectors.chat_for(request.user, _int(request.POST.get("chat"), 0))
        services.forward_message(
            user=request.user,
            message=message,
            to_chat=to_chat,
            client_id=request.POST.get("client_id", ""),
        )
        return redirect(to_chat)
    return render(
        request,
        "messaging/forward.html",
        {
            "message": message,
            "rows": selectors.chats_i_may_post_in(request.user),
            "client_id_prefix": f"fwd-{message.pk}",
        },
    )


@login_required
@require_GET
def readers(request, message_id: int):
    message = selectors.message_for(request.user, message_id)
    return render(
        request,
        "messaging/partials/_readers.html",
        {"message": message, "people": selectors.read_by(message).order_by("display_name")},
    )


@login_required
@require_POST
def voice_listened(request, message_id: int):
    """I played a voice message: its unplayed dot goes, for me and for its sender."""
    message = selectors.message_for(request.user, message_id)
    voice.mark_listened(user=request.user, message=message)
    return HttpResponse(status=204)
