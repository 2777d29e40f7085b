"""Helpers for messaging tests: the /ws/ socket through the ASGI stack; the stored chat files."""

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.files.storage import default_storage
from django.test import Client

from accounts.models import User
from toricy.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@sync_to_async
def session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(user: User | None, origin=ORIGIN) -> WebsocketCommunicator:
    headers = [origin, (b"host", b"127.0.0.1:8000")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    return WebsocketCommunicator(application, "/ws/", headers=headers)


async def connected(user: User) -> WebsocketCommunicator:
    socket = await open_socket(user)
    ok, _ = await socket.connect()
    assert ok
    await socket.send_json_to({"type": "resume", "since": 0})
    assert (await socket.receive_json_from())["type"] == "ready"
    return socket


def stored_files() -> list[str]:
    """Every file under chat-files/ in the test storage."""
    found, folders = [], ["chat-files"]
    while folders and default_storage.exists("chat-files"):
        current = folders.pop()
        subfolders, files = default_storage.listdir(current)
        folders += [f"{current}/{name}" for name in subfolders]
        found += [f"{current}/{name}" for name in files]
    return sorted(found)
