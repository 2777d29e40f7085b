"""The shapes of the notifications app's realtime events, written once.

Each carries the member's new unread count, which is all the bell shows; the type says why it
changed. The bell (static/js/bell.js) listens to all three.
"""

from typing import Literal, TypedDict

from core.events import register


@register
class NotificationCreated(TypedDict):
    type: Literal["notification.created"]
    unread: int


@register
class NotificationWithdrawn(TypedDict):
    type: Literal["notification.withdrawn"]
    unread: int


@register
class NotificationsRead(TypedDict):
    type: Literal["notifications.read"]
    unread: int


def created(unread: int) -> NotificationCreated:
    """A new notification waits in the bell."""
    return {"type": "notification.created", "unread": unread}


def withdrawn(unread: int) -> NotificationWithdrawn:
    """A notification that no longer holds was taken back (an unlike, a deleted comment)."""
    return {"type": "notification.withdrawn", "unread": unread}


def read(unread: int) -> NotificationsRead:
    """Some (or all) of the member's notifications were read, on any of their devices."""
    return {"type": "notifications.read", "unread": unread}
