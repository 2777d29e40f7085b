from django.conf import settings
from django.db import models


class EventCursor(models.Model):
    """The last sequence number given to a member's durable events (one row a member)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_seq = models.BigIntegerField(default=0)

    class Meta:
        db_table = "toricy_eventcursor"  # the table predates the core app

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_seq}"


class Event(models.Model):
    """A durable realtime event, stored once however many members receive it."""

    type = models.CharField(max_length=64)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class Delivery(models.Model):
    """One member's place for an event in their stream: a pointer, never a copy of the event.

    A reconnecting tab says the last sequence it saw and is replayed the events after it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seq = models.BigIntegerField()
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "seq"], name="delivery_unique_user_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}#{self.seq} -> {self.event_id}"
