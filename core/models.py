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
    """A durable realtime event as one member received it: what a reconnecting tab replays."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seq = models.BigIntegerField()
    type = models.CharField(max_length=64)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "toricy_event"  # the table predates the core app
        constraints = [
            models.UniqueConstraint(fields=["user", "seq"], name="event_unique_user_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}#{self.seq} {self.type}"
