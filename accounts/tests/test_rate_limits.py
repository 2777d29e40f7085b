"""Guessing is slow: every password and code attempt is limited per identifier and per address."""

import re

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMIT_TEXT = "Слишком много"


def test_wrong_passwords_for_one_account_are_stopped_with_a_clear_message():
    UserFactory(username="grandma")
    client = Client()
    pages = [
        client.post("/accounts/login/", {"login": "grandma", "password": f"guess {n}"})
        for n in range(6)
    ]
    assert LIMIT_TEXT not in pages[0].content.decode()
    assert LIMIT_TEXT in pages[-1].content.decode()
    # The right password does not get in while the account is locked for guessing...
    locked = client.post(
        "/accounts/login/", {"login": "grandma", "password": "correct horse battery staple"}
    )
    assert locked.status_code != 302


def test_the_limit_per_account_holds_across_addresses():
    UserFactory(username="grandma")
    for n in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(
            "/accounts/login/", {"login": "grandma", "password": f"guess {n}"}
        )
    page = Client(REMOTE_ADDR="10.0.0.99").post(
        "/accounts/login/", {"login": "grandma", "password": "guess again"}
    )
    assert LIMIT_TEXT in page.content.decode()


def test_sms_codes_for_one_number_are_limited(capsys):
    UserFactory(phone="+79123456789", phone_verified=True)
    for _ in range(3):
        Client().post("/accounts/login/code/", {"phone": "+79123456789"})
    page = Client().post("/accounts/login/code/", {"phone": "+79123456789"})
    assert page.status_code in (200, 429)
    assert LIMIT_TEXT in page.content.decode()
    assert capsys.readouterr().out.count("SMS to +79123456789") == 3


def test_wrong_codes_end_the_attempt(capsys):
    UserFactory(phone="+79123456789", phone_verified=True)
    client = Client()
    client.post("/accounts/login/code/", {"phone": "+79123456789"})
    for _ in range(3):
        client.post("/accounts/login/code/confirm/", {"code": "000000"})
    # After the allowed attempts the code is spent: even the right one no longer works.
    code = re.findall(r"SMS to \+79123456789: \D*(\d{6})", capsys.readouterr().out)[-1]
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert client.get("/").status_code == 302
