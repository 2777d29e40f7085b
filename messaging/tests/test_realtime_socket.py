"""The /ws/ socket through the whole ASGI stack: origin, session, replay, limits, presence."""

import json

import pytest
from asgiref.sync import sync_to_async

from accounts.models import Connection, User
from core import realtime
from messaging.tests.helpers import connected, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_an_anonymous_socket_is_closed_before_anything_is_sent():
    socket = await open_socket(None)
    ok, code = await socket.connect()
    assert not ok
    assert code == 4401


async def test_a_socket_from_another_site_is_refused(member):
    socket = await open_socket(member, origin=(b"origin", b"https://evil.example"))
    ok, _ = await socket.connect()
    assert not ok


async def test_a_deactivated_member_cannot_connect(stranger):
    socket = await open_socket(stranger)
    ok, _ = await socket.connect()
    assert not ok


async def test_a_published_event_reaches_the_members_socket_and_no_one_elses(member, other_member):
    theirs = await connected(other_member)
    mine = await connected(member)
    await theirs.receive_json_from()  # presence: member came online
    await sync_to_async(realtime.publish)([member.pk], {"type": "test.happened", "text": "Привет"})
    assert await mine.receive_json_from() == {"type": "test.happened", "text": "Привет", "seq": 1}
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_a_reconnecting_tab_gets_what_it_missed_in_order_then_ready(member):
    publish = sync_to_async(realtime.publish)
    for n in range(4):
        await publish([member.pk], {"type": "test.happened", "n": n})
    socket = await open_socket(member)
    await socket.connect()
    await socket.send_json_to({"type": "resume", "since": 1})
    frames = [await socket.receive_json_from() for _ in range(4)]
    assert [f.get("seq") for f in frames[:3]] == [2, 3, 4]
    assert frames[3] == {"type": "ready", "seq": 4, "reset": False}
    await socket.disconnect()


async def test_a_bad_resume_gets_a_clear_error(member):
    socket = await open_socket(member)
    await socket.connect()
    await socket.send_json_to({"type": "resume", "since": "yesterday"})
    assert (await socket.receive_json_from())["type"] == "error"
    await socket.send_to(text_data="{not json")
    assert (await socket.receive_json_from()) == {"type": "error", "error": "malformed frame"}
    await socket.send_json_to({"type": "no.such.thing"})
    assert (await socket.receive_json_from()) == {"type": "error", "error": "unknown frame type"}
    await socket.disconnect()


async def test_an_oversized_frame_closes_the_socket(member, settings):
    settings.REALTIME_MAX_FRAME_BYTES = 1024
    socket = await open_socket(member)
    await socket.connect()
    await socket.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * 2000}))
    assert await socket.receive_output() == {"type": "websocket.close", "code": 1009}


async def test_a_flood_of_frames_closes_the_socket(member, settings):
    settings.REALTIME_RATE_BURST = 5
    settings.REALTIME_RATE_PER_SECOND = 0.1
    socket = await open_socket(member)
    await socket.connect()
    for _ in range(6):
        await socket.send_json_to({"type": "ping"})
    outputs = [await socket.receive_output() for _ in range(6)]
    assert outputs[-1] == {"type": "websocket.close", "code": 4429}


async def test_presence_the_family_sees_a_member_come_online_and_leave(member, other_member):
    watcher = await connected(other_member)
    socket = await connected(member)
    came = await watcher.receive_json_from()
    assert came == {
        "type": "presence.changed",
        "user_id": member.pk,
        "online": True,
        "last_seen_at": None,
        "seq": None,
    }
    # A second tab does not announce the member again.
    second_tab = await connected(member)
    assert await watcher.receive_nothing(timeout=0.3)
    await second_tab.disconnect()
    assert await watcher.receive_nothing(timeout=0.3)
    await socket.disconnect()
    left = await watcher.receive_json_from()
    assert left["online"] is False and left["last_seen_at"]
    refreshed = await User.objects.aget(pk=member.pk)
    assert refreshed.last_seen_at is not None
    assert not await Connection.objects.filter(user=member).aexists()
    await watcher.disconnect()


async def test_ping_keeps_the_tab_counted_and_answers_pong(member):
    socket = await connected(member)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    assert await Connection.objects.filter(user=member).acount() == 1
    await socket.disconnect()
