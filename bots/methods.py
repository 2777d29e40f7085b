"""The Bot API's methods, in one table: name -> parameters -> function.

Each method is declared once here with its parameters (`bots.params.Param`); the view parses
with the same declarations, and an OpenAPI description can be generated from them. A function
gets the calling bot and Python values, and returns the `result` of Telegram's envelope (or
raises `ApiError`, or lets a service's `Refused` through to the view's one exception handler).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from accounts import selectors as accounts_selectors
from bots import formatting, objects, services
from bots.errors import ApiError, bad_request, forbidden
from bots.models import Bot
from bots.params import Param
from core.errors import Refused
from messaging import services as messaging
from messaging.models import Chat, Membership, Message

MAX_TEXT = 4096
MAX_TIMEOUT = 50
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


@dataclass(frozen=True)
class Method:
    name: str
    function: Callable[..., Any]
    params: tuple[Param, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class LongPoll:
    """getUpdates found nothing yet: the view waits (asynchronously) for up to `timeout` s."""

    bot: Bot
    limit: int
    timeout: int


# --- Shared look-ups -----------------------------------------------------------------------------
def seat_in(bot: Bot, chat_id: int | str) -> Membership:
    """The bot's own place in the chat Telegram's `chat_id` names; 400 'chat not found' else.

    A chat the bot is not in is 'not found' whether or not it exists (404 would read as a bad
    token to python-telegram-bot, and Telegram answers 400 too).
    """
    seats = Membership.objects.active().select_related("chat").filter(user_id=bot.pk)
    seat = None
    if isinstance(chat_id, int) and chat_id > 0:
        low, high = sorted((bot.pk, chat_id))
        seat = seats.filter(chat__pair_key=f"{low}:{high}", chat__kind=Chat.Kind.DIRECT).first()
    elif isinstance(chat_id, int) and chat_id < 0:
        seat = seats.filter(chat_id=-chat_id).exclude(chat__kind=Chat.Kind.DIRECT).first()
    if seat is None:
        raise bad_request("chat not found")
    return seat


def message_in(seat: Membership, message_id: int, missing: str) -> Message:
    message = (
        Message.objects.visible_to(seat)
        .select_related("chat", "sender", "reply_to", "reply_to__sender")
        .filter(pk=message_id, deleted_at=None)
        .first()
    )
    if message is None:
        raise bad_request(missing)
    return message


def check_may_write(bot: Bot, seat: Membership) -> None:
    if seat.chat.kind != Chat.Kind.DIRECT:
        if not seat.may_post:
            raise bad_request("need administrator rights in the channel chat")
        return
    other = objects.peer(seat.chat, bot)
    if other is None or not other.is_active:
        raise forbidden("user is deactivated")
    if accounts_selectors.is_blocked_between(bot.user, other):
        raise forbidden("bot was blocked by the user")


def formatted(text: str, parse_mode: str | None) -> str:
    """What to store for a bot's text (Toricy's markup), checked as Telegram checks it."""
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        stored, plain = formatting.from_html(text)
    elif mode in ("", "none"):
        stored = plain = text
    elif mode in ("markdown", "markdownv2"):
        raise bad_request(f"parse_mode {parse_mode} is not supported yet; use HTML")
    else:
        raise bad_request("unsupported parse_mode")
    if not plain.strip():
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return stored


# --- The bot itself ------------------------------------------------------------------------------
def get_me(bot: Bot) -> dict:
    return objects.me(bot)


def log_out(bot: Bot) -> bool:
    # There is no other server to log out from: the bot's updates stay here.
    return True


def close(bot: Bot) -> bool:
    return True


# --- Updates and webhooks ------------------------------------------------------------------------
def get_updates(
    bot: Bot,
    offset: int | None = None,
    limit: int = 100,
    timeout: int = 0,
    allowed_updates: list | None = None,
):
    if bot.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    if allowed_updates is not None and not all(isinstance(k, str) for k in allowed_updates):
        raise bad_request("allowed_updates must be a list of strings")
    services.confirm_updates(bot=bot, offset=offset, allowed_updates=allowed_updates)
    if timeout > 0:
        return LongPoll(bot=bot, limit=limit, timeout=min(timeout, MAX_TIMEOUT))
    return services.pending_updates(bot=bot, limit=limit)


def _check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: invalid URL")
    if parts.scheme != "https" and not settings.BOTS_ALLOW_LOCAL_WEBHOOKS:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")


def set_webhook(
    bot: Bot,
    url: str = "",
    secret_token: str = "",
    max_connections: int = 40,
    allowed_updates: list | None = None,
    drop_pending_updates: bool = False,
    certificate: Any = None,
    ip_address: str = "",
) -> bool:
    if not url:
        services.delete_webhook(bot=bot, drop_pending_updates=drop_pending_updates)
        return True
    _check_webhook_url(url)
    if secret_token and not services.WEBHOOK_SECRET.match(secret_token):
        raise bad_request("secret token contains unallowed characters")
    services.set_webhook(
        bot=bot,
        url=url,
        secret_token=secret_token,
        max_connections=max_connections,
        allowed_updates=allowed_updates,
        drop_pending_updates=drop_pending_updates,
    )
    return True


def delete_webhook(bot: Bot, drop_pending_updates: bool = False) -> bool:
    services.delete_webhook(bot=bot, drop_pending_updates=drop_pending_updates)
    return True


def get_webhook_info(bot: Bot) -> dict:
    info: dict[str, Any] = {
        "url": bot.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": services.pending_update_count(bot),
    }
    if bot.webhook_url:
        info["max_connections"] = bot.webhook_max_connections
    if bot.allowed_updates:
        info["allowed_updates"] = bot.allowed_updates
    if bot.webhook_last_error_date:
        info["last_error_date"] = int(bot.webhook_last_error_date.timestamp())
        info["last_error_message"] = bot.webhook_last_error_message
    return info


# --- Messages ------------------------------------------------------------------------------------
def _reply_target(bot: Bot, seat: Membership, reply_parameters: dict | None, reply_to_message_id):
    wanted = reply_to_message_id
    lenient = False
    if reply_parameters is not None:
        wanted = reply_parameters.get("message_id")
        lenient = bool(reply_parameters.get("allow_sending_without_reply"))
        other_chat = reply_parameters.get("chat_id")
        if other_chat is not None and other_chat != objects.chat_id(seat.chat, bot):
            raise bad_request("replies to other chats are not supported")
    if wanted is None:
        return None
    if isinstance(wanted, bool) or not isinstance(wanted, int):
        raise bad_request("reply_parameters.message_id must be an integer")
    try:
        return message_in(seat, wanted, "message to be replied not found")
    except ApiError:
        if lenient:
            return None
        raise


def send_message(
    bot: Bot,
    chat_id: int | str,
    text: str,
    parse_mode: str | None = None,
    reply_parameters: dict | None = None,
    reply_to_message_id: int | None = None,
    **ignored: Any,
) -> dict:
    seat = seat_in(bot, chat_id)
    stored = formatted(text, parse_mode)
    check_may_write(bot, seat)
    reply_to = _reply_target(bot, seat, reply_parameters, reply_to_message_id)
    message, _created = messaging.send_message(
        sender=bot.user,
        chat=seat.chat,
        client_id=f"bot-{secrets.token_hex(12)}",
        text=stored,
        reply_to=reply_to,
    )
    message = Message.objects.select_related("chat", "sender", "reply_to").get(pk=message.pk)
    return objects.message(message, bot=bot)


def edit_message_text(
    bot: Bot,
    text: str,
    chat_id: int | str | None = None,
    message_id: int | None = None,
    inline_message_id: str | None = None,
    parse_mode: str | None = None,
    **ignored: Any,
) -> dict:
    if inline_message_id:
        raise bad_request("inline messages are not supported")
    if chat_id is None:
        raise bad_request("chat_id is empty")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    seat = seat_in(bot, chat_id)
    message = message_in(seat, message_id, "message to edit not found")
    if message.sender_id != bot.pk or message.kind != Message.Kind.TEXT or message.sticker_id:
        raise bad_request("message can't be edited")
    stored = formatted(text, parse_mode)
    if stored.strip() == message.text:
        raise bad_request(NOT_MODIFIED)
    messaging.edit_message(user=bot.user, message=message, text=stored)
    message.refresh_from_db()
    return objects.message(message, bot=bot)


def delete_message(bot: Bot, chat_id: int | str, message_id: int) -> bool:
    seat = seat_in(bot, chat_id)
    message = message_in(seat, message_id, "message to delete not found")
    try:
        messaging.delete_message(user=bot.user, message=message, for_everyone=True)
    except Refused:
        raise bad_request("message can't be deleted") from None
    return True


def send_chat_action(bot: Bot, chat_id: int | str, action: str, **ignored: Any) -> bool:
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    seat = seat_in(bot, chat_id)
    check_may_write(bot, seat)
    # The chat shows "typing…" for every action, as Toricy has one indicator.
    messaging.typing(bot.user, {"chat_id": seat.chat_id})
    return True


# --- Commands ------------------------------------------------------------------------------------
def _default_scope_only(scope: dict | None, language_code: str | None) -> None:
    if scope is not None and scope.get("type", "default") != "default":
        raise bad_request("only the default scope of commands is supported")
    if language_code:
        raise bad_request("commands for one language are not supported; omit language_code")


def set_my_commands(
    bot: Bot, commands: list, scope: dict | None = None, language_code: str | None = None
) -> bool:
    _default_scope_only(scope, language_code)
    services.set_commands(bot=bot, commands=commands)
    return True


def get_my_commands(bot: Bot, scope: dict | None = None, language_code: str | None = None):
    _default_scope_only(scope, language_code)
    return bot.commands


def delete_my_commands(
    bot: Bot, scope: dict | None = None, language_code: str | None = None
) -> bool:
    _default_scope_only(scope, language_code)
    services.set_commands(bot=bot, commands=[])
    return True


# --- Chats ---------------------------------------------------------------------------------------
def get_chat(bot: Bot, chat_id: int | str) -> dict:
    return objects.chat_full(seat_in(bot, chat_id).chat, bot)


def get_chat_member(bot: Bot, chat_id: int | str, user_id: int) -> dict:
    seat = seat_in(bot, chat_id)
    member = (
        Membership.objects.select_related("user", "chat")
        .filter(chat_id=seat.chat_id, user_id=user_id)
        .first()
    )
    if member is None:
        raise bad_request("user not found")
    return objects.chat_member(member)


CHAT_ID = Param("chat_id", "chat_id", required=True)
TEXT = Param("text", required=True, empty="message text is empty")
PARSE_MODE = Param("parse_mode")
SCOPE = Param("scope", "object")
LANGUAGE = Param("language_code")

METHODS_LIST = (
    Method("getMe", get_me, summary="The bot's own User."),
    Method("logOut", log_out),
    Method("close", close),
    Method(
        "getUpdates",
        get_updates,
        (
            Param("offset", "integer"),
            Param("limit", "integer", minimum=1, maximum=100),
            Param("timeout", "integer", minimum=0),
            Param("allowed_updates", "array"),
        ),
        "Updates not confirmed yet; waits up to `timeout` seconds (at most 50) for the first.",
    ),
    Method(
        "setWebhook",
        set_webhook,
        (
            Param("url", required=False),
            Param("certificate", "file"),
            Param("ip_address"),
            Param("max_connections", "integer", minimum=1, maximum=100),
            Param("allowed_updates", "array"),
            Param("drop_pending_updates", "boolean"),
            Param("secret_token"),
        ),
        "Stores the webhook (delivery by Celery is not built yet).",
    ),
    Method("deleteWebhook", delete_webhook, (Param("drop_pending_updates", "boolean"),)),
    Method("getWebhookInfo", get_webhook_info),
    Method(
        "sendMessage",
        send_message,
        (
            CHAT_ID,
            TEXT,
            PARSE_MODE,
            Param("entities", "array"),
            Param("reply_parameters", "object"),
            Param("reply_to_message_id", "integer"),
            Param("reply_markup", "object"),
            Param("link_preview_options", "object"),
            Param("disable_notification", "boolean"),
            Param("protect_content", "boolean"),
            Param("message_thread_id", "integer"),
        ),
    ),
    Method(
        "editMessageText",
        edit_message_text,
        (
            Param("chat_id", "chat_id"),
            Param("message_id", "integer"),
            Param("inline_message_id"),
            TEXT,
            PARSE_MODE,
            Param("entities", "array"),
            Param("reply_markup", "object"),
            Param("link_preview_options", "object"),
        ),
    ),
    Method(
        "deleteMessage", delete_message, (CHAT_ID, Param("message_id", "integer", required=True))
    ),
    Method(
        "sendChatAction",
        send_chat_action,
        (CHAT_ID, Param("action", required=True), Param("message_thread_id", "integer")),
    ),
    Method(
        "setMyCommands",
        set_my_commands,
        (Param("commands", "array", required=True), SCOPE, LANGUAGE),
    ),
    Method("getMyCommands", get_my_commands, (SCOPE, LANGUAGE)),
    Method("deleteMyCommands", delete_my_commands, (SCOPE, LANGUAGE)),
    Method("getChat", get_chat, (CHAT_ID,)),
    Method(
        "getChatMember",
        get_chat_member,
        (CHAT_ID, Param("user_id", "integer", required=True)),
    ),
)

# Telegram matches method names case-insensitively.
METHODS: dict[str, Method] = {method.name.lower(): method for method in METHODS_LIST}
