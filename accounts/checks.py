"""System checks for what Toricy needs from its settings.

Two kinds. Django runs the registered ones before every command (the SMS backend). The diagnosis
of a deployment lives in its own registry, `doctor_checks`, and runs only when `manage.py doctor`
asks for it by tag: it reads the database, it warns about what an embedded run does on purpose
(mail to the console), and the TURN check asks a server on the network for a relay, none of which
belongs before every `migrate` or in `check --deploy` (which a healthy production passes clean).

A diagnosis says what is right as well as what is wrong: an `Info` (toricy.I<n>) for each thing
found in order, a `Warning` (toricy.W<n>, with the fix as its hint) for each thing that breaks.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.checks import CheckMessage, Error, Info, Warning, register
from django.core.checks.registry import CheckRegistry
from django.db import DatabaseError
from django.http.request import validate_host

from accounts import sms

doctor_checks = CheckRegistry()

# The tags `manage.py doctor` runs, one section of its report each; GOOGLE is all that breaks
# Google sign-in (the address, the Site, the proxy and the credentials).
PUBLIC_ADDRESS = "toricy_public_address"
SITE = "toricy_site"
PROXY = "toricy_proxy"
GOOGLE_APP = "toricy_google_app"
DELIVERY = "toricy_delivery"
GOOGLE = "toricy_google"

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


def finding(ok: bool, number: int, text: str, fix: str = "") -> CheckMessage:
    """What a diagnosis found: fine (an Info) or a problem with its fix (a Warning)."""
    if ok:
        return Info(text, hint=fix or None, id=f"toricy.I{number:03d}")
    return Warning(text, hint=fix or None, id=f"toricy.W{number:03d}")


def _production() -> bool:
    return not settings.DEBUG


def from_database(check: Callable[..., list[CheckMessage]]) -> Callable[..., list[CheckMessage]]:
    """A diagnosis that reads the database says so when it cannot (not migrated yet)."""

    @wraps(check)
    def guarded(app_configs=None, **kwargs) -> list[CheckMessage]:
        try:
            return check(app_configs, **kwargs)
        except DatabaseError as error:
            return [
                finding(
                    False,
                    100,
                    f"The database cannot be read ({error}).",
                    "Run `manage.py prepare` (it applies the migrations).",
                )
            ]

    return guarded


@register()
def sms_backend_is_configured(app_configs=None, **kwargs):
    backend = settings.SMS_BACKEND
    if backend not in sms.BACKENDS:
        return [
            Error(
                f"SMS_BACKEND={backend!r} is not one of {', '.join(sms.BACKENDS)}.",
                id="toricy.E001",
            )
        ]
    missing = [
        name for name in sms.REQUIRED_SETTINGS.get(backend, []) if not getattr(settings, name)
    ]
    if missing:
        return [
            Error(
                f"SMS_BACKEND={backend!r} needs {', '.join(missing)}.",
                hint="Set them in the environment, or use SMS_BACKEND=console.",
                id="toricy.E002",
            )
        ]
    return []


# --- The diagnosis `manage.py doctor` runs: what would break sign-in -----------------------------
@doctor_checks.register(PUBLIC_ADDRESS, GOOGLE)
def public_address(app_configs=None, **kwargs) -> list[CheckMessage]:
    """PUBLIC_URL is the address the family types, and Google's redirect URI is built from it."""
    public = urlsplit(settings.PUBLIC_URL)
    if not public.scheme or not public.hostname:
        return [
            finding(
                False,
                101,
                f"PUBLIC_URL={settings.PUBLIC_URL!r} is not an address.",
                "Set PUBLIC_URL to the address the family types, e.g. https://family.example.",
            )
        ]
    if _production() and public.hostname in LOCAL_HOSTS:
        return [
            finding(
                False,
                102,
                f"PUBLIC_URL is missing: it is still the local default {settings.PUBLIC_URL}.",
                "Set PUBLIC_URL=https://<your domain> in the environment.",
            )
        ]
    if _production() and public.scheme != "https":
        return [
            finding(
                False,
                103,
                f"PUBLIC_URL {settings.PUBLIC_URL} is not https (DEBUG is off).",
                "Serve Toricy over TLS (Caddy) and set PUBLIC_URL=https://...; Google "
                "refuses plain-http redirect URIs except for localhost.",
            )
        ]
    return [finding(True, 104, f"PUBLIC_URL is {settings.PUBLIC_URL}")]


