"""GET /healthz: is the database, the cache and the channel layer working? JSON; 503 if not."""

import asyncio
import contextlib
import dataclasses
import uuid

from channels.layers import get_channel_layer
from django.db import connections
from django.http import JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class ChannelLayer(HealthCheck):
    """Send a frame to a fresh channel and read it back through the configured layer."""

    def __repr__(self) -> str:
        return "ChannelLayer"

    async def run(self) -> None:
        layer = get_channel_layer()
        if layer is None:
            raise ServiceUnavailable("no channel layer configured")
        channel = None
        try:
            channel = await layer.new_channel(prefix="healthz")
            token = uuid.uuid4().hex
            await layer.send(channel, {"type": "healthz", "token": token})
            received = await asyncio.wait_for(layer.receive(channel), timeout=5)
        except Exception as exc:
            raise ServiceUnavailable("channel layer unreachable") from exc
        finally:
            if channel is not None:
                await _release(layer, channel)
        if received.get("token") != token:
            raise ServiceUnavailable("channel layer answered something else")


async def _release(layer, channel: str) -> None:
    """Let the layer forget the probe's channel, or every probe would leave a subscription.

    Channels has no delete_channel(); the layers drop a channel when a receive on it is
    cancelled (the pub/sub layer unsubscribes it then), so start one and cancel it.
    """
    waiting = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await waiting


class HealthView(HealthCheckView):
    checks = (Database, Cache, ChannelLayer)
    names = {"Database": "database", "Cache": "cache", "ChannelLayer": "channel_layer"}

    def render_to_response(self, context, **response_kwargs):
        return self.render_to_response_json(response_kwargs.get("status", 200))

    def render_to_response_text(self, status):
        return self.render_to_response_json(status)

    def render_to_response_json(self, status):
        checks = {}
        for result in self.results:
            key = type(result.check).__name__
            checks[self.names.get(key, key)] = "ok" if not result.error else str(result.error)
        healthy = all(value == "ok" for value in checks.values())
        body: dict = {"status": "ok" if healthy else "unavailable", "checks": checks}
        if (pool := database_pool()) is not None:
            body["database_pool"] = pool
        return JsonResponse(body, status=200 if healthy else 503)


def database_pool() -> dict[str, int] | None:
    """This process's PostgreSQL pool: its bound, connections open, and how many are in use."""
    pool = getattr(connections["default"], "pool", None)
    if pool is None:
        return None
    stats = pool.get_stats()
    size = stats.get("pool_size", 0)
    return {
        "max_size": pool.max_size,
        "open": size,
        "in_use": size - stats.get("pool_available", 0),
        "waiting": stats.get("requests_waiting", 0),
    }
