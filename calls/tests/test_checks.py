"""The TURN check of `manage.py doctor` (the probe against a real coturn is in test_turn.py)."""

import pytest
from django.core.checks.registry import registry

from accounts.checks import doctor_checks
from calls import checks


@pytest.mark.parametrize(
    ("debug", "urls", "secret", "expected"),
    [
        (True, [], "", "toricy.I201"),
        (False, [], "", "toricy.W201"),
        (False, ["turn:turn.example:3478"], "", "toricy.W202"),
        (False, ["turn:turn.example:3478?transport=tcp"], "s", "toricy.W203"),
    ],
)
def test_the_turn_check_warns_before_it_probes(settings, debug, urls, secret, expected):
    settings.DEBUG, settings.TURN_URLS, settings.TURN_SECRET = debug, urls, secret
    assert [m.id for m in checks.turn_server_relays()] == [expected]


def test_the_turn_probe_runs_only_when_doctor_asks():
    assert checks.TURN not in registry.tags_available(deployment_checks=True)
    assert checks.TURN in doctor_checks.tags_available()
