"""Status updates ("stories"): a photo or a short text on a colour, seen for a day."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feed.audience import Audience

STORY_LIFETIME = timedelta(hours=24)
STORY_TEXT_MAX = 250


def story_expiry():
    return timezone.now() + STORY_LIFETIME


class Story(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        TEXT = "text", _("text")

    # The same choices, and the same rule (feed.audience.seen_by), as a post.
    Audience = Audience

    class Background(models.TextChoices):
        TEAL = "teal", _("teal")
        BLUE = "blue", _("blue")
        VIOLET = "violet", _("violet")
        PINK = "pink", _("pink")
        ORANGE = "orange", _("orange")
        GREEN = "green", _("green")
        GRAPHITE = "graphite", _("graphite")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories"
    )
    # Made by the browser before the first attempt: a retried upload never posts twice.
    client_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=Kind)
    text = models.CharField(_("text"), max_length=STORY_TEXT_MAX, blank=True)
    background = models.CharField(max_length=12, choices=Background, default=Background.TEAL)
    photo = models.FileField(upload_to="stories/", blank=True)
    audience = models.CharField(
        _("who sees it"), max_length=12, choices=Audience, default=Audience.FAMILY
    )
    community = models.ForeignKey(
        "messaging.Community", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=story_expiry, db_index=True)

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="story_client_id_once"),
            models.CheckConstraint(
                condition=~models.Q(audience="community") | models.Q(community__isnull=False),
                name="story_community_audience_has_community",
            ),
        ]
        indexes = [models.Index(fields=["author", "expires_at"], name="story_author_expiry")]

    def __str__(self) -> str:
        return f"story {self.pk} by {self.author_id}"

    def get_absolute_url(self) -> str:
        return reverse("stories:member", args=[self.author_id]) + f"?story={self.pk}"


class StoryView(models.Model):
    """One member saw one status update (recorded once, whatever the number of looks)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_views"
    )
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "viewer"], name="story_viewed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw {self.story_id}"
