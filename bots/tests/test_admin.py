import pytest

from bots import services

pytestmark = pytest.mark.django_db


def test_the_owner_sees_every_bot_and_can_revoke_tokens(client, owner, bot, token):
    client.force_login(owner)
    page = client.get("/admin/bots/bot/")
    assert page.status_code == 200 and "@echobot" in page.content.decode()
    assert bot.token_hash not in page.content.decode()
    answer = client.post(
        "/admin/bots/bot/", {"action": "revoke_tokens", "_selected_action": [bot.pk]}
    )
    assert answer.status_code == 302
    assert services.bot_for_token(token) is None
    assert client.get(f"/admin/bots/bot/{bot.pk}/change/").status_code == 200
