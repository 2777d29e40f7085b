"""Chat folders: tabs over the chat list, made of chosen chats and rules."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from core import realtime
from core.errors import Invalid, Refused
from messaging import events, selectors
from messaging.models import ChatFolder

MAX_FOLDERS = 10
RULES = ("include_direct", "include_groups", "include_channels", "unread_only", "exclude_muted")


def _changed(user: User) -> None:
    realtime.publish([user.pk], events.folders_changed())


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(_("Give the folder a name."))
    return name[:40]


def _set_chats(user: User, folder: ChatFolder, chat_ids: Iterable[int]) -> None:
    # Only chats the member is in now: an id of someone else's chat is quietly left out.
    wanted = {int(pk) for pk in chat_ids}
    folder.chats.set(selectors.chats_for(user).filter(pk__in=wanted))


@transaction.atomic
def create_folder(
    *, user: User, name: str, chat_ids: Iterable[int] = (), **rules: bool
) -> ChatFolder:
    """A new tab at the end of the member's folders."""
    if ChatFolder.objects.filter(user=user).count() >= MAX_FOLDERS:
        raise Refused(_("At most %(n)d folders.") % {"n": MAX_FOLDERS})
    last = ChatFolder.objects.filter(user=user).aggregate(last=Max("position"))["last"]
    folder = ChatFolder.objects.create(
        user=user,
        name=_clean_name(name),
        position=0 if last is None else last + 1,
        **{rule: bool(rules.get(rule)) for rule in RULES},
    )
    _set_chats(user, folder, chat_ids)
    _changed(user)
    return folder


@transaction.atomic
def update_folder(
    *, user: User, folder: ChatFolder, name: str, chat_ids: Iterable[int], **rules: bool
) -> ChatFolder:
    """Rename a folder, choose its chats and rules anew."""
    if folder.user_id != user.pk:
        raise Refused(_("This is not your folder."))
    folder.name = _clean_name(name)
    for rule in RULES:
        setattr(folder, rule, bool(rules.get(rule)))
    folder.save()
    _set_chats(user, folder, chat_ids)
    _changed(user)
    return folder


@transaction.atomic
def rename_folder(*, user: User, folder: ChatFolder, name: str) -> ChatFolder:
    if folder.user_id != user.pk:
        raise Refused(_("This is not your folder."))
    folder.name = _clean_name(name)
    folder.save(update_fields=["name"])
    _changed(user)
    return folder


@transaction.atomic
def move_folder(*, user: User, folder: ChatFolder, up: bool) -> None:
    """Swap a folder with its neighbour (positions are renumbered 0..n-1 on the way)."""
    folders = list(
        ChatFolder.objects.select_for_update().filter(user=user).order_by("position", "pk")
    )
    index = next((i for i, f in enumerate(folders) if f.pk == folder.pk), None)
    if index is None:
        raise Refused(_("This is not your folder."))
    other = index - 1 if up else index + 1
    if 0 <= other < len(folders):
        folders[index], folders[other] = folders[other], folders[index]
    for position, item in enumerate(folders):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    _changed(user)


@transaction.atomic
def reorder_folders(*, user: User, folder_ids: list[int]) -> None:
    """Put the member's folders in this order; folders not named keep their place after them."""
    folders = {f.pk: f for f in ChatFolder.objects.filter(user=user)}
    ordered = [folders.pop(pk) for pk in folder_ids if pk in folders]
    ordered += sorted(folders.values(), key=lambda f: (f.position, f.pk))
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    _changed(user)


@transaction.atomic
def delete_folder(*, user: User, folder: ChatFolder) -> None:
    """The tab goes; its chats stay where they are."""
    if folder.user_id != user.pk:
        raise Refused(_("This is not your folder."))
    folder.delete()
    _changed(user)
