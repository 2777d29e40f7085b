"""The calls part of `manage.py doctor`: calls through NAT need a TURN server that works.

The check asks the configured server for a relay with a fresh credential, as a browser would, so
it lives in the doctor's registry (accounts.checks.doctor_checks), never before every command.
"""

from django.conf import settings
from django.core.checks import CheckMessage

from accounts.checks import doctor_checks, finding
from calls import turn

TURN = "toricy_turn"


@doctor_checks.register(TURN)
def turn_server_relays(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Calls through NAT need TURN: ask the configured server for a relay, as a browser would."""
    production = not settings.DEBUG
    urls = list(getattr(settings, "TURN_URLS", []))
    if not urls:
        return [
            finding(
                not production,
                201,
                "No TURN server (TURN_URLS): calls work only between members on the same "
                "network; phones on mobile data will connect without sound.",
                "Run the coturn service of docker-compose.yml and set TURN_URLS and TURN_SECRET.",
            )
        ]
    if not settings.TURN_SECRET:
        return [
            finding(
                False,
                202,
                "TURN_URLS is set but TURN_SECRET is not: no credentials can be issued.",
                "Set TURN_SECRET to coturn's static-auth-secret.",
            )
        ]
    probe = next((url for url in urls if turn.parse_turn_url(url)[2] == "udp"), None)
    if probe is None:
        return [
            finding(False, 203, "No UDP TURN URL to probe in TURN_URLS.", "Add turn:host:3478.")
        ]
    creds = turn.credentials(user_id=0, ttl=60)
    try:
        allocation = turn.allocate(probe, creds["username"], creds["credential"])
    except (turn.TurnError, OSError) as error:
        return [
            finding(
                False,
                204,
                f"TURN server {probe} gave no relay: {error}.",
                "Check that coturn runs with use-auth-secret and the same secret as "
                "TURN_SECRET, and that UDP 3478 and the relay port range are open.",
            )
        ]
    return [
        finding(True, 205, f"TURN credentials are issued for {', '.join(urls)}"),
        finding(
            True,
            206,
            f"TURN server {probe} allocated a relay at "
            f"{allocation.relay_host}:{allocation.relay_port}",
        ),
    ]