@doctor_checks.register(SITE, GOOGLE)
@from_database
def site_matches_public_address(app_configs=None, **kwargs) -> list[CheckMessage]:
    netloc = urlsplit(settings.PUBLIC_URL).netloc
    site = Site.objects.filter(pk=settings.SITE_ID).first()
    if site is None:
        return [
            finding(
                False,
                111,
                f"There is no Site with SITE_ID={settings.SITE_ID}.",
                "Run `manage.py prepare`: it creates it from PUBLIC_URL.",
            )
        ]
    if site.domain != netloc:
        return [
            finding(
                False,
                112,
                f"The Site domain is {site.domain!r}, PUBLIC_URL's host is "
                f"{netloc!r}: links in emails and SocialApps bound to the Site disagree.",
                "Run `manage.py prepare` (it sets the domain from PUBLIC_URL), or edit "
                "the Site in the admin.",
            )
        ]
    return [finding(True, 113, f"The Site domain is {site.domain}")]


@doctor_checks.register(PROXY, GOOGLE)
def proxy_scheme_and_hosts(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Behind a TLS-terminating proxy Django must see the scheme and host the family typed."""
    public = urlsplit(settings.PUBLIC_URL)
    found = []
    if public.scheme == "https" and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        found.append(
            finding(
                False,
                121,
                "PUBLIC_URL is https but SECURE_PROXY_SSL_HEADER is unset: "
                "behind a TLS-terminating proxy Django sees http (insecure cookies, "
                "CSRF origin failures).",
                "Set SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https') "
                "and make the proxy send X-Forwarded-Proto.",
            )
        )
    elif public.scheme == "https":
        found.append(
            finding(
                True,
                122,
                f"Django trusts the proxy's {settings.SECURE_PROXY_SSL_HEADER[0]} for https",
            )
        )
    protocol = getattr(settings, "ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
    if protocol != public.scheme:
        found.append(
            finding(
                False,
                123,
                f"ACCOUNT_DEFAULT_HTTP_PROTOCOL is {protocol!r}, PUBLIC_URL "
                f"is {public.scheme!r}: links in emails would use the wrong scheme.",
                "Let it follow PUBLIC_URL (toricy/settings.py).",
            )
        )
    host = public.hostname or ""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        found.append(
            finding(
                False,
                124,
                f"ALLOWED_HOSTS {settings.ALLOWED_HOSTS} does not allow "
                f"PUBLIC_URL's host {host!r}: every request is answered 400.",
                "Let ALLOWED_HOSTS follow PUBLIC_URL, or add the host to EXTRA_ALLOWED_HOSTS.",
            )
        )
    else:
        found.append(finding(True, 125, f"ALLOWED_HOSTS allows {host}"))
    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        found.append(
            finding(
                False,
                126,
                "USE_X_FORWARDED_HOST is on: Django takes the host from "
                "X-Forwarded-Host, so the proxy must send exactly "
                f"{public.netloc!r} (or a host ALLOWED_HOSTS allows).",
                "Turn it off unless the proxy rewrites Host (Caddy does not).",
            )
        )
    origin = f"{public.scheme}://{public.netloc}"
    if origin not in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        found.append(
            finding(
                False,
                127,
                f"CSRF_TRUSTED_ORIGINS does not list {origin}: sign-in "
                "forms may fail behind the proxy.",
                "Let CSRF_TRUSTED_ORIGINS follow PUBLIC_URL.",
            )
        )
    return found


@doctor_checks.register(GOOGLE_APP, GOOGLE)
@from_database
def google_credentials(app_configs=None, **kwargs) -> list[CheckMessage]:
    """One set of Google credentials, from the environment or the admin, never both."""
    from_settings = settings.SOCIALACCOUNT_PROVIDERS.get("google", {}).get("APPS", [])
    in_admin = list(SocialApp.objects.filter(provider="google"))
    found = []
    if not from_settings and not in_admin:
        found.append(
            finding(
                False,
                131,
                "Google sign-in is not configured: no GOOGLE_CLIENT_ID in "
                "the environment and no Google SocialApp in the admin.",
                "Create an OAuth client (Web application) in Google Cloud Console "
                "with the URIs above, then set GOOGLE_CLIENT_ID and "
                "GOOGLE_CLIENT_SECRET.",
            )
        )
    elif from_settings and in_admin:
        found.append(
            finding(
                False,
                132,
                "Google credentials are configured twice: in the environment "
                f"and as {len(in_admin)} SocialApp(s) in the admin; allauth then "
                "fails with MultipleObjectsReturned.",
                "Keep one: unset GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET, or delete "
                "the SocialApp in the admin (Social applications).",
            )
        )
    elif len(in_admin) > 1:
        found.append(
            finding(
                False,
                133,
                f"There are {len(in_admin)} Google SocialApps in the admin; "
                "allauth then fails with MultipleObjectsReturned.",
                "Delete all but one.",
            )
        )
    elif from_settings:
        app = from_settings[0]
        if not app.get("secret"):
            found.append(
                finding(
                    False,
                    134,
                    "GOOGLE_CLIENT_ID is set but GOOGLE_CLIENT_SECRET is not.",
                    "Set GOOGLE_CLIENT_SECRET from the same OAuth client.",
                )
            )
        else:
            found.append(
                finding(
                    True,
                    135,
                    f"Google credentials come from the environment (client {app['client_id']})",
                )
            )
    else:
        app = in_admin[0]
        if not app.sites.filter(pk=settings.SITE_ID).exists():
            found.append(
                finding(
                    False,
                    136,
                    f"The Google SocialApp {app.name!r} is not attached to "
                    "this Site, so allauth does not see it.",
                    "Add the Site to it in the admin.",
                )
            )
        else:
            found.append(finding(True, 137, f"Google credentials come from the admin ({app.name})"))
    if _production() and getattr(settings, "GOOGLE_OAUTH_BASE_URL", ""):
        found.append(
            finding(
                False,
                138,
                "GOOGLE_OAUTH_BASE_URL is set: Google sign-in goes to "
                f"{settings.GOOGLE_OAUTH_BASE_URL}, a test double, not Google.",
                "Unset GOOGLE_OAUTH_BASE_URL (it is for tests only).",
            )
        )
    return found


@doctor_checks.register(DELIVERY)
def codes_are_delivered(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Sign-in codes reach members by email and SMS (the console is fine for a local run)."""
    found = []
    if settings.EMAIL_BACKEND == CONSOLE_EMAIL:
        found.append(
            finding(
                not _production(),
                141,
                "Email goes to the console (EMAIL_BACKEND): codes "
                "and sign-up mails are printed, not sent.",
                "Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example:587.",
            )
        )
    else:
        found.append(finding(True, 142, f"Email is sent with {settings.EMAIL_BACKEND}"))
    if settings.SMS_BACKEND == "console":
        found.append(
            finding(
                not _production(),
                143,
                "SMS codes go to the console (SMS_BACKEND=console): "
                "phone sign-up cannot work for real members.",
                "Set SMS_BACKEND=smsru or twilio with its credentials.",
            )
        )
    else:
        found.append(finding(True, 144, f"SMS codes are sent with {settings.SMS_BACKEND}"))
    return found
