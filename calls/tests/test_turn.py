"""TURN credentials against a real coturn (Debian's package) with a shared secret."""

from pathlib import Path

import pytest

from calls import turn
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


def test_doctor_reports_a_working_turn_server(coturn, settings):
    from toricy.management.commands.doctor import _turn_findings

    settings.TURN_URLS = [coturn.url]
    settings.TURN_SECRET = coturn.secret
    findings = _turn_findings(production=True)
    assert all(f.ok for f in findings), findings
    assert "relay" in findings[-1].text
    settings.TURN_SECRET = "wrong"
    assert not _turn_findings(production=True)[-1].ok
