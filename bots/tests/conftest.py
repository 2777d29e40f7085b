import pytest

from bots import services
from messaging import services as messaging


@pytest.fixture
def make_bot(member):
    """make_bot("echobot") -> (bot, token), owned by `member` unless told otherwise."""

    def make(username: str = "echobot", *, owner=None, name: str = "Эхо"):
        return services.create_bot(owner=owner or member, username=username, name=name)

    return make


@pytest.fixture
def bot_and_token(make_bot):
    return make_bot()


@pytest.fixture
def bot(bot_and_token):
    return bot_and_token[0]


@pytest.fixture
def token(bot_and_token):
    return bot_and_token[1]


@pytest.fixture
def bot_chat(member, bot):
    """The member opened the bot's chat (as the Start button will)."""
    return messaging.direct_chat(user=member, other=bot.user)


@pytest.fixture
def call(client, token):
    """call("sendMessage", chat_id=1, text="hi") -> (status, body) as a library would POST it."""

    def invoke(method: str, *, token_=None, how: str = "form", **params):
        url = f"/bot{token_ or token}/{method}"
        if how == "json":
            response = client.post(url, params, content_type="application/json")
        elif how == "query":
            response = client.get(url, params)
        else:
            response = client.post(url, params)
        return response.status_code, response.json()

    return invoke
