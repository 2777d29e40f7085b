"""Text messages (sign-in codes): one function, backends chosen by settings.SMS_BACKEND."""

import logging
import sys

from django.conf import settings

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """The provider refused or could not be reached; the message was not sent."""


def console(to: str, text: str) -> None:
    """The embedded default: the text is printed where `make run` prints its log."""
    sys.stdout.write(f"SMS to {to}: {text}\n")
    sys.stdout.flush()


BACKENDS = {"console": console}


def send(to: str, text: str) -> None:
    """Send `text` to the E.164 number `to` through the configured provider."""
    try:
        backend = BACKENDS[settings.SMS_BACKEND]
    except KeyError:
        raise SMSError(f"unknown SMS_BACKEND {settings.SMS_BACKEND!r}") from None
    backend(str(to), text)
