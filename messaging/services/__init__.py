"""Every write of messaging: one function per use case, permission first, events after commit."""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import selectors as accounts_selectors
from accounts.models import User
from core import media, realtime
from core.text import search_key
from messaging import events, hooks, selectors
from messaging.models import Attachment, Chat, HiddenMessage, Membership, Message, Reaction

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_TEXT = 4096
EDIT_WINDOW = timedelta(days=2)


class MessagingError(PermissionDenied):
    """A write the member may not make; the message is shown to them as it is."""

    status = 403

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = str(message)


class BadRequest(MessagingError):
    """Malformed input (a missing client id, an unknown reaction): nothing was stored."""

    status = 400


# --- Publishing ----------------------------------------------------------------------------------
def _languages(user_ids: Iterable[int]) -> dict[str, list[int]]:
    by_language: dict[str, list[int]] = defaultdict(list)
    for uid, language in User.objects.filter(pk__in=list(user_ids)).values_list("pk", "language"):
        by_language[language or settings.LANGUAGE_CODE].append(uid)
    return by_language


def publish_message(kind: str, message: Message, user_ids: Iterable[int] | None = None) -> None:
    """Send the bubble to every member's tabs (the sender's other tabs too), per language."""
    ids = list(user_ids) if user_ids is not None else selectors.member_ids(message.chat)
    message = selectors.with_everything(Message.objects.filter(pk=message.pk)).get()
    for language, uids in _languages(ids).items():
        realtime.publish(uids, events.message_event(kind, message, language))


def _chat_changed(chat: Chat, user_ids: Iterable[int] | None = None) -> None:
    ids = list(user_ids) if user_ids is not None else selectors.member_ids(chat)
    realtime.publish(ids, events.chat_changed(chat_id=chat.pk))


# --- Chats ---------------------------------------------------------------------------------------
def _pair_key(a: User, b: User) -> str:
    low, high = sorted((a.pk, b.pk))
    return f"{low}:{high}"


@transaction.atomic
def family_chat() -> Chat:
    """The chat everyone in the family is in; made on first use."""
    chat, _created = Chat.objects.get_or_create(
        kind=Chat.Kind.FAMILY, defaults={"title": str(gettext_lazy("Family"))}
    )
    return chat


@transaction.atomic
def join_family_chat(*, user: User) -> Membership:
    """Every member is in the family chat; joining again changes nothing."""
    chat = family_chat()
    membership, created = Membership.objects.get_or_create(
        chat=chat, user=user, defaults={"role": Membership.Role.MEMBER}
    )
    if not created and membership.left_at is not None:
        membership.left_at = None
        membership.save(update_fields=["left_at"])
    return membership


@transaction.atomic
def saved_chat(*, user: User) -> Chat:
    """The member's own notes ('Saved messages')."""
    chat, created = Chat.objects.get_or_create(
        pair_key=f"{user.pk}:{user.pk}", defaults={"kind": Chat.Kind.SAVED, "created_by": user}
    )
    if created:
        Membership.objects.create(chat=chat, user=user, role=Membership.Role.OWNER)
    return chat


@transaction.atomic
def direct_chat(*, user: User, other: User) -> Chat:
    """The one direct chat between two members, made when first opened."""
    if other.pk == user.pk:
        return saved_chat(user=user)
    if not other.is_active:
        raise Http404
    chat = Chat.objects.filter(pair_key=_pair_key(user, other)).first()
    if chat is not None:
        return chat
    if accounts_selectors.is_blocked_between(user, other):
        raise MessagingError(_("You cannot write to this member."))
    try:
        with transaction.atomic():
            chat = Chat.objects.create(
                kind=Chat.Kind.DIRECT, pair_key=_pair_key(user, other), created_by=user
            )
    except IntegrityError:
        return Chat.objects.get(pair_key=_pair_key(user, other))
    Membership.objects.bulk_create(
        [Membership(chat=chat, user=user), Membership(chat=chat, user=other)]
    )
    return chat


def may_add(*, adder: User, person: User) -> bool:
    """Whether `person`'s privacy lets `adder` put them into a group."""
    if person.pk == adder.pk:
        return True
    if accounts_selectors.is_blocked_between(adder, person):
        return False
    return accounts_selectors.allows(person, adder, person.who_may_add_to_groups)


