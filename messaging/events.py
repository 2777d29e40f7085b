"""The shapes of messaging events sent to browsers, written once.

A message event carries the bubble as HTML rendered by the same partial the page uses, once per
language among its recipients; the tab marks its own bubbles by `sender_id`. Every shape is
registered with `core.events`, so `core.realtime.publish` can check what is sent against it; the
member's event sequence `seq` is added by realtime, not here.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from django.template.loader import render_to_string
from django.utils import translation

from core.events import register
from messaging.models import Message

MessageKind = Literal["message.created", "message.updated"]


@register
class MessageEvent(TypedDict):
    type: MessageKind
    chat_id: int
    message_id: int
    # The message's place in its chat (`seq` is the member's event sequence, set by realtime).
    chat_seq: int
    sender_id: int | None
    client_id: str
    html: str


def render_message(message: Message, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "messaging/partials/_message.html", {"message": message, "live": True}
        )


def message_event(kind: MessageKind, message: Message, language: str) -> MessageEvent:
    return {
        "type": kind,
        "chat_id": message.chat_id,
        "message_id": message.pk,
        "chat_seq": message.seq,
        "sender_id": message.sender_id,
        "client_id": message.client_id,
        "html": render_message(message, language),
    }


@register
class MessageHidden(TypedDict):
    type: Literal["message.hidden"]
    chat_id: int
    message_id: int


def message_hidden(*, chat_id: int, message_id: int) -> MessageHidden:
    """'Delete for me': the member's own tabs take the bubble away."""
    return {"type": "message.hidden", "chat_id": chat_id, "message_id": message_id}


@register
class ChatRead(TypedDict):
    type: Literal["chat.read"]
    chat_id: int
    user_id: int
    read_seq: int


def chat_read(*, chat_id: int, user_id: int, read_seq: int) -> ChatRead:
    return {"type": "chat.read", "chat_id": chat_id, "user_id": user_id, "read_seq": read_seq}


@register
class ChatDelivered(TypedDict):
    type: Literal["chat.delivered"]
    chat_id: int
    user_id: int
    delivered_seq: int


def chat_delivered(*, chat_id: int, user_id: int, delivered_seq: int) -> ChatDelivered:
    return {
        "type": "chat.delivered",
        "chat_id": chat_id,
        "user_id": user_id,
        "delivered_seq": delivered_seq,
    }


@register
class Typing(TypedDict):
    type: Literal["chat.typing"]
    chat_id: int
    user_id: int
    name: str


def typing(*, chat_id: int, user_id: int, name: str) -> Typing:
    return {"type": "chat.typing", "chat_id": chat_id, "user_id": user_id, "name": name}


@register
class ChatChanged(TypedDict):
    type: Literal["chat.changed"]
    chat_id: int


def chat_changed(*, chat_id: int) -> ChatChanged:
    """Title, members, pin or draft changed: tabs showing the chat or the list refresh it."""
    return {"type": "chat.changed", "chat_id": chat_id}


@register
class ChatRemoved(TypedDict):
    type: Literal["chat.removed"]
    chat_id: int


def chat_removed(*, chat_id: int) -> ChatRemoved:
    return {"type": "chat.removed", "chat_id": chat_id}


@register
class FoldersChanged(TypedDict):
    type: Literal["folders.changed"]


def folders_changed() -> FoldersChanged:
    """The member's folders changed: the chat list's tabs refresh."""
    return {"type": "folders.changed"}


@register
class VoiceListened(TypedDict):
    type: Literal["voice.listened"]
    chat_id: int
    message_id: int
    user_id: int


def voice_listened(*, chat_id: int, message_id: int, user_id: int) -> VoiceListened:
    """A member played a voice message for the first time: the sender's dot goes."""
    return {
        "type": "voice.listened",
        "chat_id": chat_id,
        "message_id": message_id,
        "user_id": user_id,
    }
