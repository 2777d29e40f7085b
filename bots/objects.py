"""Toricy's rows as Telegram Bot API objects, seen by one bot.

Ids are Toricy's own: a user's id, a message's id; a direct chat's id is the other member's user
id (as in Telegram), a group's or channel's is minus the chat's id. Offsets of entities count
UTF-16 code units, as Telegram's do.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from core.text import MENTION, URL
from messaging.models import Chat, Membership, Message

if TYPE_CHECKING:
    from accounts.models import User
    from bots.models import Bot

COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])")

Json = dict[str, Any]


def is_bot(user: User) -> bool:
    return hasattr(user, "bot")


def user(person: User) -> Json:
    robot = is_bot(person)
    shown: Json = {
        "id": person.pk,
        "is_bot": robot,
        "first_name": person.name,
        "username": person.username,
    }
    if person.language and not robot:
        shown["language_code"] = person.language
    return shown


def me(bot: Bot) -> Json:
    """getMe: the bot's own User, with what it may do."""
    return {
        **user(bot.user),
        "is_bot": True,
        "can_join_groups": bot.can_join_groups,
        "can_read_all_group_messages": not bot.privacy_mode,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def peer(chat: Chat, bot: Bot) -> User | None:
    """The member on the other side of a bot's direct chat."""
    seat = (
        Membership.objects.filter(chat=chat).exclude(user_id=bot.pk).select_related("user").first()
    )
    return seat.user if seat else None


def chat_id(chat: Chat, bot: Bot) -> int:
    if chat.kind == Chat.Kind.DIRECT:
        other = peer(chat, bot)
        return other.pk if other else -chat.pk
    return -chat.pk


def chat(chat: Chat, bot: Bot) -> Json:
    if chat.kind == Chat.Kind.DIRECT:
        other = peer(chat, bot)
        if other is not None:
            return {
                "id": other.pk,
                "type": "private",
                "first_name": other.name,
                "username": other.username,
            }
    kind = "channel" if chat.kind == Chat.Kind.CHANNEL else "group"
    return {"id": -chat.pk, "type": kind, "title": chat.title or str(chat)}


def chat_full(room: Chat, bot: Bot) -> Json:
    """getChat's ChatFullInfo: the Chat plus the fields libraries require of it."""
    shown = {
        **chat(room, bot),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }
    if shown["type"] == "private":
        other = peer(room, bot)
        if other is not None and other.bio:
            shown["bio"] = other.bio
    elif room.description:
        shown["description"] = room.description
    return shown


def chat_member(seat: Membership) -> Json:
    person = user(seat.user)
    if seat.left_at is not None:
        return {"status": "left", "user": person}
    if seat.role == Membership.Role.OWNER and seat.chat.has_roles:
        return {"status": "creator", "user": person, "is_anonymous": False}
    if seat.role == Membership.Role.ADMIN:
        rights = dict.fromkeys(
            (
                "can_manage_chat",
                "can_delete_messages",
                "can_restrict_members",
                "can_change_info",
                "can_invite_users",
            ),
            True,
        )
        rights |= dict.fromkeys(
            (
                "can_be_edited",
                "is_anonymous",
                "can_manage_video_chats",
                "can_promote_members",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
                "can_send_welcome_messages",
            ),
            False,
        )
        return {"status": "administrator", "user": person, **rights}
    return {"status": "member", "user": person}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[Json]:
    """bot_command, mention and url entities of plain text, with UTF-16 offsets."""
    found: list[tuple[int, int, str]] = []
    for kind, pattern in (("bot_command", COMMAND), ("url", URL)):
        found += [(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    found += [(m.start(), m.end(), "mention") for m in MENTION.finditer(text)]
    found.sort()
    shown: list[Json] = []
    end_of_last = 0
    for start, end, kind in found:
        if start < end_of_last:
            continue  # a mention inside a URL, say: the first one wins
        offset = utf16_len(text[:start])
        shown.append({"type": kind, "offset": offset, "length": utf16_len(text[start:end])})
        end_of_last = end
    return shown


def message(row: Message, *, bot: Bot, with_reply: bool = True) -> Json:
    shown: Json = {
        "message_id": row.pk,
        "date": int(row.created_at.timestamp()),
        "chat": chat(row.chat, bot),
    }
    if row.sender is not None:
        shown["from"] = user(row.sender)
    if row.edited_at is not None:
        shown["edit_date"] = int(row.edited_at.timestamp())
    if row.text:
        shown["text"] = row.text
        found = entities(row.text)
        if found:
            shown["entities"] = found
    if row.forwarded_from_name:
        shown["forward_origin"] = {
            "type": "hidden_user",
            "sender_user_name": row.forwarded_from_name,
            "date": shown["date"],
        }
    if with_reply and row.reply_to is not None and row.reply_to.deleted_at is None:
        shown["reply_to_message"] = message(row.reply_to, bot=bot, with_reply=False)
    return shown