@transaction.atomic
def create_group(
    *,
    by: User,
    title: str,
    description: str = "",
    members: Iterable[User] = (),
    kind: str = Chat.Kind.GROUP,
    community=None,
) -> Chat:
    """A new group (or channel) with its creator as owner and the members they may add."""
    title = (title or "").strip()
    if not title:
        raise MessagingError(_("Give the chat a name."))
    if kind not in (Chat.Kind.GROUP, Chat.Kind.CHANNEL):
        raise MessagingError(_("Unknown kind of chat."))
    chat = Chat.objects.create(
        kind=kind,
        title=title[:80],
        description=(description or "").strip()[:300],
        created_by=by,
        community=community,
        invite_code=secrets.token_urlsafe(12),
    )
    Membership.objects.create(chat=chat, user=by, role=Membership.Role.OWNER)
    added = add_members(by=by, chat=chat, people=members, announce=False)
    _system_message(chat, by, _("%(name)s created the chat") % {"name": by.name})
    _chat_changed(chat, [by.pk, *(person.pk for person in added)])
    return chat


def _default_role(chat: Chat) -> str:
    return Membership.Role.SUBSCRIBER if chat.is_channel else Membership.Role.MEMBER


def _admin_membership(user: User, chat: Chat) -> Membership:
    membership = Membership.objects.filter(chat=chat, user=user, left_at=None).first()
    if membership is None:
        raise Http404
    if not chat.has_roles or not membership.is_admin:
        raise MessagingError(_("Only the chat's admins can do this."))
    return membership


@transaction.atomic
def add_members(
    *, by: User, chat: Chat, people: Iterable[User], announce: bool = True
) -> list[User]:
    """Add members an admin chose; those whose privacy refuses it are skipped (and returned not)."""
    _admin_membership(by, chat)
    added: list[User] = []
    for person in people:
        if person.pk == by.pk or not person.is_active or not may_add(adder=by, person=person):
            continue
        membership, created = Membership.objects.get_or_create(
            chat=chat, user=person, defaults={"role": _default_role(chat)}
        )
        if not created:
            if membership.left_at is None:
                continue
            membership.left_at = None
            membership.role = _default_role(chat)
            membership.joined_at = timezone.now()
            membership.save(update_fields=["left_at", "role", "joined_at"])
        added.append(person)
    if added and announce:
        names = ", ".join(person.name for person in added)
        _system_message(chat, by, _("%(name)s added %(names)s") % {"name": by.name, "names": names})
        _chat_changed(chat)
    return added


@transaction.atomic
def remove_member(*, by: User, chat: Chat, person: User) -> None:
    """An admin removes someone: from this moment they receive nothing of the chat."""
    admin = _admin_membership(by, chat)
    membership = Membership.objects.filter(chat=chat, user=person, left_at=None).first()
    if membership is None:
        raise Http404
    if membership.role == Membership.Role.OWNER or (
        membership.is_admin and admin.role != Membership.Role.OWNER
    ):
        raise MessagingError(_("This member cannot be removed."))
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    realtime.publish([person.pk], events.chat_removed(chat_id=chat.pk))
    _system_message(
        chat, by, _("%(name)s removed %(other)s") % {"name": by.name, "other": person.name}
    )


@transaction.atomic
def leave_chat(*, user: User, chat: Chat) -> None:
    """Leave a group or channel (not the family chat, nor a direct chat)."""
    membership = selectors.membership_for(user, chat.pk)
    if not chat.has_roles:
        raise MessagingError(_("You cannot leave this chat."))
    if membership.role == Membership.Role.OWNER:
        successor = (
            Membership.objects.filter(chat=chat, left_at=None)
            .exclude(user=user)
            .order_by(F("role").asc(), "joined_at")
            .first()
        )
        if successor is not None:
            successor.role = Membership.Role.OWNER
            successor.save(update_fields=["role"])
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    realtime.publish([user.pk], events.chat_removed(chat_id=chat.pk))
    if not chat.is_channel:
        _system_message(chat, user, _("%(name)s left the chat") % {"name": user.name})


@transaction.atomic
def join_chat(*, user: User, chat: Chat) -> Membership:
    """Join by an invite link, or subscribe to a listed channel."""
    membership, created = Membership.objects.get_or_create(
        chat=chat, user=user, defaults={"role": _default_role(chat)}
    )
    if not created and membership.left_at is not None:
        membership.left_at = None
        membership.role = _default_role(chat)
        membership.joined_at = timezone.now()
        membership.save(update_fields=["left_at", "role", "joined_at"])
        created = True
    if created and not chat.is_channel:
        _system_message(chat, user, _("%(name)s joined the chat") % {"name": user.name})
    _chat_changed(chat, [user.pk])
    return membership


