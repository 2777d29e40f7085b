"""Bots: accounts that a member drives through the Telegram-compatible Bot API, and their updates.

A bot is an ordinary `accounts.User` (so it sits in chats and sends messages like anyone) with a
`Bot` row beside it: `hasattr(user, "bot")` tells a bot. Only a hash of the token's secret is
stored. Updates are what the bot has not fetched (or not been delivered) yet, numbered per bot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Bot(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bot", primary_key=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="owned_bots",
        verbose_name=_("owner"),
    )
    # sha256 of the token's secret (the part after the colon), hex.
    token_hash = models.CharField(max_length=64)
    token_revoked_at = models.DateTimeField(_("token revoked"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=512, blank=True)
    about = models.CharField(_("about"), max_length=120, blank=True)
    # In groups a bot in privacy mode hears only commands, replies to it and mentions of it.
    privacy_mode = models.BooleanField(_("privacy mode"), default=True)
    can_join_groups = models.BooleanField(_("may be added to groups"), default=True)
    # [{"command": "start", "description": "..."}], as setMyCommands gives them.
    commands = models.JSONField(_("commands"), default=list, blank=True)
    # The update kinds the bot asked for (getUpdates and setWebhook share it, as in Telegram);
    # None: every kind but those Telegram sends only on request.
    allowed_updates = models.JSONField(null=True, blank=True)
    webhook_url = models.URLField(_("webhook"), max_length=2048, blank=True)
    webhook_secret = models.CharField(max_length=256, blank=True)
    webhook_max_connections = models.PositiveSmallIntegerField(default=40)
    webhook_last_error_date = models.DateTimeField(null=True, blank=True)
    webhook_last_error_message = models.CharField(max_length=300, blank=True)
    # The service bot through which the owner reaches everyone (made by the system, not a member).
    is_system = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bot")
        verbose_name_plural = _("bots")

    def __str__(self) -> str:
        return f"@{self.user.username}"

    @property
    def is_usable(self) -> bool:
        return self.token_revoked_at is None and self.user.is_active


class UpdateCursor(models.Model):
    """The update_id of a bot's newest update; the next takes this + 1 under this row's lock.

    A row of its own, so that saving a Bot (the admin, a settings form) never writes a stale
    number back over it.
    """

    bot = models.OneToOneField(Bot, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_update_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.bot_id}: {self.last_update_id}"


class Update(models.Model):
    """One event for one bot, kept until the bot confirms it (or for a day)."""

    class Kind(models.TextChoices):
        MESSAGE = "message"
        EDITED_MESSAGE = "edited_message"
        CHANNEL_POST = "channel_post"
        CALLBACK_QUERY = "callback_query"
        MY_CHAT_MEMBER = "my_chat_member"
        CHAT_MEMBER = "chat_member"

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="updates")
    update_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind)
    # What happened, once: "message:<id>", so a repeated announcement stores nothing new.
    source = models.CharField(max_length=64)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bot", "update_id"], name="bot_update_id_once"),
            models.UniqueConstraint(fields=["bot", "source"], name="bot_update_source_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bot_id}#{self.update_id} {self.kind}"

    def as_telegram(self) -> dict:
        return {"update_id": self.update_id, self.kind: self.payload}
