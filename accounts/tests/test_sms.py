"""Sign-in codes leave through a real provider's HTTP API, checked against a local fake of it."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from accounts import sms
from accounts.tests.factories import UserFactory
from tests.fakes.sms import API_ID, FROM, SID, fake_sms, provider_settings  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["twilio", "smsru"])
def provider(request, fake_sms, settings):  # noqa: F811
    for name, value in provider_settings(fake_sms, request.param).items():
        setattr(settings, name, value)
    return request.param


def test_a_text_reaches_the_provider_as_it_documents(provider, fake_sms):  # noqa: F811
    sms.send("+79123456789", "Код Toricy: 123456")
    assert fake_sms.texts_to("+79123456789") == ["Код Toricy: 123456"]
    method, path, fields = fake_sms.requests[-1]
    assert method == "POST"
    if provider == "twilio":
        assert path == f"/2010-04-01/Accounts/{SID}/Messages.json"
        assert fields == {"To": "+79123456789", "From": FROM, "Body": "Код Toricy: 123456"}
    else:
        assert path == "/sms/send"
        assert fields == {
            "api_id": API_ID,
            "to": "79123456789",
            "msg": "Код Toricy: 123456",
            "json": "1",
        }


def test_a_refusal_by_the_provider_is_an_error_with_its_reason(provider, fake_sms):  # noqa: F811
    fake_sms.refuse_numbers.add("+79990000000")
    with pytest.raises(sms.SMSError, match=r"21211|207"):
        sms.send("+79990000000", "Код")
    assert fake_sms.messages == []


def test_wrong_credentials_are_an_error(provider, settings):
    settings.TWILIO_AUTH_TOKEN = "wrong"
    settings.SMSRU_API_ID = "wrong"
    with pytest.raises(sms.SMSError, match=r"Authenticate|api_id"):
        sms.send("+79123456789", "Код")


def test_an_unreachable_provider_is_an_error(settings):
    from tests.server import free_port

    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_URL = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(sms.SMSError):
        sms.send("+79123456789", "Код")


def test_the_console_prints_the_text(settings, capsys):
    settings.SMS_BACKEND = "console"
    sms.send("+79123456789", "Код 1")
    assert "SMS to +79123456789: Код 1" in capsys.readouterr().out


def test_an_unknown_backend_is_an_error(settings):
    settings.SMS_BACKEND = "pigeon"
    with pytest.raises(sms.SMSError):
        sms.send("+79123456789", "Код")


@pytest.mark.parametrize(
    ("backend", "unset", "problem"),
    [
        ("twilio", "TWILIO_AUTH_TOKEN", "toricy.E002"),
        ("smsru", "SMSRU_API_ID", "toricy.E002"),
        ("pigeon", None, "toricy.E001"),
    ],
)
def test_a_backend_without_its_credentials_fails_the_system_check(
    settings, backend, unset, problem
):
    settings.SMS_BACKEND = backend
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = SID, "t", FROM
    settings.SMSRU_API_ID = API_ID
    if unset:
        setattr(settings, unset, "")
    with pytest.raises(SystemCheckError, match=problem):
        call_command("check")


def test_a_member_signs_in_with_a_code_the_provider_delivered(provider, fake_sms):  # noqa: F811
    granny = UserFactory(phone="+79123456789", phone_verified=True)
    client = Client()
    client.post("/accounts/login/code/", {"phone": "8 912 345-67-89"})
    code = re.search(r"\d{6}", fake_sms.texts_to("+79123456789")[-1]).group()
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert client.get("/").wsgi_request.user == granny


def test_a_failing_provider_shows_a_message_not_an_error_page(provider, fake_sms):  # noqa: F811
    UserFactory(phone="+79123456789", phone_verified=True)
    fake_sms.refuse_numbers.add("+79123456789")
    response = Client().post("/accounts/login/code/", {"phone": "+79123456789"}, follow=True)
    assert response.status_code == 200
    assert "Не удалось отправить SMS. Попробуйте через минуту." in response.content.decode()
