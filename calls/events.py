"""The shapes of call events sent to browsers, written once.

Every change of a call sends the whole call (`CallSnapshot`): a tab that missed a step, or opened
in the middle of a call, needs nothing but the newest snapshot to show the right screen. Signalling
frames (`call.signal`) go only to the one tab that carries the addressed member's media.
"""

from typing import Any, Literal, NotRequired, TypedDict

from calls.models import Call, Participant
from core.events import register


class CallPerson(TypedDict):
    user_id: int
    name: str
    initials: str
    colour: int
    avatar: str
    state: str
    session: str


class CallSnapshot(TypedDict):
    id: int
    chat_id: int
    chat_title: str
    is_group: bool
    video: bool
    state: str
    outcome: str
    created_by: int | None
    answered_at: str | None
    duration: int
    max_participants: int
    participants: list[CallPerson]


@register
class CallChanged(TypedDict):
    """A call rings for me, changed (someone joined, left, declined), or ended: the whole call."""

    type: Literal["call.ringing", "call.updated", "call.ended"]
    call: CallSnapshot


@register
class CallSignal(TypedDict):
    """An offer, answer, ICE candidates or mute state for the one tab that carries the call."""

    type: Literal["call.signal"]
    call_id: int
    from_user: int
    from_session: str
    to_session: str
    description: NotRequired[dict[str, Any]]
    candidates: NotRequired[list[dict[str, Any]]]
    media: NotRequired[dict[str, bool]]


def person(participant: Participant) -> CallPerson:
    user = participant.user
    return {
        "user_id": user.pk,
        "name": user.name,
        "initials": user.initials,
        "colour": user.avatar_colour,
        "avatar": user.avatar.url if user.avatar else "",
        "state": participant.state,
        "session": participant.session if participant.state == Participant.State.JOINED else "",
    }


def snapshot(call: Call, max_participants: int) -> CallSnapshot:
    participants = sorted(call.participants.all(), key=lambda p: p.pk)
    return {
        "id": call.pk,
        "chat_id": call.chat_id,
        "chat_title": call.chat.title if call.is_group else "",
        "is_group": call.is_group,
        "video": call.video,
        "state": call.state,
        "outcome": call.outcome,
        "created_by": call.created_by_id,
        "answered_at": call.answered_at.isoformat() if call.answered_at else None,
        "duration": call.duration_seconds,
        "max_participants": max_participants,
        "participants": [person(p) for p in participants],
    }


def ringing(call: CallSnapshot) -> CallChanged:
    """To the members the call rings for."""
    return {"type": "call.ringing", "call": call}


def updated(call: CallSnapshot) -> CallChanged:
    """To everyone else concerned (in a group, every member who may join)."""
    return {"type": "call.updated", "call": call}


def ended(call: CallSnapshot) -> CallChanged:
    return {"type": "call.ended", "call": call}


def call_signal(
    *, call_id: int, from_user: int, from_session: str, to_session: str, payload: dict[str, Any]
) -> CallSignal:
    frame: CallSignal = {
        "type": "call.signal",
        "call_id": call_id,
        "from_user": from_user,
        "from_session": from_session,
        "to_session": to_session,
    }
    for key in ("description", "candidates", "media"):
        if key in payload:
            frame[key] = payload[key]
    return frame
