"""Communities: make one, look at it, join or leave, open chats inside it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.errors import Refused
from messaging import selectors
from messaging.selectors import manage as manage_selectors
from messaging.services import communities


@login_required
def new_community(request):
    title = request.POST.get("title", "")
    description = request.POST.get("description", "")
    if request.method == "POST":
        try:
            community = communities.create_community(
                by=request.user, title=title, description=description
            )
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            return redirect(community)
    return render(
        request, "messaging/new_community.html", {"title": title, "description": description}
    )


@login_required
@require_GET
def community(request, community_id: int):
    """The community: what it is, and (for its members) its groups and channels."""
    found = manage_selectors.community_for(request.user, community_id)
    context = {"community": found, "chats": [], "attachable": []}
    if found.joined:
        context["chats"] = manage_selectors.community_chats(request.user, found)
    if found.is_admin:
        context["attachable"] = manage_selectors.attachable_chats(request.user, found)
    return render(request, "messaging/community.html", context)


@login_required
@require_POST
def join_community(request, community_id: int):
    found = manage_selectors.community_for(request.user, community_id)
    if request.POST.get("join") == "0":
        communities.leave_community(user=request.user, community=found)
        return redirect("messaging:directory")
    communities.join_community(user=request.user, community=found)
    return redirect(found)


@login_required
@require_POST
def attach_chat(request, community_id: int):
    """A community admin brings one of their groups or channels into the community."""
    found = manage_selectors.community_for(request.user, community_id)
    try:
        chat_id = int(request.POST.get("chat", ""))
    except ValueError:
        chat_id = 0
    chat = selectors.chat_for(request.user, chat_id)
    communities.attach_chat(by=request.user, community=found, chat=chat)
    return redirect(found)


@login_required
@require_POST
def join_community_chat(request, community_id: int, chat_id: int):
    found = manage_selectors.community_for(request.user, community_id)
    chat = found.chats.filter(pk=chat_id).first()
    if chat is None:
        raise Http404
    communities.join_community_chat(user=request.user, community=found, chat=chat)
    return redirect(chat)
