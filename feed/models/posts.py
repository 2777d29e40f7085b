"""The family feed's tables: posts with photos and videos, likes, comments, favourites, reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feed.audience import Audience


class Post(models.Model):
    Audience = Audience

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    # Unique per author: a retried upload returns the post it already made.
    client_id = models.CharField(max_length=64)
    text = models.TextField(_("text"), blank=True)
    audience = models.CharField(
        _("who sees it"), max_length=10, choices=Audience, default=Audience.FAMILY
    )
    community = models.ForeignKey(
        "messaging.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="posts",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Hidden by the owner after a report: only the author and the owner see it, marked.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Kept on the row so a page of posts needs no count queries.
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="post_once"),
            models.CheckConstraint(
                condition=models.Q(audience="community", community__isnull=False)
                | (~models.Q(audience="community") & models.Q(community__isnull=True)),
                name="post_community_audience",
            ),
        ]
        indexes = [models.Index(fields=["author", "-id"], name="post_author_newest")]

    def __str__(self) -> str:
        return f"post {self.pk} by {self.author_id}"

    def get_absolute_url(self) -> str:
        return reverse("feed:post", args=[self.pk])


class PostMedia(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=8, choices=Kind)
    # Storage names under feed/: the display size (or the video), a thumbnail (or poster frame).
    file = models.CharField(max_length=200, db_index=True)
    preview = models.CharField(max_length=200, blank=True, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.file


class Like(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="like_once")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.post_id}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_comments"
    )
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    client_id = models.CharField(max_length=64)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="comment_once"),
        ]
        indexes = [models.Index(fields=["post", "id"], name="comment_post_order")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.post_id}"


class FavouriteFolder(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_folders"
    )
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Favourite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="favourites")
    # None: saved without a folder ("All saved").
    folder = models.ForeignKey(
        FavouriteFolder, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="favourite_once")]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.post_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("Offensive or hurtful")
        PRIVATE = "private", _("Shares something private")
        SPAM = "spam", _("Spam or a scam")
        OTHER = "other", _("Something else")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        HIDDEN = "hidden", _("Content hidden")
        DELETED = "deleted", _("Content deleted")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Kept (emptied) when the content is deleted: the owner's record of what happened.
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason)
    details = models.CharField(_("details"), max_length=500, blank=True)
    # What was reported, as it was: the content may be edited or deleted later.
    snapshot = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.reason})"
