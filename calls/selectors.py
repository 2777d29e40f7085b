"""Reads of calls that already know who is asking: a call only for its people."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from calls.models import Call, Participant
from messaging.models import Membership


def _with_people(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.select_related("chat", "created_by").prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("user"))
    )


def calls_visible_to(user: User) -> QuerySet[Call]:
    """Calls the member is in, and calls of the groups they are in now (they may join those)."""
    my_chats = Membership.objects.active().filter(user=user).values("chat_id")
    return Call.objects.filter(
        Q(participants__user=user) | Q(is_group=True, chat_id__in=my_chats)
    ).distinct()


def call_for(user: User, call_id: int) -> Call:
    """A call the member may see; 404 for everyone else."""
    return get_object_or_404(_with_people(calls_visible_to(user)), pk=call_id)


def live_calls_for(user: User) -> list[Call]:
    """Calls going on now that concern the member: ringing for them, theirs, or in their groups."""
    return list(_with_people(calls_visible_to(user).filter(ended_at=None)).order_by("pk"))


def history_for(user: User, limit: int = 100) -> list[Call]:
    """The member's own calls, newest first, with what the Calls page shows."""
    calls = _with_people(
        Call.objects.filter(participants__user=user).select_related("chat")
    ).order_by("-created_at")[:limit]
    return list(calls)


def joined_elsewhere(user: User, *, besides: Call | None = None) -> bool:
    """Whether the member is in another call that is on now (they are busy)."""
    rows = Participant.objects.filter(
        user=user, state=Participant.State.JOINED, call__ended_at=None
    )
    if besides is not None:
        rows = rows.exclude(call=besides)
    return rows.exists()


def joined_participant(*, user: User, call_id: int, session: str) -> Participant | None:
    """The member's place in a live call, if they are in it from this very tab."""
    return (
        Participant.objects.filter(
            call_id=call_id,
            user=user,
            session=session,
            state=Participant.State.JOINED,
            call__ended_at=None,
        )
        .only("pk", "call_id")
        .first()
    )


def joined_session(*, call_id: int, user_id: int) -> str | None:
    return (
        Participant.objects.filter(call_id=call_id, user_id=user_id, state=Participant.State.JOINED)
        .values_list("session", flat=True)
        .first()
    )


def call_for_snapshot(call_id: int) -> Call:
    """A call with its people, for a snapshot (the caller has already checked access)."""
    return _with_people(Call.objects.filter(pk=call_id)).get()
