"""Real websockets to a real daphne (tests/server.py), signed in with a session cookie."""

import asyncio
import json

import websockets
from django.test import Client

from tests.server import Server


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def open_socket(server: Server, cookie: str):
    socket = await websockets.connect(
        server.url.replace("http", "ws") + "/ws/",
        additional_headers={"Cookie": cookie},
        origin=server.url,
    )
    await socket.send(json.dumps({"type": "resume", "since": 0}))
    return socket


async def next_frame(socket, kind: str) -> dict:
    async with asyncio.timeout(10):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == kind:
                return frame
