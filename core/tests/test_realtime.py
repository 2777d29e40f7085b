import asyncio
import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from core import realtime
from core.models import Delivery, Event
from core.tests import shapes  # noqa: F401 (registers test.happened)
from core.tests.realtime_helpers import capture_sent


@pytest.fixture
def sent(monkeypatch):
    """What publish handed to the channel layer, in order."""
    return capture_sent(monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_an_event_leaves_only_after_the_transaction_commits(member, sent):
    with transaction.atomic():
        realtime.publish([member.pk], {"type": "test.happened", "n": 1})
        assert sent == []
        assert not Event.objects.exists()
    assert sent == [(member.pk, {"type": "test.happened", "n": 1, "seq": 1})]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_publishes_nothing_and_stores_nothing(member, sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        realtime.publish([member.pk], {"type": "test.happened"})
        raise RuntimeError("the write failed")
    assert sent == []
    assert not Event.objects.exists()
    assert realtime.last_seq(member.pk) == 0


@pytest.mark.django_db(transaction=True)
def test_each_member_gets_their_own_gapless_sequence(member, other_member, sent):
    realtime.publish([member.pk], {"type": "test.happened", "n": 1})
    realtime.publish([member.pk, other_member.pk], {"type": "test.happened", "n": 2})
    realtime.publish([other_member.pk, member.pk, member.pk], {"type": "test.happened", "n": 3})
    seqs = {}
    for uid, frame in sent:
        seqs.setdefault(uid, []).append(frame["seq"])
    assert seqs == {member.pk: [1, 2, 3], other_member.pk: [1, 2]}


@pytest.mark.django_db(transaction=True)
def test_an_event_for_many_members_is_stored_and_encoded_once(member, other_member, owner, sent):
    everyone = [member.pk, other_member.pk, owner.pk]
    realtime.publish(everyone, {"type": "test.happened", "n": 5})
    assert Event.objects.count() == 1
    assert Event.objects.get().payload == {"n": 5}
    # Each member has a pointer to it with their own sequence, not a copy.
    assert sorted(Delivery.objects.values_list("user_id", "seq")) == sorted(
        (uid, 1) for uid in everyone
    )
    assert len(sent.texts) == 1
    assert {uid for uid, _ in sent} == set(everyone)


@pytest.mark.django_db(transaction=True)
def test_ephemeral_events_carry_no_sequence_and_are_not_stored(member, sent):
    realtime.publish([member.pk], {"type": "test.ephemeral"}, durable=False)
    assert sent == [(member.pk, {"type": "test.ephemeral", "seq": None})]
    assert not Event.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_replay_returns_what_was_missed_in_order(member, sent):
    for n in range(5):
        realtime.publish([member.pk], {"type": "test.happened", "n": n})
    result = realtime.replay(member.pk, since=2)
    assert not result.reset
    assert [(f["seq"], f["n"]) for f in result.frames] == [(3, 2), (4, 3), (5, 4)]
    assert result.last_seq == 5
    assert realtime.replay(member.pk, since=5).frames == []


@pytest.mark.django_db(transaction=True)
def test_a_gap_older_than_the_log_asks_the_tab_to_reload(member, sent):
    for _ in range(3):
        realtime.publish([member.pk], {"type": "test.happened"})
    first = Delivery.objects.get(user=member, seq=1).event
    Event.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(days=60))
    assert realtime.prune_events() == 1
    assert not Delivery.objects.filter(seq=1).exists()
    assert realtime.replay(member.pk, since=0).reset
    assert not realtime.replay(member.pk, since=1).reset


@pytest.mark.django_db(transaction=True)
def test_a_sequence_from_the_future_asks_the_tab_to_reload(member):
    assert realtime.replay(member.pk, since=10).reset


def test_an_event_without_a_type_is_refused():
    with pytest.raises(ValueError, match="type"):
        realtime.publish([1], {"n": 1})


def test_the_frame_text_is_the_event_with_the_members_sequence():
    text = realtime.encode({"type": "test.happened", "n": 1, "text": "Привет"})
    message = {"type": "realtime.event", "seq": 7, "text": text}
    assert json.loads(realtime.frame_text(message)) == {
        "type": "test.happened",
        "n": 1,
        "text": "Привет",
        "seq": 7,
    }
    ephemeral = {"type": "realtime.event", "seq": None, "text": text}
    assert realtime.frame_of(ephemeral)["seq"] is None


@pytest.mark.django_db(transaction=True)
async def test_published_events_reach_the_members_group_through_the_layer(member):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(realtime.group_for(member.pk), channel)
    await sync_to_async(realtime.publish)([member.pk], {"type": "test.happened", "n": 7})
    message = await layer.receive(channel)
    assert realtime.frame_of(message) == {"type": "test.happened", "n": 7, "seq": 1}


@pytest.fixture
async def server_loop(settings):
    """This test's event loop plays daphne's: deferred fan-out runs on it."""
    settings.REALTIME_BACKGROUND_FANOUT = True
    realtime.serve_on(asyncio.get_running_loop())
    yield
    realtime.serve_on(None)


@pytest.mark.django_db(transaction=True)
async def test_on_a_server_the_request_returns_before_the_fan_out(member, server_loop):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(realtime.group_for(member.pk), channel)

    def request() -> int:
        for n in range(3):
            realtime.publish([member.pk], {"type": "test.happened", "n": n})
        return Delivery.objects.count()

    # While the server's fan-out is busy, the request still commits and returns.
    async with realtime.fan_out_lock():
        stored_when_the_request_returned = await sync_to_async(request)()
    frames = [realtime.frame_of(await asyncio.wait_for(layer.receive(channel), 5)) for _ in "abc"]

    assert stored_when_the_request_returned == 0
    assert [(frame["n"], frame["seq"]) for frame in frames] == [(0, 1), (1, 2), (2, 3)]
    assert await sync_to_async(Delivery.objects.filter(user=member).count)() == 3
