"""Every write of bots: making and unmaking bots, their tokens and commands, their updates.

A token is `<bot user id>:<secret>`; only sha256 of the secret is stored, so a token is shown
once (when made) and can only be replaced, never read back. Updates are numbered per bot under
the lock of the bot's cursor row, so a long-polling bot that confirmed `update_id` N never misses
a smaller id committed later.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bots import objects
from bots.models import Bot, Update, UpdateCursor
from core.errors import Invalid, Refused
from messaging.models import Chat, Membership, Message

log = logging.getLogger(__name__)

USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{1,29}bot$", re.IGNORECASE)
TOKEN = re.compile(r"^(\d{1,20}):([A-Za-z0-9_-]{32,128})$")
COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
MAX_COMMANDS = 100
UPDATE_RETENTION = timedelta(hours=24)
# Kinds Telegram sends only to a bot that asked for them by name.
ON_REQUEST_ONLY = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


# --- Tokens --------------------------------------------------------------------------------------
def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_token(bot: Bot) -> str:
    secret = secrets.token_urlsafe(32)  # 43 characters of [A-Za-z0-9_-]
    bot.token_hash = _hash(secret)
    bot.token_revoked_at = None
    return f"{bot.pk}:{secret}"


def bot_for_token(token: str) -> Bot | None:
    """The bot this token opens, or None (malformed, unknown, revoked, or the bot deleted)."""
    match = TOKEN.match(token or "")
    if match is None:
        return None
    bot = Bot.objects.select_related("user").filter(pk=int(match.group(1))).first()
    if bot is None:
        # Compare anyway, so an unknown id takes as long as a wrong secret.
        hmac.compare_digest(_hash(match.group(2)), "0" * 64)
        return None
    if not hmac.compare_digest(_hash(match.group(2)), bot.token_hash):
        return None
    return bot if bot.is_usable else None


# --- Bots ----------------------------------------------------------------------------------------
@transaction.atomic
def create_bot(*, owner: User, username: str, name: str = "") -> tuple[Bot, str]:
    """A new bot of this member, with its own account; returns the bot and its token (once)."""
    if not owner.is_active or hasattr(owner, "bot"):
        raise Refused(_("Only a member of the family can make a bot."))
    username = (username or "").strip().lstrip("@")
    if not USERNAME.match(username):
        raise Invalid(
            _(
                "A bot's username is 5 to 32 Latin letters, digits and underscores, "
                "starts with a letter and ends in “bot”."
            )
        )
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(_("This username is taken."))
    name = (name or "").strip()[:64] or username
    try:
        with transaction.atomic():
            user = User(username=username, display_name=name, email="")
            user.set_unusable_password()
            user.save()
    except IntegrityError as taken:
        raise Invalid(_("This username is taken.")) from taken
    bot = Bot(user=user, owner=owner)
    token = _new_token(bot)
    bot.save()
    UpdateCursor.objects.create(bot=bot)
    return bot, token


@transaction.atomic
def regenerate_token(*, bot: Bot) -> str:
    """A fresh token; the old one stops working at once."""
    token = _new_token(bot)
    bot.save(update_fields=["token_hash", "token_revoked_at"])
    return token


@transaction.atomic
def revoke_token(*, bot: Bot) -> None:
    """The token stops working and no new one exists until the owner makes one."""
    bot.token_revoked_at = timezone.now()
    bot.save(update_fields=["token_revoked_at"])


@transaction.atomic
def delete_bot(*, bot: Bot) -> None:
    """The bot is gone for good. Its account stays, deactivated, so its messages keep a name."""
    user = bot.user
    bot.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])


def clean_commands(commands: object) -> list[dict[str, str]]:
    if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
        raise Invalid(_("Give at most %(n)d commands.") % {"n": MAX_COMMANDS})
    cleaned: list[dict[str, str]] = []
    for item in commands:
        command = str(item.get("command", "")).strip().lstrip("/") if isinstance(item, dict) else ""
        description = str(item.get("description", "")).strip() if isinstance(item, dict) else ""
        if not COMMAND.match(command):
            raise Invalid(
                _("A command is 1 to 32 lowercase Latin letters, digits and underscores.")
            )
        if not 1 <= len(description) <= 256:
            raise Invalid(_("A command's description is 1 to 256 characters."))
        cleaned.append({"command": command, "description": description})
    return cleaned


@transaction.atomic
def set_commands(*, bot: Bot, commands: object) -> list[dict[str, str]]:
    """The commands the bot's chat offers (an empty list removes them)."""
    bot.commands = clean_commands(commands)
    bot.save(update_fields=["commands"])
    return bot.commands


# --- Webhooks (stored; delivery comes with the Celery task) -------------------------------------
@transaction.atomic
def set_webhook(
    *,
    bot: Bot,
    url: str,
    secret_token: str = "",
    max_connections: int = 40,
    allowed_updates: list[str] | None = None,
    drop_pending_updates: bool = False,
) -> None:
    bot.webhook_url = url
    bot.webhook_secret = secret_token
    bot.webhook_max_connections = max_connections
    bot.webhook_last_error_date = None
    bot.webhook_last_error_message = ""
    fields = [
        "webhook_url",
        "webhook_secret",
        "webhook_max_connections",
        "webhook_last_error_date",
        "webhook_last_error_message",
    ]
    if allowed_updates is not None:
        bot.allowed_updates = allowed_updates
        fields.append("allowed_updates")
    bot.save(update_fields=fields)
    if drop_pending_updates:
        bot.updates.all().delete()


