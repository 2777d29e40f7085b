"""Notifications: the one door other apps use to tell a member something happened.

Apps above (feed, messaging, calls, bots) call `notify`; a key makes the call idempotent so a
retried like or a repeated mention never notifies twice, and `withdraw` takes it back (an unlike).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.selectors import is_blocked_between
from core import realtime
from notifications import events
from notifications.models import Notification

User = get_user_model()

TEXT_LIMIT = Notification._meta.get_field("text").max_length


def notify(
    recipient: User,
    kind: str,
    *,
    actor: User | None = None,
    url: str = "",
    text: str = "",
    key: str = "",
) -> Notification | None:
    """Tell `recipient` about something `actor` did; nothing when it is their own doing."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if actor is not None and (actor.pk == recipient.pk or is_blocked_between(actor, recipient)):
        return None
    if not recipient.is_active:
        return None
    snippet = " ".join(text.split())
    if len(snippet) > TEXT_LIMIT:
        snippet = snippet[: TEXT_LIMIT - 1] + "…"
    fields = {"kind": kind, "actor": actor, "url": url, "text": snippet}
    try:
        with transaction.atomic():
            if key and Notification.objects.filter(recipient=recipient, key=key).exists():
                return None
            notification = Notification.objects.create(recipient=recipient, key=key, **fields)
    except IntegrityError:
        # A concurrent call with the same key won the race: that one stands.
        return None
    _announce(recipient.pk, events.created)
    return notification


def withdraw(recipient: User, key: str) -> None:
    """Take back a notification that no longer holds (an unlike, a deleted comment)."""
    if not key:
        return
    deleted, _ = Notification.objects.filter(recipient=recipient, key=key).delete()
    if deleted:
        _announce(recipient.pk, events.withdrawn)


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the member's notifications read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    changed = unread.update(read_at=timezone.now())
    if changed:
        _announce(user.pk, events.read)
    return changed


def unread_count(user: User) -> int:
    """How many of the member's notifications are still unread (the bell's badge)."""
    return Notification.objects.filter(recipient=user, read_at=None).count()


def _announce(user_id: int, event: Callable[[int], Mapping[str, Any]]) -> None:
    # Ephemeral: a reconnecting tab re-reads the count from the page, it needs no replay.
    unread = Notification.objects.filter(recipient_id=user_id, read_at=None).count()
    realtime.publish([user_id], event(unread), durable=False)
