"""How a change reaches a chat's members: a message takes the chat's next place and goes to every
tab (per language, the sender's other tabs too); a changed chat tells tabs to refresh it."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings

from accounts.models import User
from core import realtime
from core.text import search_key
from messaging import events, selectors
from messaging.models import Chat, Message


def _languages(user_ids: Iterable[int]) -> dict[str, list[int]]:
    by_language: dict[str, list[int]] = defaultdict(list)
    for uid, language in User.objects.filter(pk__in=list(user_ids)).values_list("pk", "language"):
        by_language[language or settings.LANGUAGE_CODE].append(uid)
    return by_language


def publish_message(
    kind: events.MessageKind, message: Message, user_ids: Iterable[int] | None = None
) -> None:
    """Send the bubble to every member's tabs (the sender's other tabs too), per language.

    The bubble is rendered after commit, off the request path (core.realtime.defer), for the
    chat's members at that moment unless `user_ids` names who gets it.
    """
    ids = list(user_ids) if user_ids is not None else None
    message_id = message.pk
    realtime.defer(lambda: _publish_now(kind, message_id, ids))


def _publish_now(kind: events.MessageKind, message_id: int, ids: list[int] | None) -> None:
    message = selectors.with_everything(Message.objects.filter(pk=message_id)).first()
    if message is None:  # deleted for good before its turn came
        return
    if ids is None:
        ids = selectors.member_ids(message.chat)
    for language, uids in _languages(ids).items():
        realtime.publish(uids, events.message_event(kind, message, language))


def chat_changed(chat: Chat, user_ids: Iterable[int] | None = None) -> None:
    """Title, members, photo or pins changed: the members' tabs refresh the chat and the list."""
    ids = list(user_ids) if user_ids is not None else selectors.member_ids(chat)
    realtime.publish(ids, events.chat_changed(chat_id=chat.pk))


def _next_seq(chat: Chat) -> int:
    """Take the chat's next sequence number under the chat's row lock."""
    locked = Chat.objects.select_for_update().only("last_seq").get(pk=chat.pk)
    seq = locked.last_seq + 1
    Chat.objects.filter(pk=chat.pk).update(last_seq=seq)
    chat.last_seq = seq
    return seq


def store(chat: Chat, message: Message) -> Message:
    """Save a new message at the chat's next place and make it the chat's last message."""
    message.seq = _next_seq(chat)
    message.search_text = search_key(message.text)
    message.save()
    Chat.objects.filter(pk=chat.pk).update(
        last_message=message, last_activity_at=message.created_at
    )
    return message


def system_message(chat: Chat, actor: User, text: str) -> Message:
    """A line by the chat itself ('Anna joined', a call's outcome) that every member sees."""
    message = store(
        chat,
        Message(
            chat=chat,
            sender=None,
            client_id=f"system-{secrets.token_hex(8)}",
            kind=Message.Kind.SYSTEM,
            text=text,
        ),
    )
    publish_message("message.created", message)
    return message
