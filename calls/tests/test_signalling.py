"""Call events and signalling over the real /ws/ socket: only the call's own tabs hear them."""

import time

import pytest
from asgiref.sync import sync_to_async

from accounts.tests.factories import UserFactory
from calls import services
from calls.models import Call
from messaging import services as messaging_services
from messaging.tests.helpers import connected

pytestmark = pytest.mark.django_db(transaction=True)

TAB_A, TAB_B, TAB_X = "tab-aaaaaaaa", "tab-bbbbbbbb", "tab-xxxxxxxx"
OFFER = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}


async def frames_of(socket, timeout=0.5) -> list[dict]:
    frames = []
    while not await socket.receive_nothing(timeout=timeout):
        frames.append(await socket.receive_json_from())
    return frames


def of_kind(frames, kind):
    return [f for f in frames if f["type"] == kind]


@pytest.fixture
def people(member, other_member):
    outsider = UserFactory(username="outsider")
    chat = messaging_services.direct_chat(user=member, other=other_member)
    return member, other_member, outsider, chat


async def test_ringing_reaches_the_callee_and_signals_only_the_joined_tab(people):
    caller, callee, outsider, chat = people
    callers = await connected(caller)
    callees = await connected(callee)
    callees_other_tab = await connected(callee)
    strangers = await connected(outsider)

    call = await sync_to_async(services.start_call)(
        caller=caller, chat=chat, video=True, session=TAB_A
    )
    for tab in (callees, callees_other_tab):
        ringing = of_kind(await frames_of(tab), "call.ringing")
        assert ringing and ringing[0]["call"]["id"] == call.pk
        assert {p["user_id"]: p["state"] for p in ringing[0]["call"]["participants"]} == {
            caller.pk: "joined",
            callee.pk: "ringing",
        }
    assert of_kind(await frames_of(callers), "call.updated")
    await sync_to_async(services.join_call)(user=callee, call=call, session=TAB_B)
    await frames_of(callers)
    await frames_of(callees)
    await frames_of(callees_other_tab)

    # The caller's offer reaches the callee, tagged for the tab that joined.
    await callers.send_json_to(
        {
            "type": "call.signal",
            "call_id": call.pk,
            "to": callee.pk,
            "to_session": TAB_B,
            "session": TAB_A,
            "description": OFFER,
        }
    )
    signals = of_kind(await frames_of(callees), "call.signal")
    assert signals == [
        {
            "type": "call.signal",
            "call_id": call.pk,
            "from_user": caller.pk,
            "from_session": TAB_A,
            "to_session": TAB_B,
            "description": OFFER,
            "seq": None,
        }
    ]

    # A stranger cannot inject signalling into the call, nor hear it.
    await strangers.send_json_to(
        {
            "type": "call.signal",
            "call_id": call.pk,
            "to": callee.pk,
            "to_session": TAB_B,
            "session": TAB_X,
            "description": OFFER,
        }
    )
    assert not of_kind(await frames_of(callees), "call.signal")
    assert not [f for f in await frames_of(strangers) if f["type"].startswith("call.")]

    # A member's other tab (not the one in the call) cannot speak for them either.
    await callees_other_tab.send_json_to(
        {
            "type": "call.signal",
            "call_id": call.pk,
            "to": caller.pk,
            "to_session": TAB_A,
            "session": TAB_X,
            "candidates": [{"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host"}],
        }
    )
    assert not of_kind(await frames_of(callers), "call.signal")

    # Signalling to someone who is not in the call goes nowhere.
    await callers.send_json_to(
        {
            "type": "call.signal",
            "call_id": call.pk,
            "to": outsider.pk,
            "to_session": TAB_X,
            "session": TAB_A,
            "description": OFFER,
        }
    )
    assert not [f for f in await frames_of(strangers) if f["type"].startswith("call.")]

    # Hanging up ends it on both sides; signalling after the end is dropped.
    await sync_to_async(services.leave_call)(user=caller, call=call, session=TAB_A)
    ended = of_kind(await frames_of(callees), "call.ended")
    assert ended and ended[0]["call"]["outcome"] == "answered"
    await callers.send_json_to(
        {
            "type": "call.signal",
            "call_id": call.pk,
            "to": callee.pk,
            "to_session": TAB_B,
            "session": TAB_A,
            "description": OFFER,
        }
    )
    assert not of_kind(await frames_of(callees), "call.signal")
    for tab in (callers, callees, callees_other_tab, strangers):
        await tab.disconnect()


async def test_a_call_nobody_answers_is_missed_for_both_when_the_ring_runs_out(people, settings):
    settings.CALL_RING_SECONDS = 1
    caller, callee, _outsider, chat = people
    callers = await connected(caller)
    callees = await connected(callee)
    call = await sync_to_async(services.start_call)(
        caller=caller, chat=chat, video=False, session=TAB_A
    )
    started = time.monotonic()
    ended = []
    while not ended and time.monotonic() - started < 6:
        ended = of_kind(await frames_of(callees, timeout=0.3), "call.ended")
    assert ended, "the ring never ran out"
    assert ended[0]["call"]["outcome"] == "missed"
    assert of_kind(await frames_of(callers), "call.ended")[0]["call"]["outcome"] == "missed"
    call = await sync_to_async(Call.objects.get)(pk=call.pk)
    assert call.outcome == Call.Outcome.MISSED
    line = await sync_to_async(lambda: chat.messages.order_by("-seq").first().text)()
    assert line == "Пропущенный аудиозвонок"
    await callers.disconnect()
    await callees.disconnect()
