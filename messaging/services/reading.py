"""My own side of a chat: read and delivered marks, the draft, mute, pin in the list, archive."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import realtime
from core.errors import Invalid
from messaging import events, selectors
from messaging.models import Chat, Membership
from messaging.services.messages import MAX_TEXT

MUTE_CHOICES = {
    "1h": timedelta(hours=1),
    "8h": timedelta(hours=8),
    "2d": timedelta(days=2),
    "forever": timedelta(days=365 * 100),
}


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


def set_muted(*, user: User, chat: Chat, duration: str) -> Membership:
    """Mute the chat for a while (or for good), or unmute it."""
    membership = selectors.membership_for(user, chat.pk)
    if duration == "off":
        membership.muted_until = None
    elif duration in MUTE_CHOICES:
        membership.muted_until = timezone.now() + MUTE_CHOICES[duration]
    else:
        raise Invalid(_("Unknown mute duration."))
    membership.save(update_fields=["muted_until"])
    realtime.publish([user.pk], events.chat_changed(chat_id=chat.pk))
    return membership


def set_chat_pinned(*, user: User, chat: Chat, pinned: bool) -> Membership:
    """Keep the chat on top of my list, or let it go back in order."""
    membership = selectors.membership_for(user, chat.pk)
    membership.pinned_at = timezone.now() if pinned else None
    membership.save(update_fields=["pinned_at"])
    realtime.publish([user.pk], events.chat_changed(chat_id=chat.pk))
    return membership


def set_archived(*, user: User, chat: Chat, archived: bool) -> Membership:
    """Move the chat to my archive, or back to the list."""
    membership = selectors.membership_for(user, chat.pk)
    membership.archived = archived
    membership.save(update_fields=["archived"])
    realtime.publish([user.pk], events.chat_changed(chat_id=chat.pk))
    return membership
