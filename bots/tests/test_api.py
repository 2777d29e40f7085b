"""The Bot API's wire format: parameters in every encoding, the envelope, each method's errors,
and that one bot's token never reaches another bot's chats."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Block
from bots import services
from bots.errors import ApiError
from bots.methods import METHODS
from bots.params import Param, coerce, collect, parse
from messaging import services as messaging
from messaging.models import Message
from messaging.tests.factories import group, say

pytestmark = pytest.mark.django_db


# --- Parameters ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "value"),
    [("true", True), ("True", True), ("1", True), (True, True), (1, True)]
    + [("false", False), ("False", False), ("0", False), (False, False), (0, False)],
)
def test_booleans_arrive_in_every_spelling_the_libraries_use(raw, value):
    assert coerce(Param("flag", "boolean"), raw, {}) is value


@pytest.mark.parametrize("raw", ["yes", "2", "", [], {}])
def test_anything_else_is_not_a_boolean(raw):
    with pytest.raises(ApiError) as refused:
        coerce(Param("flag", "boolean"), raw, {})
    assert refused.value.error_code == 400


def test_integers_and_chat_ids_arrive_as_text_or_json():
    assert coerce(Param("n", "integer"), "42", {}) == 42
    assert coerce(Param("n", "integer"), -7, {}) == -7
    assert coerce(Param("chat_id", "chat_id"), "-15", {}) == -15
    assert coerce(Param("chat_id", "chat_id"), "@family", {}) == "@family"
    for wrong in ("4.5", "abc", True, None):
        with pytest.raises(ApiError):
            coerce(Param("n", "integer"), wrong, {})
    with pytest.raises(ApiError, match="at most 100"):
        coerce(Param("limit", "integer", maximum=100), "101", {})


def test_object_parameters_are_json_decoded_when_they_arrive_as_text():
    markup = {"inline_keyboard": [[{"text": "Да", "callback_data": "yes"}]]}
    assert coerce(Param("reply_markup", "object"), json.dumps(markup), {}) == markup
    assert coerce(Param("reply_markup", "object"), markup, {}) == markup
    assert coerce(Param("allowed_updates", "array"), '["message"]', {}) == ["message"]
    with pytest.raises(ApiError, match="can't parse"):
        coerce(Param("reply_markup", "object"), "{not json", {})
    with pytest.raises(ApiError):
        coerce(Param("allowed_updates", "array"), '{"a": 1}', {})


def test_attach_names_a_part_of_the_multipart_body():
    photo = SimpleUploadedFile("cat.jpg", b"jpeg", content_type="image/jpeg")
    files = {"f0a1": photo}
    assert coerce(Param("photo", "file"), "attach://f0a1", files) is photo
    assert coerce(Param("photo", "file"), photo, files) is photo
    assert coerce(Param("photo", "file"), "AgACAgIAAxkB", files) == "AgACAgIAAxkB"
    with pytest.raises(ApiError, match="not found"):
        coerce(Param("photo", "file"), "attach://missing", files)


def test_required_parameters_unknown_ones_and_the_order_of_sources():
    params = (Param("chat_id", "chat_id", required=True), Param("text", required=True))
    raw = collect({"chat_id": "5", "text": "из адреса"}, {"text": "из тела"}, {})
    assert parse(params, {**raw, "unknown": "x"}, {}) == {"chat_id": 5, "text": "из тела"}
    with pytest.raises(ApiError, match="chat_id is empty"):
        parse(params, {"text": "hi"}, {})
    with pytest.raises(ApiError, match="the JSON body must be an object"):
        collect({}, [1, 2], {})


@pytest.mark.parametrize("how", ["form", "json", "query"])
def test_a_message_can_be_sent_in_every_encoding(call, member, bot_chat, how):
    status, body = call("sendMessage", how=how, chat_id=member.pk, text="Доброе утро")
    assert status == 200 and body["ok"] is True
    assert body["result"]["text"] == "Доброе утро"


def test_a_multipart_body_is_read_too(client, token, member, bot_chat):
    response = client.post(
        f"/bot{token}/sendMessage",
        {"chat_id": str(member.pk), "text": "Фото потом", "doc": SimpleUploadedFile("a.txt", b"a")},
    )
    assert response.status_code == 200 and response.json()["result"]["text"] == "Фото потом"


def test_method_names_are_case_insensitive_and_get_works(client, token, bot):
    for name in ("getMe", "getme", "GETME"):
        response = client.get(f"/bot{token}/{name}")
        assert response.status_code == 200 and response.json()["result"]["id"] == bot.pk


def test_errors_carry_the_envelope_and_the_status_is_the_error_code(client, token):
    response = client.post(f"/bot{token}/noSuchMethod")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    response = client.post(f"/bot{token}/getMe", "{broken", content_type="application/json")
    assert response.status_code == 400 and response.json()["ok"] is False
    assert response.json()["description"].startswith("Bad Request: ")
    response = client.post(f"/bot{token}/getMe", "plain", content_type="text/plain")
    assert response.status_code == 400 and response.json()["error_code"] == 400


# --- Methods -------------------------------------------------------------------------------------
def test_get_me_describes_the_bot(call, bot):
    status, body = call("getMe")
    assert status == 200
    me = body["result"]
    assert me["id"] == bot.pk and me["is_bot"] is True and me["username"] == "echobot"
    assert me["first_name"] == "Эхо" and me["can_read_all_group_messages"] is False
    assert call("logOut") == (200, {"ok": True, "result": True})
    assert call("close") == (200, {"ok": True, "result": True})


def test_send_message_posts_into_the_members_chat_through_messaging(call, member, bot, bot_chat):
    status, body = call("sendMessage", chat_id=member.pk, text="Напоминаю про обед")
    message = Message.objects.get(pk=body["result"]["message_id"])
    assert (message.chat, message.sender, message.text) == (
        bot_chat,
        bot.user,
        "Напоминаю про обед",
    )
    result = body["result"]
    assert result["chat"] == {
        "id": member.pk,
        "type": "private",
        "first_name": "Бабушка Валя",
        "username": "grandma",
    }
    assert result["from"]["id"] == bot.pk and result["from"]["is_bot"] is True
    assert isinstance(result["date"], int)


def test_html_goes_through_the_safe_renderers_markup(call, member, bot_chat):
    status, body = call(
        "sendMessage",
        chat_id=member.pk,
        parse_mode="HTML",
        text='<b>Важно</b>: <i>обед</i> в <code>13:00</code> &lt;3 <a href="https://x.test/">тут</a>',
    )
    assert status == 200
    stored = Message.objects.get(pk=body["result"]["message_id"]).text
    assert stored == "**Важно**: _обед_ в `13:00` <3 тут (https://x.test/)"
    for wrong in ("<script>x</script>", "<b>open", "<b>a</i>"):
        status, body = call("sendMessage", chat_id=member.pk, parse_mode="HTML", text=wrong)
        assert status == 400 and "can't parse entities" in body["description"]


def test_send_message_refuses_what_telegram_refuses(call, member, bot_chat):
    cases = [
        ({"text": "hi"}, "Bad Request: chat_id is empty"),
        ({"chat_id": member.pk}, "Bad Request: message text is empty"),
        ({"chat_id": member.pk, "text": "   "}, "Bad Request: message text is empty"),
        ({"chat_id": member.pk, "text": "я" * 4097}, "Bad Request: message is too long"),
        ({"chat_id": member.pk, "text": "x", "parse_mode": "BBCode"}, "Bad Request: unsupported"),
        ({"chat_id": 999999, "text": "x"}, "Bad Request: chat not found"),
        ({"chat_id": "abc", "text": "x"}, "Bad Request: chat_id must be an integer"),
    ]
    for params, description in cases:
        status, body = call("sendMessage", **params)
        assert status == 400 and body["description"].startswith(description), (params, body)
    assert call("sendMessage", chat_id=member.pk, text="я" * 4096)[0] == 200


def test_a_member_who_blocked_the_bot_gives_403(call, member, bot, bot_chat):
    Block.objects.create(blocker=member, blocked=bot.user)
    status, body = call("sendMessage", chat_id=member.pk, text="Привет")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")


def test_a_reply_points_at_a_message_of_the_same_chat(call, member, bot_chat):
    question = say(member, bot_chat, "Сколько времени?")
    status, body = call(
        "sendMessage",
        chat_id=member.pk,
        text="Полдень",
        reply_parameters=json.dumps({"message_id": question.pk}),
    )
    assert status == 200 and body["result"]["reply_to_message"]["message_id"] == question.pk
    status, body = call(
        "sendMessage", chat_id=member.pk, text="x", reply_parameters='{"message_id": 999999}'
    )
    assert (status, body["description"]) == (400, "Bad Request: message to be replied not found")


def test_the_bot_edits_and_deletes_its_own_messages_only(call, member, bot_chat):
    mine = call("sendMessage", chat_id=member.pk, text="Черновик")[1]["result"]["message_id"]
    theirs = say(member, bot_chat, "Моё").pk
    status, body = call("editMessageText", chat_id=member.pk, message_id=mine, text="Готово")
    assert status == 200 and body["result"]["text"] == "Готово" and "edit_date" in body["result"]
    status, body = call("editMessageText", chat_id=member.pk, message_id=mine, text="Готово")
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    status, body = call("editMessageText", chat_id=member.pk, message_id=theirs, text="Чужое")
    assert (status, body["description"]) == (400, "Bad Request: message can't be edited")
    status, body = call("editMessageText", chat_id=member.pk, message_id=999999, text="x")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    status, body = call("editMessageText", inline_message_id="abc", text="x")
    assert status == 400
    status, body = call("deleteMessage", chat_id=member.pk, message_id=theirs)
    assert (status, body["description"]) == (400, "Bad Request: message can't be deleted")
    assert call("deleteMessage", chat_id=member.pk, message_id=mine) == (
        200,
        {"ok": True, "result": True},
    )
    assert Message.objects.get(pk=mine).is_deleted
    status, body = call("deleteMessage", chat_id=member.pk, message_id=mine)
    assert (status, body["description"]) == (400, "Bad Request: message to delete not found")


def test_chat_actions_are_checked_and_answered(call, member, bot_chat):
    assert call("sendChatAction", chat_id=member.pk, action="typing") == (
        200,
        {"ok": True, "result": True},
    )
    status, body = call("sendChatAction", chat_id=member.pk, action="dancing")
    assert (status, body["description"]) == (400, "Bad Request: wrong parameter action in request")


def test_commands_are_set_read_and_deleted(call, bot):
    commands = [
        {"command": "start", "description": "Начать"},
        {"command": "help", "description": "Помощь"},
    ]
    assert call("setMyCommands", commands=json.dumps(commands)) == (
        200,
        {"ok": True, "result": True},
    )
    assert call("getMyCommands") == (200, {"ok": True, "result": commands})
    bot.refresh_from_db()
    assert bot.commands == commands
    status, body = call("setMyCommands", commands='[{"command": "Старт", "description": "x"}]')
    assert status == 400 and body["description"].startswith("Bad Request: A command is")
    status, body = call("setMyCommands", commands="[]", scope='{"type": "all_group_chats"}')
    assert status == 400 and "scope" in body["description"]
    assert call("deleteMyCommands") == (200, {"ok": True, "result": True})
    assert call("getMyCommands") == (200, {"ok": True, "result": []})


def test_get_chat_and_get_chat_member(call, member, bot, bot_chat):
    status, body = call("getChat", chat_id=member.pk)
    chat = body["result"]
    assert status == 200 and chat["id"] == member.pk and chat["type"] == "private"
    assert {"accent_color_id", "max_reaction_count", "accepted_gift_types"} <= set(chat)
    status, body = call("getChatMember", chat_id=member.pk, user_id=member.pk)
    assert body["result"] == {
        "status": "member",
        "user": {
            "id": member.pk,
            "is_bot": False,
            "first_name": "Бабушка Валя",
            "username": "grandma",
            "language_code": "ru",
        },
    }
    status, body = call("getChatMember", chat_id=member.pk, user_id=999999)
    assert (status, body["description"]) == (400, "Bad Request: user not found")


def test_in_a_group_the_chat_id_is_negative_and_roles_show(call, member, other_member, bot):
    family = group(member, other_member, bot.user)
    status, body = call("getChat", chat_id=-family.pk)
    assert body["result"]["id"] == -family.pk and body["result"]["type"] == "group"
    creator = call("getChatMember", chat_id=-family.pk, user_id=member.pk)[1]["result"]
    assert creator["status"] == "creator" and creator["is_anonymous"] is False
    sent = call("sendMessage", chat_id=-family.pk, text="Всем привет")[1]["result"]
    assert sent["chat"]["id"] == -family.pk


def test_webhooks_are_stored_and_get_updates_conflicts_with_them(call, bot, settings):
    status, body = call("setWebhook", url="http://127.0.0.1:9/hook")
    assert status == 400 and "HTTPS" in body["description"]
    settings.BOTS_ALLOW_LOCAL_WEBHOOKS = True
    status, body = call("setWebhook", url="https://bot.example/hook", secret_token="bad secret!")
    assert (status, body["description"]) == (
        400,
        "Bad Request: secret token contains unallowed characters",
    )
    assert call(
        "setWebhook",
        url="https://bot.example/hook",
        secret_token="s3cret_-",
        max_connections="10",
        allowed_updates='["message"]',
    ) == (200, {"ok": True, "result": True})
    bot.refresh_from_db()
    assert (bot.webhook_url, bot.webhook_secret, bot.webhook_max_connections) == (
        "https://bot.example/hook",
        "s3cret_-",
        10,
    )
    info = call("getWebhookInfo")[1]["result"]
    assert info["url"] == "https://bot.example/hook" and info["has_custom_certificate"] is False
    assert info["pending_update_count"] == 0 and info["allowed_updates"] == ["message"]
    status, body = call("getUpdates")
    assert status == 409 and body["description"] == (
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first"
    )
    assert call("deleteWebhook") == (200, {"ok": True, "result": True})
    assert call("getUpdates") == (200, {"ok": True, "result": []})
    assert call("getWebhookInfo")[1]["result"]["url"] == ""


# --- Authorisation between bots ------------------------------------------------------------------
def test_bot_a_never_reaches_bot_bs_chats(call, member, make_bot):
    bot_a, token_a = make_bot("alphabot")
    bot_b, token_b = make_bot("betabot")
    messaging.direct_chat(user=member, other=bot_b.user)
    chat_b = messaging.direct_chat(user=member, other=bot_b.user)
    b_message = call("sendMessage", token_=token_b, chat_id=member.pk, text="от B")[1]["result"]
    family = group(member, bot_b.user)

    for chat_id in (member.pk, -family.pk, -chat_b.pk):
        for method, params in [
            ("sendMessage", {"text": "от A"}),
            ("editMessageText", {"message_id": b_message["message_id"], "text": "взлом"}),
            ("deleteMessage", {"message_id": b_message["message_id"]}),
            ("sendChatAction", {"action": "typing"}),
            ("getChat", {}),
            ("getChatMember", {"user_id": member.pk}),
        ]:
            status, body = call(method, token_=token_a, chat_id=chat_id, **params)
            assert (status, body["description"]) == (400, "Bad Request: chat not found"), method
    assert not Message.objects.filter(sender=bot_a.user).exists()
    assert Message.objects.get(pk=b_message["message_id"]).text == "от B"
    # B's updates are B's alone.
    services.record_update(bot=bot_b, kind="message", source="test:1", payload={"message_id": 1})
    assert call("getUpdates", token_=token_a) == (200, {"ok": True, "result": []})
    assert len(call("getUpdates", token_=token_b)[1]["result"]) == 1


GARBAGE = ["", "x", "-1", "0", "99999999999999999999", "{", "[]", '{"a": 1}', "true", "attach://z"]


@pytest.mark.parametrize("method", sorted(METHODS))
def test_no_input_gives_a_5xx_and_every_answer_is_an_envelope(call, member, bot_chat, method):
    for value in GARBAGE:
        params = {param.name: value for param in METHODS[method].params}
        for how in ("form", "json"):
            status, body = call(method, how=how, **params)
            assert status < 500, (method, value, body)
            assert body["ok"] is (status == 200)
            if status != 200:
                assert body["error_code"] == status and body["description"]
