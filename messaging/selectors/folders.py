"""Chat folders as tabs over the chat list: which chats a folder shows, and its unread count.

Everything is computed from the inbox rows already loaded for the list, so a page with any number
of folders costs the same few queries: the inbox (two), the folders and their chosen chats.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from accounts.models import User
from messaging.models import Chat, ChatFolder, Membership

DIRECT_KINDS = {Chat.Kind.DIRECT, Chat.Kind.SAVED}
GROUP_KINDS = {Chat.Kind.GROUP, Chat.Kind.FAMILY}
CHANNEL_KINDS = {Chat.Kind.CHANNEL, Chat.Kind.SERVICE}


def folders_of(user: User) -> list[ChatFolder]:
    """The member's folders in their order, each with `chosen`: the ids of its chosen chats."""
    folders = list(ChatFolder.objects.filter(user=user).order_by("position", "pk"))
    chosen: dict[int, set[int]] = defaultdict(set)
    through = ChatFolder.chats.through.objects.filter(chatfolder__user=user)
    for folder_id, chat_id in through.values_list("chatfolder_id", "chat_id"):
        chosen[folder_id].add(chat_id)
    for folder in folders:
        folder.chosen = chosen[folder.pk]
    return folders


def folder_for(user: User, folder_id: int) -> ChatFolder:
    """One of the member's own folders; 404 for anyone else's."""
    return get_object_or_404(ChatFolder, pk=folder_id, user=user)


def has_rules_for_kinds(folder: ChatFolder) -> bool:
    return folder.include_direct or folder.include_groups or folder.include_channels


def shows(folder: ChatFolder, row: Membership) -> bool:
    """Whether an inbox row belongs in the folder.

    A chat is in when it was chosen or its kind is included; a folder with neither chats nor kinds
    takes every chat (so "unread only" alone makes an "Unread" tab). Then the filters apply.
    """
    chosen = getattr(folder, "chosen", None)
    if chosen is None:
        chosen = set(folder.chats.values_list("pk", flat=True))
        folder.chosen = chosen
    kind = row.chat.kind
    if not chosen and not has_rules_for_kinds(folder):
        included = True
    else:
        included = (
            row.chat_id in chosen
            or (folder.include_direct and kind in DIRECT_KINDS)
            or (folder.include_groups and kind in GROUP_KINDS)
            or (folder.include_channels and kind in CHANNEL_KINDS)
        )
    if not included:
        return False
    if folder.unread_only and not row.unread:
        return False
    return not (folder.exclude_muted and row.muted)


def rows_in(folder: ChatFolder, rows: list[Membership]) -> list[Membership]:
    return [row for row in rows if shows(folder, row)]


def unread_chats(rows: list[Membership]) -> int:
    """How many chats have something new (muted ones do not call for attention)."""
    return sum(1 for row in rows if row.unread and not row.muted)


@dataclass
class Tab:
    folder: ChatFolder | None
    unread: int
    selected: bool


def tabs(rows: list[Membership], folders: list[ChatFolder], selected: ChatFolder | None):
    """'All' and every folder, with how many of their chats are unread."""
    result = [Tab(folder=None, unread=unread_chats(rows), selected=selected is None)]
    for folder in folders:
        result.append(
            Tab(
                folder=folder,
                unread=unread_chats(rows_in(folder, rows)),
                selected=selected is not None and folder.pk == selected.pk,
            )
        )
    return result
