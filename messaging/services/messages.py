"""Messages: sending (once per client id), forwarding, editing, deleting, reacting, pinning."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as accounts_selectors
from accounts.models import User
from core import media, realtime
from core.errors import Invalid, Refused
from core.text import search_key
from core.uploads import check_client_id
from messaging import events, hooks, selectors
from messaging.models import Attachment, Chat, HiddenMessage, Membership, Message, Reaction
from messaging.services.members import admin_membership
from messaging.services.publishing import chat_changed, publish_message, store

MAX_TEXT = 4096


def check_may_post(membership: Membership) -> None:
    """Refused unless the member may write in this chat now (role, the peer, blocks)."""
    chat = membership.chat
    if not membership.may_post:
        raise Refused(_("Only the channel's admins can post here."))
    if chat.kind == Chat.Kind.DIRECT:
        # Only whether the peer is still here and unblocked: no presence to annotate.
        peer = selectors.peer_of(membership, annotated=False)
        if peer is None or not peer.is_active:
            raise Refused(_("This member has left the family."))
        if accounts_selectors.is_blocked_between(membership.user, peer):
            raise Refused(_("You cannot write to this member."))


def _too_long() -> Invalid:
    return Invalid(_("The message is too long: at most %(n)d characters.") % {"n": MAX_TEXT})


def send_message(
    *,
    sender: User,
    chat: Chat,
    client_id: str,
    text: str = "",
    reply_to: Message | None = None,
    forwarded_from_name: str = "",
    attach: Callable[[Message], None] | None = None,
) -> tuple[Message, bool]:
    """Store a message once per (sender, client_id) and tell the chat's members.

    Returns (message, created). A retry with the same client id returns the stored message and
    publishes nothing again. `attach(message)` stores attachments inside the same transaction.
    """
    check_client_id(client_id, _("The message has no valid id."))
    existing = Message.objects.filter(sender=sender, client_id=client_id).first()
    if existing is not None:
        if existing.chat_id != chat.pk:
            raise Invalid(_("The message has no valid id."))
        return existing, False
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise _too_long()
    if not text and attach is None:
        raise Invalid(_("The message is empty."))
    if reply_to is not None and reply_to.chat_id != chat.pk:
        raise Refused(_("You can only reply to a message of this chat."))
    try:
        with transaction.atomic():
            membership = selectors.membership_for(sender, chat.pk)
            check_may_post(membership)
            message = store(
                chat,
                Message(
                    chat=chat,
                    sender=sender,
                    client_id=client_id,
                    text=text,
                    reply_to=reply_to,
                    forwarded_from_name=forwarded_from_name[:80],
                ),
            )
            if attach is not None:
                attach(message)
            # The sender has read their own message.
            Membership.objects.filter(pk=membership.pk).update(
                last_read_seq=message.seq,
                last_delivered_seq=message.seq,
                draft="",
                draft_updated_at=timezone.now(),
                archived=False,
            )
            publish_message("message.created", message)
            hooks.message_sent(message.pk)
    except IntegrityError:
        # The same client id raced in from another request: that one is the message.
        existing = Message.objects.filter(sender=sender, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    return message, True


def _forward_content(message: Message) -> Callable[[Message], None] | None:
    """Copy what a message carries besides text: its sticker, photos, files or voice.

    The copies point at the same stored files; each chat's members read them through their own
    attachment rows (messaging.apps), so nothing is duplicated on disk.
    """
    originals = list(message.attachments.all())
    sticker = message.sticker

    def attach(copy: Message) -> None:
        if sticker is not None:
            copy.sticker = sticker
            Message.objects.filter(pk=copy.pk).update(sticker=sticker)
        Attachment.objects.bulk_create(
            Attachment(
                message=copy,
                kind=original.kind,
                file=original.file,
                preview=original.preview,
                name=original.name,
                size=original.size,
                content_type=original.content_type,
                width=original.width,
                height=original.height,
                position=original.position,
                duration=original.duration,
                waveform=original.waveform,
            )
            for original in originals
        )

    return attach if sticker is not None or originals else None


@transaction.atomic
def forward_message(*, user: User, message: Message, to_chat: Chat, client_id: str) -> Message:
    """Send a copy of a message I can see to another chat of mine, marked 'forwarded from'."""
    if message.is_deleted or message.kind != Message.Kind.TEXT:
        raise Refused(_("This message cannot be forwarded."))
    origin = message.forwarded_from_name or (message.sender.name if message.sender else "")
    forwarded, _created = send_message(
        sender=user,
        chat=to_chat,
        client_id=client_id,
        text=message.text,
        forwarded_from_name=origin,
        attach=_forward_content(message),
    )
    return forwarded


@transaction.atomic
def edit_message(*, user: User, message: Message, text: str) -> Message:
    """The sender corrects their text; everyone sees the new text, marked 'edited'."""
    if message.sender_id != user.pk or message.is_deleted or message.kind != Message.Kind.TEXT:
        raise Refused(_("You can only edit your own messages."))
    if message.sticker_id:
        raise Refused(_("A sticker cannot be edited."))
    text = (text or "").strip()
    if not text and not message.attachments.exists():
        raise Invalid(_("The message is empty."))
    if len(text) > MAX_TEXT:
        raise _too_long()
    if text == message.text:
        return message
    message.text = text
    message.search_text = search_key(text)
    message.edited_at = timezone.now()
    message.save(update_fields=["text", "search_text", "edited_at"])
    publish_message("message.updated", message)
    return message


@transaction.atomic
def delete_message(*, user: User, message: Message, for_everyone: bool) -> None:
    """Delete for me (hidden from me only) or for everyone (sender, or a group admin)."""
    if not for_everyone:
        HiddenMessage.objects.get_or_create(user=user, message=message)
        realtime.publish(
            [user.pk], events.message_hidden(chat_id=message.chat_id, message_id=message.pk)
        )
        return
    if message.sender_id != user.pk:
        membership = Membership.objects.active().filter(chat_id=message.chat_id, user=user).first()
        if membership is None or not (message.chat.has_roles and membership.is_admin):
            raise Refused(_("You can only delete your own messages for everyone."))
    if message.is_deleted:
        return
    message.deleted_at = timezone.now()
    message.text = ""
    message.search_text = ""
    message.pinned_at = None
    message.save(update_fields=["deleted_at", "text", "search_text", "pinned_at"])
    for attachment in message.attachments.all():
        media.delete(attachment.file)
        media.delete(attachment.preview)
    message.attachments.all().delete()
    message.reactions.all().delete()
    publish_message("message.updated", message)


@transaction.atomic
def toggle_reaction(*, user: User, message: Message, icon: str) -> bool:
    """Add my reaction with this icon, or take it back; returns whether it is on now."""
    if icon not in Reaction.Icon.values:
        raise Invalid(_("Unknown reaction."))
    if message.is_deleted or message.kind != Message.Kind.TEXT:
        raise Refused(_("You cannot react to this message."))
    deleted, _rows = Reaction.objects.filter(message=message, user=user, icon=icon).delete()
    if not deleted:
        Reaction.objects.create(message=message, user=user, icon=icon)
    publish_message("message.updated", message)
    return not deleted


@transaction.atomic
def set_pinned(*, user: User, message: Message, pinned: bool) -> Message:
    """Pin a message on top of the chat (admins in groups and channels, anyone elsewhere)."""
    chat = message.chat
    if chat.has_roles:
        admin_membership(user, chat)
    if message.is_deleted:
        raise Refused(_("This message was deleted."))
    message.pinned_at = timezone.now() if pinned else None
    message.save(update_fields=["pinned_at"])
    publish_message("message.updated", message)
    chat_changed(chat)
    return message


# --- Typing (ephemeral, over the websocket) ---------------------------------------------------
def typing(user: User, frame) -> None:
    """A member is typing in a chat: tell the others' open tabs (never stored)."""
    chat_id = frame.get("chat_id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return
    membership = (
        Membership.objects.active()
        .filter(user=user, chat_id=chat_id)
        .select_related("chat")
        .first()
    )
    if membership is None or not membership.may_post:
        return
    others = [uid for uid in selectors.member_ids(membership.chat) if uid != user.pk]
    realtime.publish(
        others, events.typing(chat_id=chat_id, user_id=user.pk, name=user.name), durable=False
    )
