"""TURN credentials against a real coturn (Debian's package) with a shared secret."""

from pathlib import Path

import pytest
from django.core.checks import WARNING

from calls import checks, turn
from calls.tests.coturn import TURNSERVER, Coturn

pytestmark = pytest.mark.skipif(
    not Path(TURNSERVER).exists(), reason="coturn is not installed (make system-packages)"
)


@pytest.fixture(scope="module")
def coturn():
    server = Coturn().start()
    yield server
    server.stop()


def test_coturn_gives_a_relay_for_a_fresh_credential(coturn):
    creds = turn.credentials(user_id=7, secret=coturn.secret, ttl=60)
    allocation = turn.allocate(coturn.url, creds["username"], creds["credential"])
    assert allocation.relay_host == "127.0.0.1" and allocation.relay_port > 0


def test_coturn_refuses_an_expired_credential(coturn):
    creds = turn.credentials(user_id=7, secret=coturn.secret, ttl=-5)
    with pytest.raises(turn.TurnError) as refused:
        turn.allocate(coturn.url, creds["username"], creds["credential"])
    assert refused.value.code == 401


def test_coturn_refuses_a_credential_signed_with_another_secret(coturn):
    creds = turn.credentials(user_id=7, secret="not-the-secret", ttl=60)
    with pytest.raises(turn.TurnError) as refused:
        turn.allocate(coturn.url, creds["username"], creds["credential"])
    assert refused.value.code == 401


def test_the_turn_check_reports_a_working_turn_server(coturn, settings):
    settings.TURN_URLS = [coturn.url]
    settings.TURN_SECRET = coturn.secret
    found = checks.turn_server_relays()
    assert [m.id for m in found] == ["toricy.I205", "toricy.I206"], found
    assert all(m.level < WARNING for m in found)
    assert "relay" in found[-1].msg
    settings.TURN_SECRET = "wrong"
    assert [m.id for m in checks.turn_server_relays()] == ["toricy.W204"]
