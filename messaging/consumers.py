"""The one websocket of a tab (/ws/): a door, not a room.

It authenticates by session (Origin is checked in asgi.py), joins the member's personal group,
counts the tab for presence, replays what a reconnecting tab missed, forwards published events,
and hands the few client frames that are allowed (ping, resume, ephemeral events registered by
apps) to services. Frames are size- and rate-limited per socket.
"""

import contextlib
import json
import time

from autobahn.exception import Disconnected
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from accounts import services as accounts_services
from core import realtime

CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_BIG = 1009
CLOSE_TOO_FAST = 4429


class TokenBucket:
    """Allow a burst, then a steady rate; per socket, so one noisy tab cannot flood the server."""

    def __init__(self, burst: int, per_second: float) -> None:
        self.capacity = burst
        self.tokens = float(burst)
        self.rate = per_second
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class RealtimeConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.group = None
        if self.user is None or not self.user.is_authenticated or not self.user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.bucket = TokenBucket(settings.REALTIME_RATE_BURST, settings.REALTIME_RATE_PER_SECOND)
        self.group = realtime.group_for(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(accounts_services.socket_opened)(
            user=self.user, channel_name=self.channel_name
        )

    async def disconnect(self, code: int) -> None:
        if self.group is None:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await database_sync_to_async(accounts_services.socket_closed)(
            user=self.user, channel_name=self.channel_name
        )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else bytes_data or b""
        if len(raw) > settings.REALTIME_MAX_FRAME_BYTES:
            await self.close(code=CLOSE_TOO_BIG)
            return
        if not self.bucket.take():
            await self.close(code=CLOSE_TOO_FAST)
            return
        try:
            frame = json.loads(raw)
            kind = frame["type"]
        except (ValueError, TypeError, KeyError):
            await self.send_json({"type": "error", "error": "malformed frame"})
            return
        if kind == "ping":
            await database_sync_to_async(accounts_services.socket_pinged)(
                channel_name=self.channel_name
            )
            await self.send_json({"type": "pong"})
        elif kind == "resume":
            await self.resume(frame.get("since"))
        elif handler := realtime.inbound_handler(kind):
            await database_sync_to_async(handler)(self.user, frame)
        else:
            await self.send_json({"type": "error", "error": "unknown frame type"})

    async def resume(self, since) -> None:
        """Send what the tab missed after `since`, then say it is up to date."""
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            await self.send_json({"type": "error", "error": "resume needs a sequence number"})
            return
        result = await database_sync_to_async(realtime.replay)(self.user.pk, since)
        for frame in result.frames:
            await self.send_json(frame)
        await self.send_json({"type": "ready", "seq": result.last_seq, "reset": result.reset})

    async def realtime_event(self, message: dict) -> None:
        # The tab may close while this frame is on its way (daphne's protocol is gone). A
        # durable frame is in the database and the tab replays it when it comes back.
        with contextlib.suppress(Disconnected):
            await self.send(text_data=realtime.frame_text(message))

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, ensure_ascii=False, separators=(",", ":")))
