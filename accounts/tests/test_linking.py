"""One person, one account: email, phone (and Google, passkeys) linked to it; nothing borrowed."""

import re

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_links_a_phone_and_then_signs_in_with_it(member, capsys):
    client = signed_in(member)
    response = client.post("/accounts/phone/change/", {"phone": "8 912 345-67-89"})
    assert response.status_code == 302
    code = re.findall(r"SMS to \+79123456789: \D*(\d{6})", capsys.readouterr().out)[-1]
    client.post("/accounts/phone/verify/", {"code": code})
    member.refresh_from_db()
    assert (str(member.phone), member.phone_verified) == ("+79123456789", True)
    # Later, on a new phone: the same account by an SMS code.
    other_device = Client()
    other_device.post("/accounts/login/code/", {"phone": "+7 912 345 67 89"})
    code = re.findall(r"SMS to \+79123456789: \D*(\d{6})", capsys.readouterr().out)[-1]
    other_device.post("/accounts/login/code/confirm/", {"code": code})
    assert other_device.get("/").wsgi_request.user == member


def test_a_phone_another_member_uses_is_refused_plainly(member, capsys):
    UserFactory(phone="+79123456789", phone_verified=True)
    page = signed_in(member).post("/accounts/phone/change/", {"phone": "+79123456789"})
    assert page.status_code == 200
    assert "Этот номер уже использует другой член семьи." in page.content.decode()
    member.refresh_from_db()
    assert member.phone is None
    assert "SMS to" not in capsys.readouterr().out


def test_an_email_another_member_uses_is_refused_plainly(member, other_member, smtp_inbox):
    page = signed_in(member).post(
        "/accounts/email/", {"email": other_member.email.upper(), "action_add": ""}
    )
    assert page.status_code == 200
    assert "Этот адрес уже использует другой член семьи." in page.content.decode()
    assert not member.emailaddress_set.filter(email__iexact=other_member.email).exists()
    assert smtp_inbox.messages == []


def test_a_member_adds_a_second_email_of_their_own(member, smtp_inbox):
    client = signed_in(member)
    response = client.post("/accounts/email/", {"email": "babulya@family.test", "action_add": ""})
    assert response.status_code == 302
    body = smtp_inbox.bodies_to("babulya@family.test")[-1]
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M).group(1)
    client.post("/accounts/confirm-email/", {"code": code})
    assert member.emailaddress_set.filter(email="babulya@family.test", verified=True).exists()
