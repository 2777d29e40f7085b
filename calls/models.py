"""Calls: one row per call in a chat, one row per person invited to it.

A chat has at most one live call (ringing or on) at a time, held by a partial unique constraint:
two members pressing "call" at the same moment meet in the same call instead of making two.
Each participant who has joined names the one tab (`session`) that carries their media, so
signalling reaches that tab and not their other open tabs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Call(models.Model):
    class State(models.TextChoices):
        RINGING = "ringing", _("ringing")
        ACTIVE = "active", _("in progress")
        ENDED = "ended", _("ended")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("answered")
        MISSED = "missed", _("missed")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("cancelled")
        BUSY = "busy", _("busy")

    chat = models.ForeignKey("messaging.Chat", on_delete=models.CASCADE, related_name="calls")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    video = models.BooleanField(default=False)
    is_group = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State, default=State.RINGING)
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.UniqueConstraint(
                fields=["chat"], condition=Q(ended_at=None), name="one_live_call_per_chat"
            ),
        ]
        indexes = [models.Index(fields=["state"], name="call_state")]

    def __str__(self) -> str:
        return f"call {self.pk} in chat {self.chat_id} ({self.state})"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None

    @property
    def duration_seconds(self) -> int:
        if self.answered_at is None:
            return 0
        end = self.ended_at or timezone.now()
        return max(0, int((end - self.answered_at).total_seconds()))


class Participant(models.Model):
    class State(models.TextChoices):
        RINGING = "ringing", _("ringing")
        JOINED = "joined", _("in the call")
        LEFT = "left", _("left")
        DECLINED = "declined", _("declined")
        MISSED = "missed", _("missed")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_participations"
    )
    state = models.CharField(max_length=8, choices=State, default=State.RINGING)
    # The tab that carries this member's media while joined (a random id the tab makes).
    session = models.CharField(max_length=40, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life from that tab: a tab that crashed or lost its network stops
    # sending them, and after CALL_SILENCE_SECONDS it is taken out of the call.
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="participant_once"),
        ]
        indexes = [models.Index(fields=["user", "state"], name="participant_user_state")]

    def __str__(self) -> str:
        return f"{self.user_id} in call {self.call_id} ({self.state})"
