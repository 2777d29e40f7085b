"""Sign-in codes leave through a real provider's HTTP API, checked against a local fake of it."""

import logging
import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from accounts import sms
from accounts.tests.factories import UserFactory
from tests.fakes.sms import (  # noqa: F401 (fake_sms is a fixture)
    API_ID,
    APPROVED_SENDER,
    FROM,
    SID,
    TOKEN,
    fake_sms,
    provider_settings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["twilio", "smsru"])
def provider(request, fake_sms, settings):  # noqa: F811
    for name, value in provider_settings(fake_sms, request.param).items():
        setattr(settings, name, value)
    return request.param


def test_a_text_reaches_the_provider_as_it_documents(provider, fake_sms):  # noqa: F811
    sms.send("+79121234567", "Код Toricy: 123456")
    assert fake_sms.messages == [("+79121234567", "Код Toricy: 123456")]
    method, path, fields = fake_sms.requests[-1]
    assert method == "POST"
    if provider == "twilio":
        assert path == f"/2010-04-01/Accounts/{SID}/Messages.json"
        assert fields == {"To": "+79121234567", "From": FROM, "Body": "Код Toricy: 123456"}
    else:
        # SMS.ru takes the E.164 number without its "+".
        assert path == "/sms/send"
        assert fields == {
            "api_id": API_ID,
            "to": "79121234567",
            "msg": "Код Toricy: 123456",
            "json": "1",
        }


def test_smsru_signs_with_an_approved_sender_name_when_one_is_set(fake_sms, settings):  # noqa: F811
    for name, value in provider_settings(fake_sms, "smsru").items():
        setattr(settings, name, value)
    settings.SMSRU_FROM = APPROVED_SENDER
    sms.send("+79121234567", "Код")
    assert fake_sms.requests[-1][2]["from"] == APPROVED_SENDER
    assert fake_sms.texts_to("+79121234567") == ["Код"]


def test_smsru_refusing_the_sender_name_is_an_error(fake_sms, settings):  # noqa: F811
    for name, value in provider_settings(fake_sms, "smsru").items():
        setattr(settings, name, value)
    settings.SMSRU_FROM = "Toricy"
    with pytest.raises(sms.SMSError, match="204"):
        sms.send("+79121234567", "Код")
    assert fake_sms.messages == []


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


@pytest.mark.parametrize("backend", ["twilio", "smsru"])
def test_an_unreachable_provider_is_an_error(settings, backend):
    from tests.server import free_port

    settings.SMS_BACKEND = backend
    settings.TWILIO_API_URL = settings.SMSRU_API_URL = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(sms.SMSError, match="refused"):
        sms.send("+79123456789", "Код")


def test_a_provider_that_does_not_answer_in_time_is_an_error(provider, fake_sms, monkeypatch):  # noqa: F811
    monkeypatch.setattr(sms, "TIMEOUT_SECONDS", 0.3)
    fake_sms.delay = 2
    with pytest.raises(sms.SMSError, match="timed out"):
        sms.send("+79123456789", "Код")


def test_a_broken_gateway_page_instead_of_json_is_an_error(provider, fake_sms):  # noqa: F811
    fake_sms.outage = 503
    with pytest.raises(sms.SMSError, match="503"):
        sms.send("+79123456789", "Код")


def test_the_console_prints_the_text(settings, capsys):
    settings.SMS_BACKEND = "console"
    sms.send("+79123456789", "Код 1")
    assert "SMS to +79123456789: Код 1" in capsys.readouterr().out


def test_an_unknown_backend_is_an_error(settings):
    settings.SMS_BACKEND = "pigeon"
    with pytest.raises(sms.SMSError):
        sms.send("+79123456789", "Код")


@pytest.mark.parametrize("backend", ["console", "twilio", "smsru"])
def test_a_backend_with_its_credentials_passes_the_system_check(settings, backend):
    settings.SMS_BACKEND = backend
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = SID, "t", FROM
    settings.SMSRU_API_ID = API_ID
    call_command("check")


@pytest.mark.parametrize(
    ("backend", "unset", "problem"),
    [
        ("twilio", "TWILIO_AUTH_TOKEN", "toricy.E002"),
        ("twilio", "TWILIO_FROM", "toricy.E002"),
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


@pytest.mark.parametrize("failure", ["refused", "outage"])
def test_a_failing_provider_shows_a_message_not_an_error_page(
    provider,
    fake_sms,  # noqa: F811
    caplog,
    failure,
):
    UserFactory(phone="+79121234567", phone_verified=True)
    if failure == "refused":
        fake_sms.refuse_numbers.add("+79121234567")
    else:
        fake_sms.outage = 502
    with caplog.at_level(logging.ERROR, logger="accounts.adapter"):
        response = Client().post(
            reverse("account_request_login_code"), {"phone": "+79121234567"}, follow=True
        )
    assert response.status_code == 200
    assert "Не удалось отправить SMS. Попробуйте через минуту." in response.content.decode()
    assert fake_sms.messages == []
    assert [record.levelname for record in caplog.records] == ["ERROR"]
    logged = caplog.text
    assert TOKEN not in logged
    assert API_ID not in logged
    assert "1234567" not in logged
