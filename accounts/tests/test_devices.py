"""Staying signed in for months, and seeing and ending sessions on other devices."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from accounts.models import Device
from accounts.selectors import devices as device_selectors
from accounts.services import devices as device_services

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def sign_in(member, user_agent=ANDROID) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_signing_in_records_the_device_and_signing_out_forgets_it(member):
    phone = sign_in(member)
    device = Device.objects.get(user=member)
    assert device.session_key == phone.session.session_key
    assert device_selectors.device_name(device.user_agent) == "Chrome на Android"
    phone.post("/accounts/logout/")
    assert not Device.objects.exists()


def test_the_devices_page_lists_this_device_first(member):
    sign_in(member, IPHONE)
    laptop = sign_in(member)
    page = laptop.get("/me/devices/").content.decode()
    assert page.index("Это устройство") < page.index("Safari на iPhone")


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"]
)
def test_signing_out_all_other_devices_really_ends_their_sessions(member, settings, engine):
    settings.SESSION_ENGINE = engine
    phone = sign_in(member, IPHONE)
    laptop = sign_in(member)
    laptop.post("/me/devices/sign-out-others/")
    assert phone.get("/").status_code == 302  # back to the sign-in page
    assert laptop.get("/").status_code == 200
    assert Device.objects.filter(user=member).count() == 1


def test_signing_out_one_device(member):
    phone = sign_in(member, IPHONE)
    laptop = sign_in(member)
    device = Device.objects.get(session_key=phone.session.session_key)
    laptop.post(f"/me/devices/{device.pk}/sign-out/")
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200


def test_another_members_device_is_not_found(member, other_member):
    sign_in(other_member)
    theirs = Device.objects.get(user=other_member)
    mine = sign_in(member)
    assert mine.post(f"/me/devices/{theirs.pk}/sign-out/").status_code == 404
    assert mine.get(f"/me/devices/{theirs.pk}/sign-out/").status_code == 405
    assert Device.objects.filter(pk=theirs.pk).exists()


def test_a_session_ended_elsewhere_is_not_listed(member):
    phone = sign_in(member, IPHONE)
    laptop = sign_in(member)
    device_services.session_store(phone.session.session_key).delete()
    assert "iPhone" not in laptop.get("/me/devices/").content.decode()
    assert Device.objects.filter(user=member).count() == 1


def test_a_phone_in_daily_use_stays_signed_in_for_more_than_a_year(member):
    phone = sign_in(member)
    start = timezone.now()
    for month in range(1, 15):
        with time_machine.travel(start + timedelta(days=30 * month)):
            assert phone.get("/").status_code == 200, f"signed out after {month} months"
    with time_machine.travel(
        start + timedelta(days=30 * 14 + settings.SESSION_COOKIE_AGE / 86400 + 1)
    ):
        assert phone.get("/").status_code == 302  # a year unused: signed out


def test_last_active_is_written_at_most_every_few_minutes(member, django_assert_num_queries):
    phone = sign_in(member)
    phone.get("/")
    before = Device.objects.get(user=member).last_used_at
    phone.get("/")
    assert Device.objects.get(user=member).last_used_at == before
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        phone.get("/")
        assert Device.objects.get(user=member).last_used_at > before


def test_a_request_in_between_neither_writes_nor_resends_the_session(member):
    phone = sign_in(member)
    phone.get("/")
    again = phone.get("/")
    assert settings.SESSION_COOKIE_NAME not in again.cookies  # no save, no new cookie
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        renewed = phone.get("/")
    cookie = renewed.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (ANDROID, "Chrome on Android"),
        (IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Windows",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0.0.0 Safari/537.36",
            "Chrome on Linux",
        ),
        ("", "Unknown device"),
    ],
)
def test_a_device_is_named_after_its_browser_and_system(user_agent, name):
    with translation.override("en"):
        assert device_selectors.device_name(user_agent) == name


def test_listing_devices_changes_nothing_and_forgetting_ended_sessions_is_a_service(member):
    phone = sign_in(member, IPHONE)
    laptop = sign_in(member)
    device_services.session_store(phone.session.session_key).delete()
    listed = device_selectors.devices_of(member, laptop.session.session_key)
    assert len(listed) == 2
    assert Device.objects.filter(user=member).count() == 2
    assert device_services.forget_ended_sessions(user=member) == 1
    assert [d.session_key for d in Device.objects.filter(user=member)] == [
        laptop.session.session_key
    ]
