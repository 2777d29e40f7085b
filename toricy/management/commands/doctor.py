"""`manage.py doctor`: what to paste into Google Cloud Console, and what would break sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.http.request import validate_host

from accounts import google
from calls import turn

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


@dataclass
class Finding:
    ok: bool
    text: str
    fix: str = ""


def _public_url_findings(production: bool) -> list[Finding]:
    public = urlsplit(settings.PUBLIC_URL)
    if not public.scheme or not public.hostname:
        return [
            Finding(
                False,
                f"PUBLIC_URL={settings.PUBLIC_URL!r} is not an address.",
                "Set PUBLIC_URL to the address the family types, e.g. https://family.example.",
            )
        ]
    if production and public.hostname in LOCAL_HOSTS:
        return [
            Finding(
                False,
                f"PUBLIC_URL is missing: it is still the local default {settings.PUBLIC_URL}.",
                "Set PUBLIC_URL=https://<your domain> in the environment.",
            )
        ]
    if production and public.scheme != "https":
        return [
            Finding(
                False,
                f"PUBLIC_URL {settings.PUBLIC_URL} is not https (DEBUG is off).",
                "Serve Toricy over TLS (Caddy) and set PUBLIC_URL=https://...; Google "
                "refuses plain-http redirect URIs except for localhost.",
            )
        ]
    return [Finding(True, f"PUBLIC_URL is {settings.PUBLIC_URL}")]


def _site_findings() -> list[Finding]:
    netloc = urlsplit(settings.PUBLIC_URL).netloc
    site = Site.objects.filter(pk=settings.SITE_ID).first()
    if site is None:
        return [
            Finding(
                False,
                f"There is no Site with SITE_ID={settings.SITE_ID}.",
                "Run `manage.py prepare`: it creates it from PUBLIC_URL.",
            )
        ]
    if site.domain != netloc:
        return [
            Finding(
                False,
                f"The Site domain is {site.domain!r}, PUBLIC_URL's host is "
                f"{netloc!r}: links in emails and SocialApps bound to the Site disagree.",
                "Run `manage.py prepare` (it sets the domain from PUBLIC_URL), or edit "
                "the Site in the admin.",
            )
        ]
    return [Finding(True, f"The Site domain is {site.domain}")]


def _proxy_findings() -> list[Finding]:
    public = urlsplit(settings.PUBLIC_URL)
    found = []
    if public.scheme == "https" and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        found.append(
            Finding(
                False,
                "PUBLIC_URL is https but SECURE_PROXY_SSL_HEADER is unset: "
                "behind a TLS-terminating proxy Django sees http (insecure cookies, "
                "CSRF origin failures).",
                "Set SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') "
                "and make the proxy send X-Forwarded-Proto.",
            )
        )
    elif public.scheme == "https":
        found.append(
            Finding(
                True, f"Django trusts the proxy's {settings.SECURE_PROXY_SSL_HEADER[0]} for https"
            )
        )
    protocol = getattr(settings, "ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
    if protocol != public.scheme:
        found.append(
            Finding(
                False,
                f"ACCOUNT_DEFAULT_HTTP_PROTOCOL is {protocol!r}, PUBLIC_URL "
                f"is {public.scheme!r}: links in emails would use the wrong scheme.",
                "Let it follow PUBLIC_URL (toricy/settings.py).",
            )
        )
    host = public.hostname or ""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        found.append(
            Finding(
                False,
                f"ALLOWED_HOSTS {settings.ALLOWED_HOSTS} does not allow "
                f"PUBLIC_URL's host {host!r}: every request is answered 400.",
                "Let ALLOWED_HOSTS follow PUBLIC_URL, or add the host to EXTRA_ALLOWED_HOSTS.",
            )
        )
    else:
        found.append(Finding(True, f"ALLOWED_HOSTS allows {host}"))
    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        found.append(
            Finding(
                False,
                "USE_X_FORWARDED_HOST is on: Django takes the host from "
                "X-Forwarded-Host, so the proxy must send exactly "
                f"{public.netloc!r} (or a host ALLOWED_HOSTS allows).",
                "Turn it off unless the proxy rewrites Host (Caddy does not).",
            )
        )
    origin = f"{public.scheme}://{public.netloc}"
    if origin not in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        found.append(
            Finding(
                False,
                f"CSRF_TRUSTED_ORIGINS does not list {origin}: sign-in "
                "forms may fail behind the proxy.",
                "Let CSRF_TRUSTED_ORIGINS follow PUBLIC_URL.",
            )
        )
    return found


def _google_findings(production: bool) -> list[Finding]:
    from_settings = settings.SOCIALACCOUNT_PROVIDERS.get("google", {}).get("APPS", [])
    in_admin = list(SocialApp.objects.filter(provider="google"))
    found = []
    if not from_settings and not in_admin:
        found.append(
            Finding(
                False,
                "Google sign-in is not configured: no GOOGLE_CLIENT_ID in "
                "the environment and no Google SocialApp in the admin.",
                "Create an OAuth client (Web application) in Google Cloud Console "
                "with the URIs above, then set GOOGLE_CLIENT_ID and "
                "GOOGLE_CLIENT_SECRET.",
            )
        )
    elif from_settings and in_admin:
        found.append(
            Finding(
                False,
                "Google credentials are configured twice: in the environment "
                f"and as {len(in_admin)} SocialApp(s) in the admin; allauth then "
                "fails with MultipleObjectsReturned.",
                "Keep one: unset GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET, or delete "
                "the SocialApp in the admin (Social applications).",
            )
        )
    elif len(in_admin) > 1:
        found.append(
            Finding(
                False,
                f"There are {len(in_admin)} Google SocialApps in the admin; "
                "allauth then fails with MultipleObjectsReturned.",
                "Delete all but one.",
            )
        )
    elif from_settings:
        app = from_settings[0]
        if not app.get("secret"):
            found.append(
                Finding(
                    False,
                    "GOOGLE_CLIENT_ID is set but GOOGLE_CLIENT_SECRET is not.",
                    "Set GOOGLE_CLIENT_SECRET from the same OAuth client.",
                )
            )
        else:
            found.append(
                Finding(
                    True,
                    f"Google credentials come from the environment (client {app['client_id']})",
                )
            )
    else:
        app = in_admin[0]
        if not app.sites.filter(pk=settings.SITE_ID).exists():
            found.append(
                Finding(
                    False,
                    f"The Google SocialApp {app.name!r} is not attached to "
                    "this Site, so allauth does not see it.",
                    "Add the Site to it in the admin.",
                )
            )
        else:
            found.append(Finding(True, f"Google credentials come from the admin ({app.name})"))
    if production and getattr(settings, "GOOGLE_OAUTH_BASE_URL", ""):
        found.append(
            Finding(
                False,
                "GOOGLE_OAUTH_BASE_URL is set: Google sign-in goes to "
                f"{settings.GOOGLE_OAUTH_BASE_URL}, a test double, not Google.",
                "Unset GOOGLE_OAUTH_BASE_URL (it is for tests only).",
            )
        )
    return found


def _delivery_findings(production: bool) -> list[Finding]:
    found = []
    if settings.EMAIL_BACKEND == CONSOLE_EMAIL:
        found.append(
            Finding(
                not production,
                "Email goes to the console (EMAIL_BACKEND): codes "
                "and sign-up mails are printed, not sent.",
                "Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example:587.",
            )
        )
    else:
        found.append(Finding(True, f"Email is sent with {settings.EMAIL_BACKEND}"))
    if settings.SMS_BACKEND == "console":
        found.append(
            Finding(
                not production,
                "SMS codes go to the console (SMS_BACKEND=console): "
                "phone sign-up cannot work for real members.",
                "Set SMS_BACKEND=smsru or twilio with its credentials.",
            )
        )
    else:
        found.append(Finding(True, f"SMS codes are sent with {settings.SMS_BACKEND}"))
    return found


def _turn_findings(production: bool) -> list[Finding]:
    """Calls through NAT need TURN: ask the configured server for a relay, as a browser would."""
    urls = list(getattr(settings, "TURN_URLS", []))
    if not urls:
        return [
            Finding(
                not production,
                "No TURN server (TURN_URLS): calls work only between members on the same "
                "network; phones on mobile data will connect without sound.",
                "Run the coturn service of docker-compose.yml and set TURN_URLS and TURN_SECRET.",
            )
        ]
    if not settings.TURN_SECRET:
        return [
            Finding(
                False,
                "TURN_URLS is set but TURN_SECRET is not: no credentials can be issued.",
                "Set TURN_SECRET to coturn's static-auth-secret.",
            )
        ]
    probe = next((url for url in urls if turn.parse_turn_url(url)[2] == "udp"), None)
    if probe is None:
        return [Finding(False, "No UDP TURN URL to probe in TURN_URLS.", "Add turn:host:3478.")]
    creds = turn.credentials(user_id=0, ttl=60)
    try:
        allocation = turn.allocate(probe, creds["username"], creds["credential"])
    except (turn.TurnError, OSError) as error:
        return [
            Finding(
                False,
                f"TURN server {probe} gave no relay: {error}.",
                "Check that coturn runs with use-auth-secret and the same secret as "
                "TURN_SECRET, and that UDP 3478 and the relay port range are open.",
            )
        ]
    return [
        Finding(True, f"TURN credentials are issued for {', '.join(urls)}"),
        Finding(
            True,
            f"TURN server {probe} allocated a relay at "
            f"{allocation.relay_host}:{allocation.relay_port}",
        ),
    ]


def _from_database(check, *args) -> list[Finding]:
    try:
        return check(*args)
    except DatabaseError as error:
        return [
            Finding(
                False,
                f"The database cannot be read ({error}).",
                "Run `manage.py prepare` (it applies the migrations).",
            )
        ]


def diagnose() -> list[tuple[str, list[Finding]]]:
    production = not settings.DEBUG
    return [
        ("Public address", _public_url_findings(production)),
        ("Site", _from_database(_site_findings)),
        ("Proxy, scheme and hosts", _proxy_findings()),
        ("Google sign-in", _from_database(_google_findings, production)),
        ("Email and SMS", _delivery_findings(production)),
        ("Calls (TURN)", _turn_findings(production)),
    ]


class Command(BaseCommand):
    help = "Print the URIs for Google Cloud Console and warn about settings that break sign-in."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--strict", action="store_true", help="exit with status 1 if there is any warning"
        )

    def handle(self, *args, **options) -> None:
        public = urlsplit(settings.PUBLIC_URL)
        self.stdout.write(self.style.MIGRATE_HEADING("Google Cloud Console"))
        self.stdout.write("  APIs & Services > Credentials > OAuth client ID (Web application):")
        self.stdout.write(f"  Authorized JavaScript origin:  {public.scheme}://{public.netloc}")
        self.stdout.write(f"  Authorized redirect URI:       {google.callback_url()}")
        warnings = 0
        for title, findings in diagnose():
            self.stdout.write("")
            self.stdout.write(self.style.MIGRATE_HEADING(title))
            for finding in findings:
                if finding.ok:
                    self.stdout.write(f"  {self.style.SUCCESS('OK  ')}  {finding.text}")
                else:
                    warnings += 1
                    self.stdout.write(f"  {self.style.WARNING('WARN')}  {finding.text}")
                    if finding.fix:
                        self.stdout.write(f"        fix: {finding.fix}")
        self.stdout.write("")
        if warnings:
            self.stdout.write(self.style.WARNING(f"{warnings} warning(s)."))
            if options["strict"]:
                raise CommandError(f"{warnings} warning(s)", returncode=1)
        else:
            self.stdout.write(self.style.SUCCESS("No warnings."))
