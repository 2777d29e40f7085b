"""A member's message becomes a stored update for each bot in the chat that hears it; getUpdates
gives them in order, once, and forgets what the bot confirmed."""

import pytest

from bots import objects, services
from bots.models import Update
from messaging import hooks
from messaging.tests.factories import group, say

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """say(...) with the after-commit hooks run, as they run in production."""

    def send(sender, chat, text):
        with django_capture_on_commit_callbacks(execute=True):
            return say(sender, chat, text)

    return send


def test_a_members_message_to_the_bot_is_stored_as_an_update(sent, member, bot, bot_chat):
    message = sent(member, bot_chat, "/start")
    update = Update.objects.get(bot=bot)
    assert update.kind == "message" and update.update_id == 1
    payload = update.payload
    assert payload["message_id"] == message.pk and payload["text"] == "/start"
    assert payload["chat"] == {
        "id": member.pk,
        "type": "private",
        "first_name": "Бабушка Валя",
        "username": "grandma",
    }
    assert payload["from"]["id"] == member.pk and payload["from"]["is_bot"] is False
    assert payload["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


def test_the_same_message_announced_twice_is_stored_once(sent, member, bot, bot_chat):
    message = sent(member, bot_chat, "Привет")
    services.message_sent(message.pk)
    assert Update.objects.filter(bot=bot).count() == 1


def test_the_hook_runs_only_after_commit(member, bot, bot_chat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        say(member, bot_chat, "Привет")
        assert not Update.objects.exists()
    assert callbacks  # the message_sent listener is among them


def test_a_bots_own_messages_are_not_updates(call, sent, member, bot, bot_chat):
    call("sendMessage", chat_id=member.pk, text="Я бот")
    assert not Update.objects.exists()


def test_get_updates_gives_them_in_order_and_offset_confirms(call, sent, member, bot, bot_chat):
    for text in ("раз", "два", "три"):
        sent(member, bot_chat, text)
    status, body = call("getUpdates")
    ids = [update["update_id"] for update in body["result"]]
    assert [update["message"]["text"] for update in body["result"]] == ["раз", "два", "три"]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert [u["update_id"] for u in call("getUpdates", limit=2)[1]["result"]] == ids[:2]
    assert [u["update_id"] for u in call("getUpdates", offset=ids[1])[1]["result"]] == ids[1:]
    # Confirmed ones are gone for good.
    assert [u["update_id"] for u in call("getUpdates")[1]["result"]] == ids[1:]
    assert call("getUpdates", offset=ids[2] + 1)[1]["result"] == []
    assert services.pending_update_count(bot) == 0


def test_a_negative_offset_keeps_only_the_last_updates(call, sent, member, bot, bot_chat):
    for text in ("раз", "два", "три"):
        sent(member, bot_chat, text)
    assert [u["message"]["text"] for u in call("getUpdates", offset=-1)[1]["result"]] == ["три"]
    assert services.pending_update_count(bot) == 1


def test_limit_must_be_1_to_100(call, bot):
    for limit in (0, 101):
        status, body = call("getUpdates", limit=limit)
        assert status == 400 and body["description"].startswith("Bad Request: limit must be")


def test_allowed_updates_is_remembered(call, sent, member, bot, bot_chat):
    call("getUpdates", allowed_updates='["callback_query"]')
    sent(member, bot_chat, "не нужно")
    assert not Update.objects.exists()
    call("getUpdates", allowed_updates="[]")
    sent(member, bot_chat, "нужно")
    assert Update.objects.count() == 1


def test_in_a_group_privacy_mode_hears_commands_mentions_and_replies(
    call, sent, member, other_member, bot
):
    family = group(member, other_member, bot.user)
    sent(member, family, "Кто придёт в воскресенье?")
    sent(member, family, "/poll@echobot")
    sent(member, family, "/poll@otherbot")
    sent(member, family, "@echobot, привет")
    assert [u.payload["text"] for u in Update.objects.order_by("update_id")] == [
        "/poll@echobot",
        "@echobot, привет",
    ]
    assert Update.objects.first().payload["chat"] == {
        "id": -family.pk,
        "type": "group",
        "title": "Семья Ивановых",
    }
    bot.privacy_mode = False
    bot.save()
    sent(other_member, family, "Я приду")
    assert Update.objects.order_by("update_id").last().payload["text"] == "Я приду"


def test_a_revoked_bot_gets_no_updates(sent, member, bot, bot_chat):
    services.revoke_token(bot=bot)
    sent(member, bot_chat, "Ау")
    assert not Update.objects.exists()


def test_old_updates_are_pruned_after_a_day(sent, member, bot, bot_chat, time_machine):
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    sent(member, bot_chat, "Вчера")
    time_machine.shift(60 * 60 * 25)
    assert services.pending_update_count(bot) == 0
    assert services.prune_updates() == 1


def test_a_failing_listener_does_not_disturb_the_sender(sent, member, bot, bot_chat):
    def broken(message_id):
        raise RuntimeError("a bug in a listener")

    hooks.on_message_sent(broken)
    try:
        sent(member, bot_chat, "Всё равно дойдёт")
    finally:
        hooks._message_sent.remove(broken)
    assert Update.objects.count() == 1


def test_entities_count_utf16_code_units():
    text = "\U0001f600 /start и @grandma https://x.test"
    found = objects.entities(text)
    assert found == [
        {"type": "bot_command", "offset": 3, "length": 6},
        {"type": "mention", "offset": 12, "length": 8},
        {"type": "url", "offset": 21, "length": 14},
    ]