@transaction.atomic
def delete_webhook(*, bot: Bot, drop_pending_updates: bool = False) -> None:
    bot.webhook_url = ""
    bot.webhook_secret = ""
    bot.save(update_fields=["webhook_url", "webhook_secret"])
    if drop_pending_updates:
        bot.updates.all().delete()


# --- Updates -------------------------------------------------------------------------------------
def group_for(bot_id: int) -> str:
    """The channel-layer group a long-polling request of this bot waits on."""
    return f"bot.{bot_id}"


def wants(bot: Bot, kind: str) -> bool:
    if bot.allowed_updates:
        return kind in bot.allowed_updates
    return kind not in ON_REQUEST_ONLY


def record_update(*, bot: Bot, kind: str, source: str, payload: dict) -> Update | None:
    """Store one update for the bot (once per source) and wake its long-polling requests."""
    with transaction.atomic():
        cursor = UpdateCursor.objects.select_for_update().get(bot_id=bot.pk)
        if Update.objects.filter(bot_id=bot.pk, source=source).exists():
            return None
        update_id = cursor.last_update_id + 1
        UpdateCursor.objects.filter(pk=cursor.pk).update(last_update_id=update_id)
        update = Update.objects.create(
            bot_id=bot.pk, update_id=update_id, kind=kind, source=source, payload=payload
        )
        transaction.on_commit(lambda: wake(bot.pk))
    return update


def wake(bot_id: int) -> None:
    """Tell this bot's waiting getUpdates requests (on any process) that an update is stored."""
    try:
        async_to_sync(get_channel_layer().group_send)(group_for(bot_id), {"type": "bot.update"})
    except Exception:
        # The update is stored: a poller that missed the wake-up finds it on its next call.
        log.exception("bots: could not wake the pollers of bot %s", bot_id)


def _hears(bot: Bot, message: Message) -> bool:
    """Whether a bot in this chat receives this message (privacy mode in groups)."""
    chat = message.chat
    if chat.kind == Chat.Kind.DIRECT:
        return True
    if not bot.privacy_mode or chat.kind == Chat.Kind.CHANNEL:
        return True
    text = message.text or ""
    username = bot.user.username.lower()
    if text.startswith("/"):
        first = text.split(maxsplit=1)[0]
        return "@" not in first or first.lower().endswith("@" + username)
    if f"@{username}" in text.lower():
        return True
    return message.reply_to is not None and message.reply_to.sender_id == bot.pk


def message_sent(message_id: int) -> None:
    """messaging's hook: a message was stored; each bot in its chat that hears it gets an update."""
    message = (
        Message.objects.select_related("chat", "sender", "reply_to", "reply_to__sender")
        .filter(pk=message_id, kind=Message.Kind.TEXT, sender__isnull=False)
        .first()
    )
    if message is None or Bot.objects.filter(pk=message.sender_id).exists():
        return  # system lines, and bots do not hear bots
    seats = Membership.objects.active().filter(chat_id=message.chat_id).values("user_id")
    bots = Bot.objects.filter(pk__in=seats, token_revoked_at=None, user__is_active=True)
    kind = "channel_post" if message.chat.kind == Chat.Kind.CHANNEL else "message"
    for bot in bots.select_related("user"):
        if not wants(bot, kind) or not _hears(bot, message):
            continue
        record_update(
            bot=bot,
            kind=kind,
            source=f"message:{message.pk}",
            payload=objects.message(message, bot=bot),
        )


def _fresh(bot: Bot):
    return bot.updates.filter(created_at__gte=timezone.now() - UPDATE_RETENTION)


@transaction.atomic
def confirm_updates(*, bot: Bot, offset: int | None, allowed_updates: list[str] | None) -> None:
    """getUpdates' side effects: forget what `offset` confirms, remember `allowed_updates`."""
    if allowed_updates is not None:
        bot.allowed_updates = allowed_updates
        bot.save(update_fields=["allowed_updates"])
    if offset is None or offset == 0:
        return
    if offset > 0:
        bot.updates.filter(update_id__lt=offset).delete()
        return
    # A negative offset keeps only the last -offset updates.
    keep = list(bot.updates.order_by("-update_id").values_list("update_id", flat=True)[:-offset])
    if keep:
        bot.updates.filter(update_id__lt=min(keep)).delete()


def pending_updates(*, bot: Bot, limit: int = 100) -> list[dict]:
    """The updates the bot has not confirmed, oldest first, as Telegram Update objects."""
    return [update.as_telegram() for update in _fresh(bot).order_by("update_id")[:limit]]


def pending_update_count(bot: Bot) -> int:
    return _fresh(bot).count()


def prune_updates() -> int:
    """Forget updates older than a day, as Telegram does."""
    deleted, _rows = Update.objects.filter(
        created_at__lt=timezone.now() - UPDATE_RETENTION
    ).delete()
    return deleted
