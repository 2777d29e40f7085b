"""The shapes of the notifications app's realtime events, written once."""

from typing import TypedDict


class NotificationsChanged(TypedDict):
    type: str
    unread: int


def changed(unread: int) -> NotificationsChanged:
    """A member's unread count changed (a new notification, one withdrawn, some read)."""
    return {"type": "notification.created", "unread": unread}
