"""Every messaging event has one builder and one registered shape (core.events)."""

import pytest

from core import events as registry
from messaging import events
from messaging.models import Message
from messaging.tests.factories import group, say

pytestmark = pytest.mark.django_db

MESSAGING_EVENTS = {
    "message.created",
    "message.updated",
    "message.hidden",
    "chat.read",
    "chat.delivered",
    "chat.typing",
    "chat.changed",
    "chat.removed",
    "folders.changed",
    "voice.listened",
}


def test_every_messaging_event_is_registered():
    assert registry.names() >= MESSAGING_EVENTS


def test_every_builder_makes_an_event_of_its_registered_shape(member, other_member):
    chat = group(member, other_member)
    message = Message.objects.get(pk=say(member, chat).pk)
    built = [
        events.message_event("message.created", message, "ru"),
        events.message_event("message.updated", message, "en"),
        events.message_hidden(chat_id=chat.pk, message_id=message.pk),
        events.chat_read(chat_id=chat.pk, user_id=member.pk, read_seq=1),
        events.chat_delivered(chat_id=chat.pk, user_id=member.pk, delivered_seq=1),
        events.typing(chat_id=chat.pk, user_id=member.pk, name=member.name),
        events.chat_changed(chat_id=chat.pk),
        events.chat_removed(chat_id=chat.pk),
        events.folders_changed(),
        events.voice_listened(chat_id=chat.pk, message_id=message.pk, user_id=other_member.pk),
    ]
    assert {event["type"] for event in built} == MESSAGING_EVENTS
    for event in built:
        registry.check(event)
        # The member's event sequence is added by realtime, never by a builder.
        assert "seq" not in event


def test_a_misshapen_message_event_is_caught():
    with pytest.raises(registry.MisshapenEvent):
        registry.check({"type": "message.hidden", "chat_id": 1})
    with pytest.raises(registry.MisshapenEvent):
        registry.check({"type": "message.hidden", "chat_id": 1, "message_id": "1"})
