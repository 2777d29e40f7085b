"""Two daphne processes joined by the Redis channel layer deliver to each other's sockets."""

import asyncio
import json
import os
import urllib.request

import pytest
import redis.asyncio as redis
from asgiref.sync import sync_to_async
from django.conf import settings

from accounts.tests.factories import UserFactory
from core import realtime
from tests.server import Server
from tests.sockets import cookie_for, next_frame, open_socket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI runs it with Redis)"),
]


@pytest.fixture
def two_servers(static_root):
    servers = [Server(static_root=static_root).start(), Server(static_root=static_root).start()]
    yield servers
    for server in servers:
        server.stop()


async def test_a_socket_on_one_process_hears_events_from_the_other(two_servers):
    first, second = two_servers
    assert os.environ.get("REDIS_URL")
    grandma = await sync_to_async(UserFactory)(display_name="Бабушка Валя")
    dad = await sync_to_async(UserFactory)(display_name="Папа")
    dads_socket = await open_socket(second, await sync_to_async(cookie_for)(dad))
    await next_frame(dads_socket, "ready")

    # Grandma opens Toricy on the other process: dad, on this one, sees her come online.
    grandmas_socket = await open_socket(first, await sync_to_async(cookie_for)(grandma))
    await next_frame(grandmas_socket, "ready")
    came = await next_frame(dads_socket, "presence.changed")
    assert came["user_id"] == grandma.pk and came["online"] is True

    # A service publishing from a third process (this test) reaches both.
    await sync_to_async(realtime.publish)([grandma.pk, dad.pk], {"type": "test.happened", "n": 1})
    for socket in (grandmas_socket, dads_socket):
        frame = await next_frame(socket, "test.happened")
        assert frame == {"type": "test.happened", "n": 1, "seq": 1}

    await grandmas_socket.close()
    left = await next_frame(dads_socket, "presence.changed")
    assert left["user_id"] == grandma.pk and left["online"] is False
    await dads_socket.close()


async def test_health_probes_leave_no_subscription_behind(two_servers):
    def probe() -> dict:
        url = two_servers[0].url + "/healthz"  # http://127.0.0.1:<port>, made by the test
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return json.load(response)

    for _ in range(5):
        assert (await asyncio.to_thread(probe))["checks"]["channel_layer"] == "ok"
    client = redis.Redis.from_url(settings.REDIS_URL)
    # Pub/sub channels are server-wide: look only at this test run's own (an xdist worker's
    # layer has a prefix of its own, tests/isolation.py).
    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"].get("prefix", "asgi")
    try:
        # Each probe subscribed to a fresh channel of its own; all of them are gone again.
        assert await client.pubsub_channels(f"{prefix}healthz*") == []
    finally:
        await client.aclose()
