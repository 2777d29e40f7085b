from datetime import timedelta

import pytest
from channels.layers import get_channel_layer
from django.db import transaction

from core import realtime
from core.models import Event


@pytest.fixture
def sent(monkeypatch):
    """What publish handed to the channel layer, in order."""
    frames: list[tuple[int, dict]] = []
    monkeypatch.setattr(realtime, "send_now", lambda batch: frames.extend(batch))
    return frames


@pytest.mark.django_db
def test_an_event_leaves_only_after_the_transaction_commits(
    member, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as committed:
        with transaction.atomic():
            realtime.publish([member.pk], {"type": "test.happened", "n": 1})
        assert sent == []
    assert len(committed) == 1
    assert sent == [(member.pk, {"type": "test.happened", "n": 1, "seq": 1})]


@pytest.mark.django_db
def test_a_rolled_back_write_publishes_nothing_and_stores_nothing(
    member, sent, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as committed,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        realtime.publish([member.pk], {"type": "test.happened"})
        raise RuntimeError("the write failed")
    assert committed == []
    assert sent == []
    assert not Event.objects.exists()
    assert realtime.last_seq(member.pk) == 0


@pytest.mark.django_db
def test_each_member_gets_their_own_gapless_sequence(
    member, other_member, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        realtime.publish([member.pk], {"type": "a"})
        realtime.publish([member.pk, other_member.pk], {"type": "b"})
        realtime.publish([other_member.pk, member.pk, member.pk], {"type": "c"})
    seqs = {}
    for uid, frame in sent:
        seqs.setdefault(uid, []).append(frame["seq"])
    assert seqs == {member.pk: [1, 2, 3], other_member.pk: [1, 2]}


@pytest.mark.django_db
def test_ephemeral_events_carry_no_sequence_and_are_not_stored(
    member, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        realtime.publish([member.pk], {"type": "typing.started"}, durable=False)
    assert sent == [(member.pk, {"type": "typing.started", "seq": None})]
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_replay_returns_what_was_missed_in_order(member, sent):
    for n in range(5):
        realtime.publish([member.pk], {"type": "test.happened", "n": n})
    result = realtime.replay(member.pk, since=2)
    assert not result.reset
    assert [(f["seq"], f["n"]) for f in result.frames] == [(3, 2), (4, 3), (5, 4)]
    assert result.last_seq == 5
    assert realtime.replay(member.pk, since=5).frames == []


@pytest.mark.django_db
def test_a_gap_older_than_the_log_asks_the_tab_to_reload(member, sent):
    for _ in range(3):
        realtime.publish([member.pk], {"type": "test.happened"})
    Event.objects.filter(seq=1).update(
        created_at=Event.objects.get(seq=1).created_at - timedelta(days=60)
    )
    assert realtime.prune_events() == 1
    assert realtime.replay(member.pk, since=0).reset
    assert not realtime.replay(member.pk, since=1).reset


@pytest.mark.django_db
def test_a_sequence_from_the_future_asks_the_tab_to_reload(member):
    assert realtime.replay(member.pk, since=10).reset


def test_an_event_without_a_type_is_refused():
    with pytest.raises(ValueError, match="type"):
        realtime.publish([1], {"n": 1})


@pytest.mark.django_db(transaction=True)
async def test_published_events_reach_the_members_group_through_the_layer(member):
    from asgiref.sync import sync_to_async

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(realtime.group_for(member.pk), channel)
    await sync_to_async(realtime.publish)([member.pk], {"type": "test.happened", "n": 7})
    message = await layer.receive(channel)
    assert message["frame"] == {"type": "test.happened", "n": 7, "seq": 1}
