"""Chat folders: the settings page that makes, renames, orders, fills and deletes them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import Refused
from messaging import selectors
from messaging.models import ChatFolder
from messaging.selectors import folders as folder_selectors
from messaging.services import folders as folder_services
from messaging.views.common import ids


def _rules(request) -> dict[str, bool]:
    return {rule: request.POST.get(rule) == "on" for rule in folder_services.RULES}


@login_required
def folders(request):
    """The member's folders in order, with a form for a new one."""
    if request.method == "POST":
        try:
            folder = folder_services.create_folder(
                user=request.user,
                name=request.POST.get("name", ""),
                chat_ids=ids(request.POST.getlist("chats")),
                **_rules(request),
            )
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            return redirect("messaging:folder", folder.pk)
    return render(
        request,
        "messaging/folders.html",
        {"folders": folder_selectors.folders_of(request.user), "rules": _rule_fields()},
    )


def _rule_fields():
    return [(rule, ChatFolder._meta.get_field(rule).verbose_name) for rule in folder_services.RULES]


@login_required
def folder(request, folder_id: int):
    """One folder: its name, its rules, the chats chosen for it."""
    found = folder_selectors.folder_for(request.user, folder_id)
    if request.method == "POST":
        try:
            folder_services.update_folder(
                user=request.user,
                folder=found,
                name=request.POST.get("name", ""),
                chat_ids=ids(request.POST.getlist("chats")),
                **_rules(request),
            )
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            return redirect("messaging:folders")
    chosen = set(found.chats.values_list("pk", flat=True))
    return render(
        request,
        "messaging/folder.html",
        {
            "folder": found,
            "rows": selectors.inbox(request.user),
            "chosen": chosen,
            "rules": [(name, label, getattr(found, name)) for name, label in _rule_fields()],
        },
    )


@login_required
@require_POST
def move_folder(request, folder_id: int):
    found = folder_selectors.folder_for(request.user, folder_id)
    folder_services.move_folder(user=request.user, folder=found, up=request.POST.get("to") == "up")
    return redirect("messaging:folders")


@login_required
@require_POST
def delete_folder(request, folder_id: int):
    found = folder_selectors.folder_for(request.user, folder_id)
    folder_services.delete_folder(user=request.user, folder=found)
    return redirect("messaging:folders")
