"""The shapes of the notifications app's realtime events, written once."""

from typing import Literal, TypedDict

from core.events import register


@register
class NotificationsChanged(TypedDict):
    type: Literal["notification.created"]
    unread: int


def changed(unread: int) -> NotificationsChanged:
    """A member's unread count changed (a new notification, one withdrawn, some read)."""
    return {"type": "notification.created", "unread": unread}
