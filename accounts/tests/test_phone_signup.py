"""Sign-up and sign-in by SMS code: a number is all a grandparent needs."""

import re

import pytest

from accounts import services
from accounts.models import Joined, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def last_code(capsys) -> str:
    printed = capsys.readouterr().out
    return re.findall(r"SMS to \+\d+: \D*(\d{6})", printed)[-1]


def test_an_invited_person_signs_up_with_only_a_phone(client, owner, capsys, settings):
    settings.SMS_BACKEND = "console"
    invite = services.create_invite(by=owner, days=7, max_uses=1)
    client.get(invite.get_absolute_url())
    response = client.post(
        "/accounts/signup/phone/", {"display_name": "Бабушка Валя", "phone": "8 (912) 345-67-89"}
    )
    assert response.status_code == 302
    granny = User.objects.get(phone="+79123456789")
    assert granny.display_name == "Бабушка Валя"
    assert not granny.phone_verified
    assert not granny.has_usable_password()
    # Not in until the code that came by SMS is typed in.
    assert client.get("/").status_code == 302
    code = last_code(capsys)
    confirmed = client.post("/accounts/phone/verify/", {"code": code})
    assert confirmed.status_code == 302
    granny.refresh_from_db()
    assert granny.phone_verified
    assert client.get("/").status_code == 200
    assert Joined.objects.get(user=granny).invite == invite


def test_a_wrong_sms_code_lets_nobody_in(client, owner, capsys):
    invite = services.create_invite(by=owner)
    client.get(invite.get_absolute_url())
    client.post("/accounts/signup/phone/", {"display_name": "Коля", "phone": "+7 912 345 67 89"})
    real = last_code(capsys)
    wrong = "000000" if real != "000000" else "111111"
    page = client.post("/accounts/phone/verify/", {"code": wrong})
    assert page.status_code == 200
    assert client.get("/").status_code == 302
    assert not User.objects.get(phone="+79123456789").phone_verified


def test_without_an_invite_phone_sign_up_is_closed(client, owner):
    page = client.get("/accounts/signup/phone/")
    assert "Регистрация только по приглашению" in page.content.decode()
    client.post("/accounts/signup/phone/", {"display_name": "Чужой", "phone": "+79123456789"})
    assert not User.objects.filter(phone="+79123456789").exists()


def test_a_number_that_is_not_a_phone_number_is_refused(client, owner):
    invite = services.create_invite(by=owner)
    client.get(invite.get_absolute_url())
    page = client.post("/accounts/signup/phone/", {"display_name": "Коля", "phone": "12"})
    assert page.status_code == 200
    assert page.context["form"].errors["phone"]
    assert User.objects.count() == 1


def test_a_member_signs_in_with_a_code_sent_to_their_phone(client, capsys):
    granny = UserFactory(phone="+79123456789", phone_verified=True, verified_email=False, email="")
    response = client.post("/accounts/login/code/", {"phone": "8 912 345-67-89"})
    assert response.status_code == 302
    code = last_code(capsys)
    signed_in = client.post("/accounts/login/code/confirm/", {"code": code})
    assert signed_in.status_code == 302
    assert client.get("/").wsgi_request.user == granny


def test_asking_a_code_for_an_unknown_number_does_not_tell_it_is_unknown(client, capsys):
    response = client.post("/accounts/login/code/", {"phone": "+79120000000"})
    # The same next step as for a member: nobody learns who has an account.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/confirm/"
    # ...and no text goes to a stranger's number (texts cost money; no SMS pumping).
    assert "SMS to" not in capsys.readouterr().out
