"""Realtime delivery: the one way any service pushes an event to members' open tabs.

`publish(user_ids, event)` stores a durable event for each member in the caller's transaction
(with the member's next sequence number) and hands it to the channel layer only after that
transaction commits. A tab that reconnects says the last sequence it saw and `replay` gives it
what it missed from the database, in order. Ephemeral events (typing, presence, call signalling)
skip the store: `durable=False`.

The channel layer may drop frames (Redis pub/sub is at-most-once); the database is the truth.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core import events
from core.models import Event, EventCursor

log = logging.getLogger(__name__)

Frame = dict[str, Any]
# Inbound handlers get (user, data) and return nothing; they run in a worker thread.
InboundHandler = Callable[[Any, Mapping[str, Any]], None]

_inbound: dict[str, InboundHandler] = {}


def group_for(user_id: int) -> str:
    """The personal channel-layer group of one member: every tab of theirs listens to it."""
    return f"user.{user_id}"


def publish(user_ids: Iterable[int], event: Mapping[str, Any], *, durable: bool = True) -> None:
    """Deliver `event` to every tab of these members once the current transaction commits."""
    if "type" not in event:
        raise ValueError("an event needs a type")
    if settings.REALTIME_CHECK_EVENTS:
        events.check(event)
    ids = sorted({int(uid) for uid in user_ids})
    if not ids:
        return
    with transaction.atomic():
        if durable:
            frames = _store(ids, event)
        else:
            frames = [(uid, {**event, "seq": None}) for uid in ids]
        transaction.on_commit(lambda: send_now(frames))


def _store(ids: list[int], event: Mapping[str, Any]) -> list[tuple[int, Frame]]:
    """Take the next sequence number of each member in one statement, then store the events."""
    table = connection.ops.quote_name(EventCursor._meta.db_table)
    rows = ", ".join(["(%s, 1)"] * len(ids))
    # ON CONFLICT ... RETURNING works the same on PostgreSQL and SQLite (3.35+): one round trip
    # for any number of members, row locks taken in id order so two publishers cannot deadlock.
    sql = (
        f"INSERT INTO {table} (user_id, last_seq) VALUES {rows} "  # noqa: S608 (no user input)
        f"ON CONFLICT (user_id) DO UPDATE SET last_seq = {table}.last_seq + 1 "
        "RETURNING user_id, last_seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        seqs = dict(cursor.fetchall())
    payload = {key: value for key, value in event.items() if key != "type"}
    Event.objects.bulk_create(
        Event(user_id=uid, seq=seqs[uid], type=event["type"], payload=payload) for uid in ids
    )
    return [(uid, {**event, "seq": seqs[uid]}) for uid in ids]


def send_now(frames: list[tuple[int, Frame]]) -> None:
    """Hand frames to the channel layer; a failure is logged, never raised (the DB has them)."""
    try:
        async_to_sync(_send_all)(frames)
    except Exception:
        log.exception("realtime: could not hand %d frames to the channel layer", len(frames))


async def _send_all(frames: list[tuple[int, Frame]]) -> None:
    layer = get_channel_layer()
    for uid, frame in frames:
        await layer.group_send(group_for(uid), {"type": "realtime.event", "frame": frame})


def last_seq(user_id: int) -> int:
    """The sequence of the newest durable event of a member: where a freshly loaded page starts."""
    return (
        EventCursor.objects.filter(user_id=user_id).values_list("last_seq", flat=True).first() or 0
    )


@dataclass(frozen=True)
class Replay:
    frames: list[Frame]
    # True when the gap cannot be filled from the log (too old, or too long): reload the page.
    reset: bool
    last_seq: int


REPLAY_LIMIT = 500


def replay(user_id: int, since: int) -> Replay:
    """Every durable event of a member after `since`, in order, or a reset if there is a hole."""
    newest = last_seq(user_id)
    if since >= newest:
        return Replay(frames=[], reset=since > newest, last_seq=newest)
    if newest - since > REPLAY_LIMIT:
        return Replay(frames=[], reset=True, last_seq=newest)
    events = list(
        Event.objects.filter(user_id=user_id, seq__gt=since)
        .order_by("seq")
        .values_list("seq", "type", "payload")
    )
    if len(events) != newest - since:
        return Replay(frames=[], reset=True, last_seq=newest)
    frames = [{**payload, "type": type_, "seq": seq} for seq, type_, payload in events]
    return Replay(frames=frames, reset=False, last_seq=newest)


def prune_events(*, older_than: timedelta | None = None) -> int:
    """Forget durable events past the retention period; a tab that far behind reloads instead."""
    age = older_than or timedelta(days=settings.REALTIME_EVENT_RETENTION_DAYS)
    deleted, _ = Event.objects.filter(created_at__lt=timezone.now() - age).delete()
    return deleted


def register_inbound(event_type: str, handler: InboundHandler) -> None:
    """Let an app accept one kind of ephemeral client frame (typing, call signalling)."""
    if event_type in _inbound and _inbound[event_type] is not handler:
        raise ValueError(f"{event_type} already has a handler")
    _inbound[event_type] = handler


def inbound_handler(event_type: str) -> InboundHandler | None:
    return _inbound.get(event_type)
