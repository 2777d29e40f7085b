"""A local stand-in for the SMS providers, speaking their documented HTTP shapes.

Twilio:  POST /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth (SID:token),
         form fields To, From, Body; 201 with the message resource, or an error object
         {"code", "message", "more_info", "status"}.
SMS.ru:  POST (or GET) /sms/send with api_id, to (digits), msg, json=1 and optionally from (a
         sender name the administration approved); {"status": "OK", "sms": {"<to>": {"status":
         "OK", "sms_id": ...}}}, or a status "ERROR" with status_text, for the whole request or
         for the number.

Every accepted message is kept in `messages` as (number in E.164, text), whichever provider
took it; anything malformed is refused the way the provider would refuse it, so a test that
passes has sent a well-formed request. To make it fail: add a number to `refuse_numbers` (the
provider's own refusal for that number), set `outage` to an HTTP status (every request gets it
with a non-JSON body, like a broken gateway), or `delay` to seconds before each answer.

In a test of this process: `from tests.fakes.sms import fake_sms` and use the fixture. For a
server process (tests/server.py), pass `provider_settings(fake_sms, "twilio")` as its
env_overrides and wait for the text with `fake_sms.wait_for_text(number)`.
"""

import base64
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.server import free_port

SID = "AC" + "0" * 32
TOKEN = "twilio-test-token"
FROM = "+15005550006"
API_ID = "SMSRU-TEST-API-ID"
APPROVED_SENDER = "TORICY"


class FakeSMS:
    def __init__(self):
        self.port = free_port()
        self.messages: list[tuple[str, str]] = []
        self.requests: list[tuple[str, str, dict]] = []
        self.refuse_numbers: set[str] = set()
        self.outage: int | None = None
        self.delay: float = 0
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.handle(self, parse_qs(urlsplit(self.path).query))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                if self.headers.get("Content-Type", "").split(";")[0] != (
                    "application/x-www-form-urlencoded"
                ):
                    form = {}
                fake.handle(self, form)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        # A client that gave up waiting (the timeout tests) leaves a broken pipe: not news.
        self.server.handle_error = lambda request, client_address: None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeSMS":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def texts_to(self, number: str) -> list[str]:
        with self._lock:
            return [text for to, text in self.messages if to == _e164(number)]

    def wait_for_text(self, number: str, timeout: float = 10) -> str:
        """The latest text to `number`, waiting for one (sent by another process) if need be."""
        with self._lock:
            if not self._lock.wait_for(lambda: self.texts_to(number), timeout=timeout):
                raise AssertionError(f"no text reached {number} in {timeout} s: {self.requests}")
            return self.texts_to(number)[-1]

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.requests.clear()
            self.refuse_numbers.clear()
            self.outage, self.delay = None, 0

    def _accept(self, number: str, text: str) -> None:
        with self._lock:
            self.messages.append((_e164(number), text))
            self._lock.notify_all()

    # --- The providers ------------------------------------------------------------------------
    def handle(self, handler, form: dict) -> None:
        path = urlsplit(handler.path).path
        fields = {key: values[0] for key, values in form.items()}
        with self._lock:
            self.requests.append((handler.command, path, fields))
        if self.delay:
            time.sleep(self.delay)
        if self.outage:
            return self.answer(handler, self.outage, "<html>Service Unavailable</html>")
        if re.fullmatch(r"/2010-04-01/Accounts/[^/]+/Messages\.json", path):
            self.twilio(handler, path, fields)
        elif path == "/sms/send":
            self.smsru(handler, fields)
        else:
            self.answer(handler, 404, {"error": "not found"})

    def twilio(self, handler, path: str, fields: dict) -> None:
        auth = handler.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if handler.command != "POST" or auth != expected or f"/Accounts/{SID}/" not in path:
            return self.answer(handler, 401, self.twilio_error(20003, "Authenticate", 401))
        to, sender, body = fields.get("To", ""), fields.get("From", ""), fields.get("Body", "")
        if not re.fullmatch(r"\+[1-9]\d{6,14}", to) or _e164(to) in self.refuse_numbers:
            message = f"The 'To' number {to} is not a valid phone number."
            return self.answer(handler, 400, self.twilio_error(21211, message, 400))
        if sender != FROM:
            message = "The 'From' number is not a valid phone number or sender id."
            return self.answer(handler, 400, self.twilio_error(21212, message, 400))
        if not body:
            return self.answer(
                handler, 400, self.twilio_error(21602, "Message body is required.", 400)
            )
        self._accept(to, body)
        sid = f"SM{next(self._ids):032d}"
        self.answer(
            handler,
            201,
            {
                "sid": sid,
                "account_sid": SID,
                "to": to,
                "from": sender,
                "body": body,
                "status": "queued",
                "error_code": None,
                "error_message": None,
            },
        )

    @staticmethod
    def twilio_error(code: int, message: str, status: int) -> dict:
        return {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }

    def smsru(self, handler, fields: dict) -> None:
        if fields.get("api_id") != API_ID:
            return self.answer(
                handler,
                200,
                {"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"},
            )
        if fields.get("json") != "1":
            return self.answer(
                handler,
                200,
                {
                    "status": "ERROR",
                    "status_code": 200,
                    "status_text": "json=1 expected by this fake",
                },
            )
        if "from" in fields and fields["from"] != APPROVED_SENDER:
            return self.answer(
                handler,
                200,
                {
                    "status": "ERROR",
                    "status_code": 204,
                    "status_text": "Имя отправителя не согласовано с администрацией",
                },
            )
        to, text = fields.get("to", ""), fields.get("msg", "")
        if not re.fullmatch(r"[1-9]\d{6,14}", to):
            entry = {
                "status": "ERROR",
                "status_code": 202,
                "status_text": "Неправильно указан номер",
            }
        elif not text:
            entry = {"status": "ERROR", "status_code": 203, "status_text": "Нет текста сообщения"}
        elif _e164(to) in self.refuse_numbers:
            entry = {
                "status": "ERROR",
                "status_code": 207,
                "status_text": "На этот номер нельзя отправлять сообщения",
            }
        else:
            self._accept(to, text)
            entry = {"status": "OK", "status_code": 100, "sms_id": f"000000-{next(self._ids)}"}
        self.answer(
            handler, 200, {"status": "OK", "status_code": 100, "sms": {to: entry}, "balance": 100.0}
        )

    @staticmethod
    def answer(handler, status: int, payload: dict | str) -> None:
        is_json = isinstance(payload, dict)
        data = (json.dumps(payload, ensure_ascii=False) if is_json else payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json" if is_json else "text/html")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def _e164(number: str) -> str:
    return "+" + re.sub(r"\D", "", number)


@pytest.fixture
def fake_sms():
    fake = FakeSMS().start()
    yield fake
    fake.stop()


def provider_settings(fake: FakeSMS, backend: str) -> dict:
    """The environment (for a server process) or settings that point a backend at the fake.

    SMSRU_FROM is left out: SMS.ru then signs with the account's default sender."""
    return {
        "SMS_BACKEND": backend,
        "TWILIO_ACCOUNT_SID": SID,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_FROM": FROM,
        "TWILIO_API_URL": fake.url,
        "SMSRU_API_ID": API_ID,
        "SMSRU_API_URL": fake.url,
    }
