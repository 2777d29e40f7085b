"""Realtime delivery: the one way any service pushes an event to members' open tabs.

`publish(user_ids, event)` delivers an event to every tab of these members once the caller's
transaction commits. A durable event is stored once (`core.Event`) with a small pointer per member
(`core.Delivery`, the member's next sequence number); a tab that reconnects says the last sequence
it saw and `replay` gives it what it missed from the database, in order. Ephemeral events (typing,
presence, call signalling) skip the store: `durable=False`.

Fan-out runs off the request path: in a daphne process the request commits and returns, and the
event is stored and sent from the server's event loop a moment later (`defer`), in the order the
requests committed. Elsewhere (the test client, Celery workers, commands) it runs right after
commit in the caller's thread. The frame is encoded once per event, whatever the number of
recipients, and the sends of one event go to the channel layer at once (`core.layers`).

The channel layer may drop frames (Redis pub/sub is at-most-once); the database is the truth.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core import events
from core.models import Delivery, Event, EventCursor

log = logging.getLogger(__name__)

Frame = dict[str, Any]
# Inbound handlers get (user, data) and return nothing; they run in a worker thread.
InboundHandler = Callable[[Any, Mapping[str, Any]], None]

_inbound: dict[str, InboundHandler] = {}

# The event loop of the server this process is (daphne), once it has served a request: deferred
# fan-out runs there. None in processes that are not servers.
_server_loop: asyncio.AbstractEventLoop | None = None
_fan_out_lock: asyncio.Lock | None = None
_in_job = threading.local()


def group_for(user_id: int) -> str:
    """The personal channel-layer group of one member: every tab of theirs listens to it."""
    return f"user.{user_id}"


def encode(body: Mapping[str, Any]) -> str:
    """The JSON text of a frame, as the websocket sends it."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def publish(user_ids: Iterable[int], event: Mapping[str, Any], *, durable: bool = True) -> None:
    """Deliver `event` to every tab of these members once the current transaction commits."""
    if "type" not in event:
        raise ValueError("an event needs a type")
    if settings.REALTIME_CHECK_EVENTS:
        events.check(event)
    ids = sorted({int(uid) for uid in user_ids})
    if not ids:
        return
    body = dict(event)
    body.pop("seq", None)
    if not durable:
        # Typing, presence, call signalling: nothing to store, so no hop to the server's loop.
        transaction.on_commit(lambda: send_now(encode(body), dict.fromkeys(ids)))
        return
    defer(lambda: _deliver(ids, body, durable=durable))


def defer(job: Callable[[], None]) -> None:
    """Run `job` after the current transaction commits, off the request path where there is one.

    In a server process the job runs on a worker thread scheduled from the server's event loop,
    one job at a time in the order they were deferred; the request does not wait for it.
    """
    transaction.on_commit(lambda: _schedule(job))


def _schedule(job: Callable[[], None]) -> None:
    loop = _server_loop
    if getattr(_in_job, "active", False) or loop is None or not loop.is_running():
        _run(job)
        return
    try:
        running_here = asyncio.get_running_loop() is loop
    except RuntimeError:
        running_here = False
    if running_here:
        loop.create_task(_run_in_order(job))
    else:
        asyncio.run_coroutine_threadsafe(_run_in_order(job), loop)


def fan_out_lock() -> asyncio.Lock:
    """The lock that keeps a server's deferred jobs one at a time, in order (made on its loop)."""
    global _fan_out_lock
    if _fan_out_lock is None:
        _fan_out_lock = asyncio.Lock()
    return _fan_out_lock


async def _run_in_order(job: Callable[[], None]) -> None:
    async with fan_out_lock():
        try:
            await database_sync_to_async(_run, thread_sensitive=False)(job)
        except Exception:
            # The request that deferred it has long returned: log; durable events a tab misses
            # this way come back with the page (the database holds the messages themselves).
            log.exception("realtime: a deferred fan-out job failed")


def _run(job: Callable[[], None]) -> None:
    # A job that publishes again (a message rendered per language) delivers at once, in order.
    outer = getattr(_in_job, "active", False)
    _in_job.active = True
    try:
        job()
    finally:
        _in_job.active = outer


