"""Call events are declared once (calls/events.py) and every one sent matches its declaration."""

import json

import pytest

from calls import events, services
from calls.models import Call
from core import realtime
from core.events import MisshapenEvent, check
from messaging import services as messaging_services

pytestmark = pytest.mark.django_db

TAB_A, TAB_B = "tab-aaaaaaaa", "tab-bbbbbbbb"


@pytest.fixture
def published(monkeypatch):
    frames = []

    def capture(text, seqs):
        frames.extend({**json.loads(text), "seq": seq} for seq in seqs.values())

    monkeypatch.setattr(realtime, "send_now", capture)
    return frames


def test_ringing_answering_signalling_and_hanging_up_send_declared_events(
    member, other_member, published, django_capture_on_commit_callbacks
):
    chat = messaging_services.direct_chat(user=member, other=other_member)
    with django_capture_on_commit_callbacks(execute=True):
        call = services.start_call(caller=member, chat=chat, video=True, session=TAB_A)
        services.join_call(user=other_member, call=call, session=TAB_B)
        services.relay_signal(
            member,
            {
                "call_id": call.pk,
                "to": other_member.pk,
                "session": TAB_A,
                "to_session": TAB_B,
                "description": {"type": "offer", "sdp": "v=0"},
                "media": {"audio": True},
            },
        )
        services.leave_call(user=member, call=Call.objects.get(), session=TAB_A)
    kinds = [frame["type"] for frame in published]
    assert kinds[0] == "call.ringing"
    assert {"call.updated", "call.signal", "call.ended"} <= set(kinds)
    for frame in published:
        if frame["type"].startswith("call."):  # the call's line in the chat is messaging's
            check(frame)


def test_a_signal_carries_only_what_it_declares():
    frame = events.call_signal(
        call_id=1, from_user=2, from_session=TAB_A, to_session=TAB_B, payload={"candidates": []}
    )
    check(frame)
    with pytest.raises(MisshapenEvent):
        check({**frame, "sdp": "v=0"})
    with pytest.raises(MisshapenEvent):
        check({"type": "call.signal", "call_id": 1})