@transaction.atomic
def update_chat(*, by: User, chat: Chat, title: str, description: str = "") -> Chat:
    _admin_membership(by, chat)
    title = (title or "").strip()
    if not title:
        raise MessagingError(_("Give the chat a name."))
    chat.title = title[:80]
    chat.description = (description or "").strip()[:300]
    chat.save(update_fields=["title", "description"])
    _chat_changed(chat)
    return chat


@transaction.atomic
def set_role(*, by: User, chat: Chat, person: User, admin: bool) -> Membership:
    owner = _admin_membership(by, chat)
    if owner.role != Membership.Role.OWNER:
        raise MessagingError(_("Only the chat's owner can do this."))
    membership = get_membership(chat, person)
    if membership.role == Membership.Role.OWNER:
        raise MessagingError(_("This member cannot be changed."))
    membership.role = Membership.Role.ADMIN if admin else _default_role(chat)
    membership.save(update_fields=["role"])
    _chat_changed(chat)
    return membership


def get_membership(chat: Chat, person: User) -> Membership:
    membership = Membership.objects.filter(chat=chat, user=person, left_at=None).first()
    if membership is None:
        raise Http404
    return membership


# --- Messages ------------------------------------------------------------------------------------
def _next_seq(chat: Chat) -> int:
    """Take the chat's next sequence number under the chat's row lock."""
    locked = Chat.objects.select_for_update().only("last_seq").get(pk=chat.pk)
    seq = locked.last_seq + 1
    Chat.objects.filter(pk=chat.pk).update(last_seq=seq)
    chat.last_seq = seq
    return seq


def _store(chat: Chat, message: Message) -> Message:
    message.seq = _next_seq(chat)
    message.search_text = search_key(message.text)
    message.save()
    Chat.objects.filter(pk=chat.pk).update(
        last_message=message, last_activity_at=message.created_at
    )
    return message


def _system_message(chat: Chat, actor: User, text: str) -> Message:
    message = _store(
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


def check_may_post(membership: Membership) -> None:
    chat = membership.chat
    if not membership.may_post:
        raise MessagingError(_("Only the channel's admins can post here."))
    if chat.kind == Chat.Kind.DIRECT:
        peer = selectors.peer_of(membership)
        if peer is None or not peer.is_active:
            raise MessagingError(_("This member has left the family."))
        if accounts_selectors.is_blocked_between(membership.user, peer):
            raise MessagingError(_("You cannot write to this member."))


def send_message(
    *,
    sender: User,
    chat: Chat,
    client_id: str,
    text: str = "",
    reply_to: Message | None = None,
    forwarded_from_name: str = "",
    attach=None,
) -> tuple[Message, bool]:
    """Store a message once per (sender, client_id) and tell the chat's members.

    Returns (message, created). A retry with the same client id returns the stored message and
    publishes nothing again. `attach(message)` stores attachments inside the same transaction.
    """
    if not CLIENT_ID.match(client_id or ""):
        raise BadRequest(_("The message has no valid id."))
    existing = Message.objects.filter(sender=sender, client_id=client_id).first()
    if existing is not None:
        if existing.chat_id != chat.pk:
            raise BadRequest(_("The message has no valid id."))
        return existing, False
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise BadRequest(_("The message is too long: at most %(n)d characters.") % {"n": MAX_TEXT})
    if not text and attach is None:
        raise BadRequest(_("The message is empty."))
    if reply_to is not None and reply_to.chat_id != chat.pk:
        raise MessagingError(_("You can only reply to a message of this chat."))
    try:
        with transaction.atomic():
            membership = selectors.membership_for(sender, chat.pk)
            check_may_post(membership)
            message = _store(
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


def _forward_content(message: Message):
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
        raise MessagingError(_("This message cannot be forwarded."))
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
        raise MessagingError(_("You can only edit your own messages."))
    if message.sticker_id:
        raise MessagingError(_("A sticker cannot be edited."))
    text = (text or "").strip()
    if not text and not message.attachments.exists():
        raise BadRequest(_("The message is empty."))
    if len(text) > MAX_TEXT:
        raise BadRequest(_("The message is too long: at most %(n)d characters.") % {"n": MAX_TEXT})
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
            [user.pk],
            {"type": "message.hidden", "chat_id": message.chat_id, "message_id": message.pk},
        )
        return
    if message.sender_id != user.pk:
        membership = Membership.objects.filter(
            chat_id=message.chat_id, user=user, left_at=None
        ).first()
        if membership is None or not (message.chat.has_roles and membership.is_admin):
            raise MessagingError(_("You can only delete your own messages for everyone."))
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
        raise BadRequest(_("Unknown reaction."))
    if message.is_deleted or message.kind != Message.Kind.TEXT:
        raise MessagingError(_("You cannot react to this message."))
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
        _admin_membership(user, chat)
    if message.is_deleted:
        raise MessagingError(_("This message was deleted."))
    message.pinned_at = timezone.now() if pinned else None
    message.save(update_fields=["pinned_at"])
    publish_message("message.updated", message)
    _chat_changed(chat)
    return message


# --- Reading, delivery, drafts, the chat list ------------------------------------------------
def mark_read(*, user: User, chat: Chat, seq: int) -> int:
    """Everything up to `seq` is read; others see the ticks, my other tabs the counter."""
    membership = selectors.membership_for(user, chat.pk)
    seq = min(int(seq), membership.chat.last_seq)
    if seq <= membership.last_read_seq:
        return membership.last_read_seq
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk, last_read_seq__lt=seq).update(last_read_seq=seq)
        Membership.objects.filter(pk=membership.pk, last_delivered_seq__lt=seq).update(
            last_delivered_seq=seq
        )
        event = events.chat_read(chat_id=chat.pk, user_id=user.pk, read_seq=seq)
        realtime.publish([user.pk], event)
        if chat.kind in (Chat.Kind.DIRECT, Chat.Kind.GROUP, Chat.Kind.FAMILY):
            others = [uid for uid in selectors.member_ids(chat) if uid != user.pk]
            # Read marks for others are cheap to lose: a reopened chat shows the stored ones.
            realtime.publish(others, event, durable=False)
    return seq


