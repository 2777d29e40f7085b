"""What messaging announces to the apps above it (which it must not import).

An app above (bots) registers a listener in its AppConfig.ready; messaging calls
`message_sent(message_id)` where a message is created, and every listener runs with the id once
the transaction that stored the message commits (never for a message that was rolled back). A
failing listener is logged and does not disturb the sender or the other listeners.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)

MessageListener = Callable[[int], None]

_message_sent: list[MessageListener] = []


def on_message_sent(listener: MessageListener) -> None:
    """Call `listener(message_id)` after each new message commits; registering twice is once."""
    if listener not in _message_sent:
        _message_sent.append(listener)


def message_sent(message_id: int) -> None:
    """A message was stored in the current transaction: tell the listeners after commit."""
    if _message_sent:
        transaction.on_commit(lambda: _announce(message_id))


def _announce(message_id: int) -> None:
    for listener in list(_message_sent):
        try:
            listener(message_id)
        except Exception:
            log.exception("messaging: a message_sent listener failed for message %s", message_id)
