"""Managing a group or channel beyond what the core offers: its photo and its invite link."""

from __future__ import annotations

import secrets

from django.db import transaction

from accounts.models import User
from core import media
from messaging.models import Chat
from messaging.services.members import admin_membership
from messaging.services.publishing import chat_changed


@transaction.atomic
def set_chat_photo(*, by: User, chat: Chat, upload) -> Chat:
    """An admin gives the chat a photo (re-encoded, EXIF gone); the old one is deleted."""
    admin_membership(by, chat)
    old = chat.avatar.name if chat.avatar else ""
    chat.avatar.name = media.save_image(upload, folder="chat-avatars", max_side=512, square=True)
    chat.save(update_fields=["avatar"])
    if old:
        transaction.on_commit(lambda: media.delete(old))
    chat_changed(chat)
    return chat


@transaction.atomic
def reset_invite(*, by: User, chat: Chat) -> Chat:
    """A new invite link; the old one stops working."""
    admin_membership(by, chat)
    chat.invite_code = secrets.token_urlsafe(12)
    chat.save(update_fields=["invite_code"])
    return chat