def mark_delivered(*, user: User, chat: Chat, seq: int) -> None:
    """The member's device has the message: the sender's single tick becomes two."""
    membership = selectors.membership_for(user, chat.pk)
    seq = min(int(seq), membership.chat.last_seq)
    updated = Membership.objects.filter(pk=membership.pk, last_delivered_seq__lt=seq).update(
        last_delivered_seq=seq
    )
    if updated and chat.kind == Chat.Kind.DIRECT:
        others = [uid for uid in selectors.member_ids(chat) if uid != user.pk]
        realtime.publish(
            others,
            events.chat_delivered(chat_id=chat.pk, user_id=user.pk, delivered_seq=seq),
            durable=False,
        )


def save_draft(*, user: User, chat: Chat, text: str) -> None:
    """Keep what I started typing in this chat, on every device."""
    membership = selectors.membership_for(user, chat.pk)
    Membership.objects.filter(pk=membership.pk).update(
        draft=(text or "")[:MAX_TEXT], draft_updated_at=timezone.now()
    )


MUTE_CHOICES = {
    "1h": timedelta(hours=1),
    "8h": timedelta(hours=8),
    "2d": timedelta(days=2),
    "forever": timedelta(days=365 * 100),
}


def set_muted(*, user: User, chat: Chat, duration: str) -> Membership:
    membership = selectors.membership_for(user, chat.pk)
    if duration == "off":
        membership.muted_until = None
    elif duration in MUTE_CHOICES:
        membership.muted_until = timezone.now() + MUTE_CHOICES[duration]
    else:
        raise BadRequest(_("Unknown mute duration."))
    membership.save(update_fields=["muted_until"])
    realtime.publish([user.pk], events.chat_changed(chat_id=chat.pk))
    return membership


def set_chat_pinned(*, user: User, chat: Chat, pinned: bool) -> Membership:
    membership = selectors.membership_for(user, chat.pk)
    membership.pinned_at = timezone.now() if pinned else None
    membership.save(update_fields=["pinned_at"])
    realtime.publish([user.pk], events.chat_changed(chat_id=chat.pk))
    return membership


def set_archived(*, user: User, chat: Chat, archived: bool) -> Membership:
    membership = selectors.membership_for(user, chat.pk)
    membership.archived = archived
    membership.save(update_fields=["archived"])
    realtime.publish([user.pk], events.chat_changed(chat_id=chat.pk))
    return membership


# --- Typing (ephemeral, over the websocket) ---------------------------------------------------
def typing(user: User, frame) -> None:
    """A member is typing in a chat: tell the others' open tabs (never stored)."""
    chat_id = frame.get("chat_id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return
    membership = (
        Membership.objects.filter(user=user, chat_id=chat_id, left_at=None)
        .select_related("chat")
        .first()
    )
    if membership is None or not membership.may_post:
        return
    others = [uid for uid in selectors.member_ids(membership.chat) if uid != user.pk]
    realtime.publish(
        others, events.typing(chat_id=chat_id, user_id=user.pk, name=user.name), durable=False
    )


def register_realtime() -> None:
    realtime.register_inbound("chat.typing", typing)
