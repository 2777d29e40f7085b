"""`manage.py doctor` prints what Google Cloud Console needs and warns about what breaks sign-in."""

from io import StringIO

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

GOOGLE = {
    "SCOPE": ["openid", "profile", "email"],
    "OAUTH_PKCE_ENABLED": True,
    "APPS": [{"client_id": "123.apps.googleusercontent.com", "secret": "s3cret", "key": ""}],
}
HEALTHY = {
    "DEBUG": False,
    "PUBLIC_URL": "https://family.example",
    "ALLOWED_HOSTS": ["family.example"],
    "CSRF_TRUSTED_ORIGINS": ["https://family.example"],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "USE_X_FORWARDED_HOST": False,
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "https",
    "SOCIALACCOUNT_PROVIDERS": {"google": GOOGLE},
    "GOOGLE_OAUTH_BASE_URL": "",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SMS_BACKEND": "smsru",
}


@pytest.fixture(scope="module")
def coturn():
    """A real TURN server: a healthy production has one, and doctor asks it for a relay."""
    from calls.tests.coturn import Coturn

    server = Coturn().start()
    yield server
    server.stop()


@pytest.fixture
def healthy(coturn):
    Site.objects.update_or_create(pk=1, defaults={"domain": "family.example", "name": "Toricy"})
    with override_settings(**HEALTHY, TURN_URLS=[coturn.url], TURN_SECRET=coturn.secret):
        yield


def doctor(*args) -> str:
    out = StringIO()
    call_command("doctor", *args, stdout=out, no_color=True)
    return out.getvalue()


def test_it_prints_the_exact_uris_for_google_cloud_console(healthy):
    out = doctor("--strict")
    assert (
        "Authorized redirect URI:       https://family.example/accounts/google/login/callback/"
        in out
    )
    assert "Authorized JavaScript origin:  https://family.example\n" in out
    assert "WARN" not in out
    assert "No warnings." in out


def test_a_local_run_in_debug_does_not_warn_about_the_address(healthy):
    with override_settings(
        DEBUG=True,
        PUBLIC_URL="http://127.0.0.1:8000",
        ALLOWED_HOSTS=["127.0.0.1"],
        CSRF_TRUSTED_ORIGINS=["http://127.0.0.1:8000"],
        ACCOUNT_DEFAULT_HTTP_PROTOCOL="http",
    ):
        Site.objects.filter(pk=1).update(domain="127.0.0.1:8000")
        out = doctor()
    assert "redirect URI:       http://127.0.0.1:8000/accounts/google/login/callback/" in out
    assert "WARN  PUBLIC_URL" not in out


def broken_site():
    Site.objects.filter(pk=1).update(domain="example.com")


def a_second_google_app():
    app = SocialApp.objects.create(provider="google", name="Google", client_id="x", secret="y")
    app.sites.add(1)


@pytest.mark.parametrize(
    ("overrides", "setup", "expected"),
    [
        ({"PUBLIC_URL": "http://family.example"}, None, "is not https"),
        ({"PUBLIC_URL": "http://127.0.0.1:8000"}, None, "PUBLIC_URL is missing"),
        ({}, broken_site, "The Site domain is 'example.com'"),
        ({"SECURE_PROXY_SSL_HEADER": None}, None, "SECURE_PROXY_SSL_HEADER is unset"),
        ({"ALLOWED_HOSTS": ["old.example"]}, None, "does not allow PUBLIC_URL's host"),
        ({"USE_X_FORWARDED_HOST": True}, None, "USE_X_FORWARDED_HOST is on"),
        ({"SOCIALACCOUNT_PROVIDERS": {"google": {}}}, None, "Google sign-in is not configured"),
        ({}, a_second_google_app, "MultipleObjectsReturned"),
        ({"GOOGLE_OAUTH_BASE_URL": "http://127.0.0.1:9"}, None, "a test double, not Google"),
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            None,
            "Email goes to the console",
        ),
        ({"SMS_BACKEND": "console"}, None, "SMS codes go to the console"),
    ],
)
def test_each_misconfiguration_is_a_warning_and_fails_strict(healthy, overrides, setup, expected):
    if setup:
        setup()
    with override_settings(**overrides):
        out = doctor()
        assert "WARN  " in out
        assert expected in out
        assert "fix: " in out
        with pytest.raises(CommandError):
            doctor("--strict")


def test_credentials_from_the_admin_alone_are_fine(healthy):
    a_second_google_app()
    with override_settings(SOCIALACCOUNT_PROVIDERS={"google": {"SCOPE": ["openid"]}}):
        out = doctor("--strict")
    assert "Google credentials come from the admin" in out


def test_an_admin_app_not_on_this_site_is_reported(healthy):
    SocialApp.objects.create(provider="google", name="Google", client_id="x", secret="y")
    with override_settings(SOCIALACCOUNT_PROVIDERS={"google": {}}):
        out = doctor()
    assert "is not attached to this Site" in out
