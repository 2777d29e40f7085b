"""Chat events over the real /ws/ socket: members get them, nobody else does."""

import pytest
from asgiref.sync import sync_to_async

from accounts.tests.factories import UserFactory
from core import realtime
from messaging import services
from messaging.tests.factories import group, say
from messaging.tests.helpers import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def connected(user, *, since: int | None = None):
    """A tab opened now: it resumes from the member's newest event (or from `since`)."""
    socket = await open_socket(user)
    ok, _ = await socket.connect()
    assert ok
    if since is None:
        since = await sync_to_async(realtime.last_seq)(user.pk)
    await socket.send_json_to({"type": "resume", "since": since})
    return socket


async def next_of(socket, kind: str, limit: int = 10) -> dict:
    for _ in range(limit):
        frame = await socket.receive_json_from(timeout=2)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind}")


async def test_a_message_reaches_the_members_sockets_with_its_bubble_and_no_one_elses(
    member, other_member
):
    outsider = await sync_to_async(UserFactory)()
    chat = await sync_to_async(group)(member, other_member, title="Дача")
    theirs = await connected(other_member)
    stranger = await connected(outsider)
    message = await sync_to_async(say)(member, chat, "Едем в субботу")
    frame = await next_of(theirs, "message.created")
    assert set(frame) == {
        "type",
        "chat_id",
        "message_id",
        "seq",
        "chat_seq",
        "sender_id",
        "client_id",
        "html",
    }
    assert (frame["chat_id"], frame["message_id"], frame["chat_seq"]) == (
        chat.pk,
        message.pk,
        message.seq,
    )
    assert frame["sender_id"] == member.pk and "Едем в субботу" in frame["html"]
    assert f'data-message-id="{message.pk}"' in frame["html"]
    while not await stranger.receive_nothing(timeout=0.3):
        assert (await stranger.receive_json_from())["type"] in ("ready", "presence.changed")
    await theirs.disconnect()
    await stranger.disconnect()


async def test_the_bubble_comes_in_each_members_language(member, other_member):
    other_member.language = "en"
    await sync_to_async(other_member.save)()
    chat = await sync_to_async(services.direct_chat)(user=member, other=other_member)
    message = await sync_to_async(say)(member, chat, "Hello")
    await sync_to_async(services.delete_message)(user=member, message=message, for_everyone=True)
    # Both missed the events while offline: the replay brings them, each in their language.
    theirs = await connected(other_member, since=0)
    mine = await connected(member, since=0)
    english = [f async for f in _frames(theirs) if f["type"] == "message.updated"]
    russian = [f async for f in _frames(mine) if f["type"] == "message.updated"]
    assert "Message deleted" in english[-1]["html"]
    assert "Сообщение удалено" in russian[-1]["html"]
    await theirs.disconnect()
    await mine.disconnect()


async def _frames(socket):
    while True:
        frame = await socket.receive_json_from(timeout=2)
        if frame["type"] == "ready":
            return
        yield frame


async def test_typing_goes_to_the_other_members_only_and_not_from_strangers(member, other_member):
    outsider = await sync_to_async(UserFactory)()
    chat = await sync_to_async(group)(member, other_member, title="Дача")
    theirs = await connected(other_member)
    mine = await connected(member)
    stranger = await connected(outsider)
    await mine.send_json_to({"type": "chat.typing", "chat_id": chat.pk})
    frame = await next_of(theirs, "chat.typing")
    assert frame == {
        "type": "chat.typing",
        "chat_id": chat.pk,
        "user_id": member.pk,
        "name": member.name,
        "seq": None,
    }
    # A stranger pretending to type in the chat reaches nobody.
    await stranger.send_json_to({"type": "chat.typing", "chat_id": chat.pk})
    for socket in (theirs, mine):
        while not await socket.receive_nothing(timeout=0.3):
            assert (await socket.receive_json_from())["type"] != "chat.typing"
    for socket in (theirs, mine, stranger):
        await socket.disconnect()


async def test_a_removed_member_gets_chat_removed_and_then_nothing(member, other_member):
    chat = await sync_to_async(group)(member, other_member, title="Дача")
    theirs = await connected(other_member)
    await sync_to_async(services.remove_member)(by=member, chat=chat, person=other_member)
    await next_of(theirs, "chat.removed")
    await sync_to_async(say)(member, chat, "без тебя")
    while not await theirs.receive_nothing(timeout=0.3):
        assert (await theirs.receive_json_from())["type"] != "message.created"
    await theirs.disconnect()
