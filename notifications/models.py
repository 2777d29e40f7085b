from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """Something a member should know about: a like, a comment, a reply, a mention, a ruling."""

    class Kind(models.TextChoices):
        LIKE = "like", pgettext_lazy("notification kind", "Like")
        COMMENT = "comment", pgettext_lazy("notification kind", "Comment")
        REPLY = "reply", pgettext_lazy("notification kind", "Reply")
        MENTION = "mention", pgettext_lazy("notification kind", "Mention")
        MODERATION = "moderation", pgettext_lazy("notification kind", "Moderation")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Where tapping the notification leads, and a short snippet of the member's own words.
    url = models.CharField(max_length=300, blank=True)
    text = models.CharField(max_length=200, blank=True)
    # Makes notify() idempotent: one notification per (recipient, key) when a key is given.
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_recipient_id"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at=None),
                name="notification_unread",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_unique_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
