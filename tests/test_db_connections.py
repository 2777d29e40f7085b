"""Under daphne, the PostgreSQL connections Toricy holds stay within its pool's bound.

Two daphne processes, each with a pool of at most POOL connections, serve a few hundred page
loads, message sends and websocket sessions at once; afterwards (and while the load runs) the
connections they hold on PostgreSQL never pass 2 x POOL, and /healthz reports the pool.
"""

from __future__ import annotations

import asyncio
import json
import secrets

import aiohttp
import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.test import Client
from yarl import URL

from accounts.tests.factories import UserFactory
from messaging import services
from tests.server import Server

POOL = 4
APP_NAME = f"toricy-pool-{secrets.token_hex(3)}"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the pool is PostgreSQL's (CI runs it there)"
    ),
]


@pytest.fixture
def two_servers(static_root):
    overrides = {"DB_POOL_MAX_SIZE": str(POOL), "DB_APPLICATION_NAME": APP_NAME}
    servers = [
        Server(static_root=static_root, env_overrides=overrides).start(),
        Server(static_root=static_root, env_overrides=overrides).start(),
    ]
    yield servers
    for server in servers:
        server.stop()


def held_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
        )
        return cursor.fetchone()[0]


def session_cookie(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


async def browse(server: Server, cookies: dict[str, str], chat_id: int, rounds: int) -> int:
    """Load the pages a member opens and send messages over HTTP; return how many succeeded."""
    ok = 0
    # unsafe: the jar keeps cookies of an IP address (127.0.0.1) too.
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base_url=server.url, cookies=cookies, cookie_jar=jar) as http:
        for n in range(rounds):
            for path in ("/", "/chats/", f"/chats/{chat_id}/"):
                async with http.get(path, allow_redirects=False) as answer:
                    ok += answer.status == 200
            token = http.cookie_jar.filter_cookies(URL(server.url)).get("csrftoken")
            async with http.post(
                f"/chats/{chat_id}/send/",
                data={"client_id": secrets.token_hex(8), "text": f"сообщение {n}"},
                headers={"X-CSRFToken": token.value if token else "", "Referer": server.url},
            ) as answer:
                ok += answer.status == 201
    return ok


async def socket_sessions(server: Server, cookies: dict[str, str], count: int) -> int:
    """Open a websocket, resume, wait for `ready`, close; return how many got ready."""
    ready = 0
    header = "; ".join(f"{key}={value}" for key, value in cookies.items())
    async with aiohttp.ClientSession() as http:
        for _ in range(count):
            async with http.ws_connect(
                server.url.replace("http", "ws") + "/ws/",
                headers={"Cookie": header, "Origin": server.url},
            ) as socket:
                await socket.send_str(json.dumps({"type": "resume", "since": 0}))
                async with asyncio.timeout(10):
                    async for frame in socket:
                        if json.loads(frame.data).get("type") == "ready":
                            ready += 1
                            break
    return ready


async def test_two_daphnes_hold_no_more_connections_than_their_pools(two_servers):
    people = [await sync_to_async(UserFactory)(display_name=f"Родня {n}") for n in range(8)]
    chat = await sync_to_async(services.create_group)(
        by=people[0], title="Семья", members=people[1:]
    )
    cookies = [await sync_to_async(session_cookie)(person) for person in people]

    peak = 0

    async def watch() -> None:
        nonlocal peak
        while True:
            peak = max(peak, await sync_to_async(held_connections)())
            await asyncio.sleep(0.05)

    watcher = asyncio.create_task(watch())
    try:
        results = await asyncio.gather(
            *(
                browse(two_servers[n % 2], cookies[n], chat.pk, rounds=10)
                for n in range(len(people))
            ),
            *(socket_sessions(two_servers[n % 2], cookies[n], count=5) for n in range(8)),
        )
    finally:
        watcher.cancel()

    assert 0 < peak <= 2 * POOL
    pages, sockets = results[: len(people)], results[len(people) :]
    assert sum(pages) == len(people) * 10 * 4  # 320 requests, every one answered
    assert sum(sockets) == 8 * 5  # 40 websocket sessions
    await asyncio.sleep(1)
    assert await sync_to_async(held_connections)() <= 2 * POOL

    async with aiohttp.ClientSession() as http, http.get(two_servers[0].url + "/healthz") as answer:
        pool = (await answer.json())["database_pool"]
    assert pool["max_size"] == POOL
    assert 0 <= pool["in_use"] <= pool["open"] <= POOL
