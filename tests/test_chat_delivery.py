"""Chat messages through real daphne processes: sent over HTTP on one, heard on another (Redis),
and caught up after the server restarts (both modes)."""

import asyncio
import json

import pytest
import requests
from asgiref.sync import sync_to_async
from django.conf import settings

from accounts.tests.factories import UserFactory
from core import realtime
from messaging import services
from messaging.models import Message
from tests.server import Server
from tests.sockets import cookie_for, next_frame

pytestmark = pytest.mark.django_db(transaction=True)


async def socket_since(server: Server, cookie: str, since: int):
    import websockets

    socket = await websockets.connect(
        server.url.replace("http", "ws") + "/ws/",
        additional_headers={"Cookie": cookie},
        origin=server.url,
    )
    await socket.send(json.dumps({"type": "resume", "since": since}))
    return socket


def post_message(server: Server, cookie: str, chat_id: int, client_id: str, text: str) -> int:
    """Send as the browser does: an HTTP POST with the CSRF cookie and header."""
    token = "a" * 32
    response = requests.post(
        f"{server.url}/chats/{chat_id}/send/",
        data={"client_id": client_id, "text": text},
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "X-CSRFToken": token,
            "Origin": server.url,
            "Referer": server.url + "/",
        },
        timeout=10,
    )
    return response.status_code


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI runs it with Redis)")
async def test_a_message_sent_on_one_process_arrives_on_a_socket_of_the_other(static_root):
    first = Server(static_root=static_root).start()
    second = Server(static_root=static_root).start()
    try:
        grandma = await sync_to_async(UserFactory)(display_name="Бабушка Валя")
        dad = await sync_to_async(UserFactory)(display_name="Папа")
        chat = await sync_to_async(services.direct_chat)(user=grandma, other=dad)
        dads_cookie = await sync_to_async(cookie_for)(dad)
        dads_socket = await socket_since(second, dads_cookie, 0)
        await next_frame(dads_socket, "ready")
        grandmas_cookie = await sync_to_async(cookie_for)(grandma)
        status = await asyncio.to_thread(
            post_message, first, grandmas_cookie, chat.pk, "cross-process-1", "Позвони мне"
        )
        assert status == 201
        frame = await next_frame(dads_socket, "message.created")
        assert frame["chat_id"] == chat.pk and "Позвони мне" in frame["html"]
        await dads_socket.close()
    finally:
        first.stop()
        second.stop()


async def test_after_a_server_restart_the_tab_gets_what_it_missed_once_and_in_order(static_root):
    server = Server(static_root=static_root).start()
    grandma = await sync_to_async(UserFactory)(display_name="Бабушка Валя")
    dad = await sync_to_async(UserFactory)(display_name="Папа")
    chat = await sync_to_async(services.direct_chat)(user=grandma, other=dad)
    cookie = await sync_to_async(cookie_for)(dad)
    socket = await socket_since(server, cookie, 0)
    ready = await next_frame(socket, "ready")
    seen = ready["seq"]

    # The server goes down (a deploy); grandma writes meanwhile from another process.
    server.stop()
    await socket.close()
    for n in range(3):
        await sync_to_async(services.send_message)(
            sender=grandma, chat=chat, client_id=f"while-down-{n}", text=f"Сообщение {n}"
        )

    restarted = Server(static_root=static_root, port=server.port).start()
    try:
        socket = await socket_since(restarted, cookie, seen)
        frames = []
        async with asyncio.timeout(10):
            while True:
                frame = json.loads(await socket.recv())
                if frame["type"] == "ready":
                    break
                frames.append(frame)
        created = [f for f in frames if f["type"] == "message.created"]
        assert [f["chat_seq"] for f in created] == [1, 2, 3]
        assert [f["seq"] for f in frames] == sorted({f["seq"] for f in frames})
        assert frame["seq"] == await sync_to_async(realtime.last_seq)(dad.pk)
        assert await sync_to_async(Message.objects.filter(chat=chat).count)() == 3
        await socket.close()
    finally:
        restarted.stop()
