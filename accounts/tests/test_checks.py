"""The checks `manage.py doctor` runs for Google sign-in and delivery, called directly."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site
from django.core.checks import WARNING
from django.core.checks.registry import registry
from django.db import DatabaseError
from django.test import override_settings

from accounts import checks

pytestmark = pytest.mark.django_db

HEALTHY = {
    "DEBUG": False,
    "PUBLIC_URL": "https://family.example",
    "ALLOWED_HOSTS": ["family.example"],
    "CSRF_TRUSTED_ORIGINS": ["https://family.example"],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "USE_X_FORWARDED_HOST": False,
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "https",
    "SOCIALACCOUNT_PROVIDERS": {
        "google": {"APPS": [{"client_id": "123.apps.googleusercontent.com", "secret": "s"}]}
    },
    "GOOGLE_OAUTH_BASE_URL": "",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SMS_BACKEND": "smsru",
}


@pytest.fixture
def healthy():
    Site.objects.update_or_create(pk=1, defaults={"domain": "family.example", "name": "Toricy"})
    with override_settings(**HEALTHY):
        yield


def ids(tag: str) -> list[str]:
    return [message.id for message in checks.doctor_checks.run_checks(tags=[tag])]


def test_a_healthy_production_is_all_infos(healthy):
    found = checks.doctor_checks.run_checks(tags=[checks.GOOGLE, checks.DELIVERY])
    assert found and all(message.level < WARNING for message in found), found
    # GOOGLE gathers every check that breaks Google sign-in (a registry runs them in no order).
    assert sorted(ids(checks.GOOGLE)) == [
        "toricy.I104",
        "toricy.I113",
        "toricy.I122",
        "toricy.I125",
        "toricy.I135",
    ]


@pytest.mark.parametrize(
    ("overrides", "tag", "expected"),
    [
        ({"PUBLIC_URL": "family.example"}, checks.PUBLIC_ADDRESS, "toricy.W101"),
        ({"PUBLIC_URL": "http://127.0.0.1:8000"}, checks.PUBLIC_ADDRESS, "toricy.W102"),
        ({"PUBLIC_URL": "http://family.example"}, checks.PUBLIC_ADDRESS, "toricy.W103"),
        ({"PUBLIC_URL": "https://new.example"}, checks.SITE, "toricy.W112"),
        ({"SECURE_PROXY_SSL_HEADER": None}, checks.PROXY, "toricy.W121"),
        ({"ACCOUNT_DEFAULT_HTTP_PROTOCOL": "http"}, checks.PROXY, "toricy.W123"),
        ({"ALLOWED_HOSTS": ["old.example"]}, checks.PROXY, "toricy.W124"),
        ({"USE_X_FORWARDED_HOST": True}, checks.PROXY, "toricy.W126"),
        ({"CSRF_TRUSTED_ORIGINS": []}, checks.PROXY, "toricy.W127"),
        ({"SOCIALACCOUNT_PROVIDERS": {"google": {}}}, checks.GOOGLE_APP, "toricy.W131"),
        (
            {"SOCIALACCOUNT_PROVIDERS": {"google": {"APPS": [{"client_id": "1", "secret": ""}]}}},
            checks.GOOGLE_APP,
            "toricy.W134",
        ),
        ({"GOOGLE_OAUTH_BASE_URL": "http://127.0.0.1:9"}, checks.GOOGLE_APP, "toricy.W138"),
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            checks.DELIVERY,
            "toricy.W141",
        ),
        ({"SMS_BACKEND": "console"}, checks.DELIVERY, "toricy.W143"),
    ],
)
def test_each_misconfiguration_is_a_warning_with_its_fix(healthy, overrides, tag, expected):
    with override_settings(**overrides):
        found = [m for m in checks.doctor_checks.run_checks(tags=[tag]) if m.id == expected]
    assert len(found) == 1
    assert found[0].level == WARNING
    assert found[0].hint


def test_the_console_is_fine_for_a_local_run(healthy):
    with override_settings(
        DEBUG=True,
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        SMS_BACKEND="console",
    ):
        assert ids(checks.DELIVERY) == ["toricy.I141", "toricy.I143"]


def test_google_credentials_in_both_places_or_twice_in_the_admin_are_warnings(healthy):
    SocialApp.objects.create(provider="google", name="Google", client_id="x", secret="y")
    assert ids(checks.GOOGLE_APP) == ["toricy.W132"]
    with override_settings(SOCIALACCOUNT_PROVIDERS={"google": {}}):
        assert ids(checks.GOOGLE_APP) == ["toricy.W136"]
        SocialApp.objects.get().sites.add(1)
        assert ids(checks.GOOGLE_APP) == ["toricy.I137"]
        SocialApp.objects.create(provider="google", name="Again", client_id="z", secret="y")
        assert ids(checks.GOOGLE_APP) == ["toricy.W133"]


def test_a_missing_site_and_an_unreadable_database_are_warnings(healthy, monkeypatch):
    Site.objects.all().delete()
    assert ids(checks.SITE) == ["toricy.W111"]

    def unreadable(*args, **kwargs):
        raise DatabaseError("no such table: django_site")

    monkeypatch.setattr(Site.objects, "filter", unreadable)
    assert ids(checks.SITE) == ["toricy.W100"]


def test_the_diagnosis_runs_only_when_doctor_asks():
    everything = registry.tags_available(deployment_checks=True)
    for tag in (checks.GOOGLE, checks.SITE, checks.DELIVERY):
        assert tag not in everything
        assert tag in checks.doctor_checks.tags_available()
