import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from accounts.services import block
from core import realtime
from core.events import check
from core.realtime import group_for
from notifications import services
from notifications.models import Notification

LIKE = Notification.Kind.LIKE


def test_a_like_tells_the_author_once_however_often_it_is_retried(member, other_member):
    for _ in range(3):
        services.notify(member, LIKE, actor=other_member, url="/p/1/", key="like:post:1:dad")

    assert member.notifications.count() == 1
    assert services.unread_count(member) == 1


def test_nobody_is_told_about_their_own_doing(member):
    assert services.notify(member, LIKE, actor=member, key="like:post:1:me") is None
    assert services.unread_count(member) == 0


def test_members_who_block_each_other_are_not_told(member, other_member):
    block(blocker=member, blocked=other_member)

    services.notify(member, LIKE, actor=other_member)
    services.notify(other_member, LIKE, actor=member)

    assert Notification.objects.count() == 0


def test_an_unlike_takes_the_notification_back(member, other_member):
    services.notify(member, LIKE, actor=other_member, key="like:post:1:dad")
    services.withdraw(member, "like:post:1:dad")

    assert services.unread_count(member) == 0
    # Liking again tells again: the key is free once withdrawn.
    services.notify(member, LIKE, actor=other_member, key="like:post:1:dad")
    assert services.unread_count(member) == 1


def test_a_long_snippet_is_cut_to_one_short_line(member, other_member):
    note = services.notify(
        member, Notification.Kind.COMMENT, actor=other_member, text="слово\n" * 100
    )
    assert len(note.text) == 200
    assert "\n" not in note.text


def test_an_unknown_kind_is_a_programming_error(member, other_member):
    with pytest.raises(ValueError):
        services.notify(member, "poke", actor=other_member)


def test_marking_read_touches_only_my_own(member, other_member, owner):
    mine = services.notify(member, LIKE, actor=owner)
    theirs = services.notify(other_member, LIKE, actor=owner)

    assert services.mark_read(member, [mine.pk, theirs.pk]) == 1

    assert services.unread_count(member) == 0
    assert services.unread_count(other_member) == 1


@pytest.mark.django_db(transaction=True)
async def test_the_open_tabs_hear_the_new_unread_count(member, other_member):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group_for(member.pk), channel)
    notify = sync_to_async(services.notify)

    await notify(member, LIKE, actor=other_member, key="k1")
    await notify(member, Notification.Kind.MENTION, actor=other_member, key="k2")

    async with asyncio.timeout(5):
        first = await layer.receive(channel)
        second = await layer.receive(channel)
    first, second = realtime.frame_of(first), realtime.frame_of(second)
    assert [first["unread"], second["unread"]] == [1, 2]
    assert first["type"] == "notification.created"


def test_each_change_of_the_count_has_its_own_declared_event(member, other_member, monkeypatch):
    sent = []
    monkeypatch.setattr(
        services.realtime, "publish", lambda ids, event, **kw: sent.append((ids, event))
    )
    services.notify(member, LIKE, actor=other_member, key="like:1")
    services.notify(member, LIKE, actor=other_member, key="like:2")
    services.withdraw(member, "like:1")
    services.mark_read(member)
    assert sent == [
        ([member.pk], {"type": "notification.created", "unread": 1}),
        ([member.pk], {"type": "notification.created", "unread": 2}),
        ([member.pk], {"type": "notification.withdrawn", "unread": 1}),
        ([member.pk], {"type": "notifications.read", "unread": 0}),
    ]
    for _, event in sent:
        check(event)
