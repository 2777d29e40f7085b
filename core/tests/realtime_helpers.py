"""Reading what core.realtime publishes, for the tests of every app."""

from __future__ import annotations

import json

from core import realtime
from core.models import Delivery


class Sent(list):
    """(member id, frame) pairs handed to the channel layer, in order; `texts` holds the encoded
    events (one per event, however many members it went to)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []


def capture_sent(monkeypatch) -> Sent:
    sent = Sent()

    def capture(text, seqs):
        sent.texts.append(text)
        sent.extend((uid, {**json.loads(text), "seq": seq}) for uid, seq in seqs.items())

    monkeypatch.setattr(realtime, "send_now", capture)
    return sent


def stored_events(user, event_type: str | None = None):
    """The durable events a member received, oldest first, as the replay gives them."""
    rows = Delivery.objects.filter(user=user).order_by("seq")
    if event_type is not None:
        rows = rows.filter(event__type=event_type)
    return rows


def payloads(user, event_type: str) -> list[dict]:
    return list(stored_events(user, event_type).values_list("event__payload", flat=True))