def serve_on(loop: asyncio.AbstractEventLoop | None) -> None:
    """Say that this process is a server whose event loop runs deferred fan-out (toricy.asgi)."""
    global _server_loop, _fan_out_lock
    if _server_loop is not loop:
        _server_loop = loop
        _fan_out_lock = None


def _deliver(ids: list[int], body: dict[str, Any], *, durable: bool) -> None:
    if durable:
        with transaction.atomic():
            seqs = _store(ids, body)
    else:
        seqs = dict.fromkeys(ids)
    send_now(encode(body), seqs)


def _store(ids: list[int], body: Mapping[str, Any]) -> dict[int, int]:
    """Store the event once, take each member's next sequence number, and point them at it."""
    event = Event.objects.create(
        type=body["type"], payload={key: value for key, value in body.items() if key != "type"}
    )
    table = connection.ops.quote_name(EventCursor._meta.db_table)
    seqs: dict[int, int] = {}
    # ON CONFLICT ... RETURNING works the same on PostgreSQL and SQLite (3.35+): one round trip
    # per batch of members, row locks taken in id order so two publishers cannot deadlock.
    for start in range(0, len(ids), 5000):
        batch = ids[start : start + 5000]
        rows = ", ".join(["(%s, 1)"] * len(batch))
        sql = (
            f"INSERT INTO {table} (user_id, last_seq) VALUES {rows} "  # noqa: S608 (no user input)
            f"ON CONFLICT (user_id) DO UPDATE SET last_seq = {table}.last_seq + 1 "
            "RETURNING user_id, last_seq"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, batch)
            seqs.update(cursor.fetchall())
    Delivery.objects.bulk_create(
        (Delivery(user_id=uid, seq=seqs[uid], event_id=event.pk) for uid in ids), batch_size=5000
    )
    return seqs


def send_now(text: str, seqs: Mapping[int, int | None]) -> None:
    """Hand one encoded event to the channel layer for each member (with that member's sequence);
    a failure is logged, never raised (the database has durable events)."""
    try:
        async_to_sync(_send_all)(text, seqs)
    except Exception:
        log.exception("realtime: could not hand %d frames to the channel layer", len(seqs))


async def _send_all(text: str, seqs: Mapping[int, int | None]) -> None:
    layer = get_channel_layer()
    messages = [
        (group_for(uid), {"type": "realtime.event", "seq": seq, "text": text})
        for uid, seq in seqs.items()
    ]
    send_many = getattr(layer, "group_send_many", None)
    if send_many is not None:
        await send_many(messages)
    else:
        for group, message in messages:
            await layer.group_send(group, message)


def frame_of(message: Mapping[str, Any]) -> Frame:
    """The frame a tab receives for a `realtime.event` layer message, as a dict."""
    return json.loads(frame_text(message))


def frame_text(message: Mapping[str, Any]) -> str:
    """The websocket text of a `realtime.event` layer message: the event with the member's seq."""
    seq = message["seq"]
    text = message["text"]
    prefix = '{"seq":' + ("null" if seq is None else str(int(seq)))
    return prefix + ("," + text[1:] if len(text) > 2 else "}")


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
    rows = list(
        Delivery.objects.filter(user_id=user_id, seq__gt=since)
        .order_by("seq")
        .values_list("seq", "event__type", "event__payload")
    )
    if len(rows) != newest - since:
        return Replay(frames=[], reset=True, last_seq=newest)
    frames = [{**payload, "type": type_, "seq": seq} for seq, type_, payload in rows]
    return Replay(frames=frames, reset=False, last_seq=newest)


def prune_events(*, older_than: timedelta | None = None) -> int:
    """Forget durable events past the retention period; a tab that far behind reloads instead."""
    age = older_than or timedelta(days=settings.REALTIME_EVENT_RETENTION_DAYS)
    cutoff = timezone.now() - age
    Delivery.objects.filter(event__created_at__lt=cutoff).delete()
    deleted, _ = Event.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def register_inbound(event_type: str, handler: InboundHandler) -> None:
    """Let an app accept one kind of ephemeral client frame (typing, call signalling)."""
    if event_type in _inbound and _inbound[event_type] is not handler:
        raise ValueError(f"{event_type} already has a handler")
    _inbound[event_type] = handler


def inbound_handler(event_type: str) -> InboundHandler | None:
    return _inbound.get(event_type)
