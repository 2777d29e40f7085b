import hashlib
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bots import services
from bots.models import Bot
from core.errors import Invalid, Refused

pytestmark = pytest.mark.django_db


def test_a_new_bot_has_its_own_account_and_a_telegram_shaped_token(member, make_bot):
    bot, token = make_bot("familyhelperbot", name="Помощник")
    bot_id, secret = token.split(":")
    assert re.fullmatch(r"\d+:[A-Za-z0-9_-]{32,}", token)
    assert int(bot_id) == bot.user.pk == bot.pk
    assert bot.owner == member
    assert bot.user.display_name == "Помощник"
    assert not bot.user.has_usable_password()
    assert hasattr(bot.user, "bot") and not hasattr(member, "bot")


def test_only_a_hash_of_the_secret_is_stored(make_bot):
    bot, token = make_bot()
    secret = token.split(":")[1]
    stored = Bot.objects.get(pk=bot.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(Bot.objects.filter(pk=bot.pk).values().get())


BAD_USERNAMES = ["echo", "ab", "эхоbot", "1echobot", "echo-bot", "x" * 40 + "bot"]


@pytest.mark.parametrize("username", BAD_USERNAMES)
def test_a_username_must_look_like_a_bots(member, username):
    with pytest.raises(Invalid):
        services.create_bot(owner=member, username=username)


def test_a_taken_username_is_refused(member, make_bot):
    make_bot("echobot")
    with pytest.raises(Invalid):
        services.create_bot(owner=member, username="EchoBot")
    with pytest.raises(Invalid):
        services.create_bot(owner=member, username="grandma")


def test_a_bot_cannot_make_bots(bot):
    with pytest.raises(Refused):
        services.create_bot(owner=bot.user, username="childbot")


def test_tokens_open_only_their_bot_until_replaced_or_revoked(make_bot):
    bot, token = make_bot()
    assert services.bot_for_token(token) == bot
    assert services.bot_for_token(token + "x") is None
    assert services.bot_for_token(f"{bot.pk + 1}:{token.split(':')[1]}") is None
    assert services.bot_for_token("not a token") is None
    fresh = services.regenerate_token(bot=bot)
    assert services.bot_for_token(token) is None
    assert services.bot_for_token(fresh) == bot
    services.revoke_token(bot=bot)
    assert services.bot_for_token(fresh) is None


def test_a_deleted_bot_keeps_its_name_on_old_messages_but_opens_nothing(make_bot):
    bot, token = make_bot()
    user = bot.user
    services.delete_bot(bot=bot)
    user.refresh_from_db()
    assert not user.is_active and not Bot.objects.exists()
    assert services.bot_for_token(token) is None


def test_a_wrong_or_revoked_token_gets_401(call, bot, token):
    assert call("getMe", token_=f"{bot.pk}:" + "A" * 43) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    services.revoke_token(bot=bot)
    assert call("getMe")[0] == 401


def test_wrong_tokens_from_one_address_are_throttled(call, bot, token, settings):
    settings.BOTS_WRONG_TOKEN_RATE = "3/min"
    for _ in range(3):
        assert call("getMe", token_="1:" + "b" * 40)[0] == 401
    status, body = call("getMe", token_="1:" + "b" * 40)
    assert status == 429 and body["ok"] is False and body["error_code"] == 429
    assert body["description"].startswith("Too Many Requests: retry after ")
    assert body["parameters"]["retry_after"] >= 1
    # The address is throttled as a whole, even with the right token, until the minute passes.
    assert call("getMe")[0] == 429


def test_the_bot_command_creates_lists_and_reissues(member):
    out = StringIO()
    call_command(
        "bot", "create", "shellbot", "--owner", member.username, "--name", "Шелл", stdout=out
    )
    token = out.getvalue().strip()
    bot = services.bot_for_token(token)
    assert bot is not None and bot.user.display_name == "Шелл"
    out = StringIO()
    call_command("bot", "token", "shellbot", stdout=out)
    assert services.bot_for_token(token) is None
    assert services.bot_for_token(out.getvalue().strip()) == bot
    out = StringIO()
    call_command("bot", "list", stdout=out)
    assert "@shellbot" in out.getvalue() and f"@{member.username}" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("bot", "create", "otherbot", "--owner", "nobody")
    with pytest.raises(CommandError):
        call_command("bot", "create", "bad", "--owner", member.username)
