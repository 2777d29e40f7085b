"""Notifications as their recipient sees them; nobody else's can be named."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from notifications.models import Notification

PAGE_SIZE = 30


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_for(user: User, notification_id: int) -> Notification:
    return get_object_or_404(notifications_for(user), pk=notification_id)


def page_for(
    user: User, *, before: int | None = None, size: int = PAGE_SIZE
) -> tuple[list[Notification], int | None]:
    """One page of the member's notifications, newest first, and the id the next page starts
    before (None at the end). Keyset, not offset: a notification arriving meanwhile neither
    repeats nor hides one on the next page."""
    items = notifications_for(user).select_related("actor").order_by("-pk")
    if before is not None:
        items = items.filter(pk__lt=before)
    found = list(items[: size + 1])
    more = len(found) > size
    found = found[:size]
    return found, (found[-1].pk if more else None)
