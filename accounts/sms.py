"""Text messages (sign-in codes): one function, backends chosen by settings.SMS_BACKEND.

console  prints the text where `make run` logs (the embedded default)
twilio   Twilio's Messages API (form POST, HTTP Basic auth with the account SID and token)
smsru    SMS.ru's /sms/send API (api_id, to, msg, json=1; `from` only if SMSRU_FROM is set)

Every failure (a refusal, an unreachable provider, a timeout after 10 s, an answer that is not
the documented JSON) is an SMSError whose text carries the provider's reason and never the
credentials.
"""

import base64
import json
import logging
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class SMSError(Exception):
    """The provider refused or could not be reached; the message was not sent."""


def console(to: str, text: str) -> None:
    """The embedded default: the text is printed where `make run` prints its log."""
    sys.stdout.write(f"SMS to {to}: {text}\n")
    sys.stdout.flush()


def _without_number(reason: str, to: str) -> str:
    """The provider's reason, with the member's number cut short as the log shows it."""
    digits = re.sub(r"\D", "", to)
    return reason.replace(digits, digits[:4] + "…") if len(digits) > 4 else reason


def _call(request: urllib.request.Request, provider: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            status, payload = answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            status, payload = error.code, json.loads(error.read() or b"{}")
        except ValueError:
            raise SMSError(f"{provider}: HTTP {error.code}") from error
    except (OSError, ValueError) as error:
        raise SMSError(f"{provider}: {error}") from error
    if not isinstance(payload, dict):
        raise SMSError(f"{provider}: HTTP {status}, an answer that is not a JSON object")
    return status, payload


def twilio(to: str, text: str) -> None:
    sid, token = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN
    url = f"{settings.TWILIO_API_URL.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
    body = urllib.parse.urlencode({"To": to, "From": settings.TWILIO_FROM, "Body": text})
    credentials = base64.b64encode(f"{sid}:{token}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 (the URL comes from the settings)
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )
    status, answer = _call(request, "Twilio")
    if status not in (200, 201):
        reason = _without_number(str(answer.get("message", "")), to)
        raise SMSError(f"Twilio {answer.get('code', status)}: {reason}")


def smsru(to: str, text: str) -> None:
    number = re.sub(r"\D", "", to)  # E.164 without the "+": +79121234567 -> 79121234567
    fields = {"api_id": settings.SMSRU_API_ID, "to": number, "msg": text, "json": 1}
    # SMS.ru refuses the whole request for a sender name its administration has not approved,
    # so `from` is sent only when one is configured; otherwise the account's default is used.
    if sender := getattr(settings, "SMSRU_FROM", ""):
        fields["from"] = sender
    body = urllib.parse.urlencode(fields)
    request = urllib.request.Request(  # noqa: S310 (the URL comes from the settings)
        f"{settings.SMSRU_API_URL.rstrip('/')}/sms/send",
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    status, answer = _call(request, "SMS.ru")
    if status != 200 or answer.get("status") != "OK":
        raise SMSError(
            f"SMS.ru {answer.get('status_code', status)}: {answer.get('status_text', '')}"
        )
    entries = answer.get("sms")
    entries = entries if isinstance(entries, dict) else {}
    # One number was asked for: its entry is keyed by that number as SMS.ru normalised it.
    sent = entries.get(number) or (next(iter(entries.values())) if len(entries) == 1 else None)
    if not isinstance(sent, dict):
        raise SMSError("SMS.ru: the answer has no result for the number")
    if sent.get("status") != "OK":
        reason = _without_number(str(sent.get("status_text", "")), to)
        raise SMSError(f"SMS.ru {sent.get('status_code')}: {reason}")


BACKENDS = {"console": console, "twilio": twilio, "smsru": smsru}
REQUIRED_SETTINGS = {
    "twilio": ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"],
    "smsru": ["SMSRU_API_ID"],
}


def send(to: str, text: str) -> None:
    """Send `text` to the E.164 number `to` through the configured provider."""
    try:
        backend = BACKENDS[settings.SMS_BACKEND]
    except KeyError:
        raise SMSError(f"unknown SMS_BACKEND {settings.SMS_BACKEND!r}") from None
    backend(str(to), text)
