"""Every write of messaging: one function per use case, permission first, events after commit.

A write that is not allowed raises `core.errors.Refused` (403, or the status it names), malformed
input `core.errors.Invalid` (400); views let both through to `core.middleware.RefusalMiddleware`.

chats.py      making chats: family, saved, direct, groups and channels, renaming
members.py    seats and roles: adding, removing, leaving, joining, admins
messages.py   sending, forwarding, editing, deleting, reactions, pins, typing
reading.py    my own side: read and delivered marks, drafts, mute, pin, archive
publishing.py a message's place in the chat and the events that tell the members
"""

from __future__ import annotations

from core import realtime
from messaging.services.chats import (
    create_group,
    direct_chat,
    family_chat,
    join_family_chat,
    saved_chat,
    update_chat,
)
from messaging.services.members import (
    active_membership,
    add_members,
    admin_membership,
    default_role,
    get_membership,
    join_chat,
    leave_chat,
    may_add,
    remove_member,
    seat,
    set_role,
)
from messaging.services.messages import (
    MAX_TEXT,
    check_may_post,
    delete_message,
    edit_message,
    forward_message,
    send_message,
    set_pinned,
    toggle_reaction,
    typing,
)
from messaging.services.publishing import (
    chat_changed,
    publish_message,
    system_message,
)
from messaging.services.reading import (
    MUTE_CHOICES,
    mark_delivered,
    mark_read,
    save_draft,
    set_archived,
    set_chat_pinned,
    set_muted,
)


def register_realtime() -> None:
    realtime.register_inbound("chat.typing", typing)


__all__ = [
    "MAX_TEXT",
    "MUTE_CHOICES",
    "active_membership",
    "add_members",
    "admin_membership",
    "chat_changed",
    "check_may_post",
    "create_group",
    "default_role",
    "delete_message",
    "direct_chat",
    "edit_message",
    "family_chat",
    "forward_message",
    "get_membership",
    "join_chat",
    "join_family_chat",
    "leave_chat",
    "mark_delivered",
    "mark_read",
    "may_add",
    "publish_message",
    "register_realtime",
    "remove_member",
    "save_draft",
    "saved_chat",
    "seat",
    "send_message",
    "set_archived",
    "set_chat_pinned",
    "set_muted",
    "set_pinned",
    "set_role",
    "system_message",
    "toggle_reaction",
    "typing",
    "update_chat",
]
