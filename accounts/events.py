"""The shapes of account events sent to browsers, written once (presence and statuses)."""

from datetime import datetime
from typing import Literal, TypedDict

from core.events import register


@register
class PresenceChanged(TypedDict):
    type: Literal["presence.changed"]
    user_id: int
    online: bool
    last_seen_at: str | None


def presence_changed(
    *, user_id: int, online: bool, last_seen_at: datetime | None
) -> PresenceChanged:
    return {
        "type": "presence.changed",
        "user_id": user_id,
        "online": online,
        "last_seen_at": last_seen_at.isoformat() if last_seen_at else None,
    }


@register
class StatusChanged(TypedDict):
    type: Literal["status.changed"]
    user_id: int
    text: str
    icon: str
    until: str | None


def status_changed(*, user) -> StatusChanged:
    current = user.current_status
    text, icon = current if current else ("", "")
    return {
        "type": "status.changed",
        "user_id": user.pk,
        "text": text,
        "icon": icon,
        "until": user.status_until.isoformat() if current and user.status_until else None,
    }
