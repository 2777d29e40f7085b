"""Groups and channels: making them, their info page, members and roles, invite links, the
channel directory."""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as accounts_selectors
from core.errors import Refused
from core.qr import qr_data_uri
from messaging import selectors, services
from messaging.models import Chat, Membership
from messaging.selectors import manage as manage_selectors
from messaging.services import manage as manage_services
from messaging.views.common import ids, safe_next


def _chosen_people(request) -> list:
    return list(
        accounts_selectors.members(request.user).filter(pk__in=ids(request.POST.getlist("members")))
    )


@login_required
def new_chat(request, kind: str):
    """A new group or channel: a name, a description, and people from the family."""
    if kind not in (Chat.Kind.GROUP, Chat.Kind.CHANNEL):
        raise Http404
    community = None
    community_id = request.GET.get("community") or request.POST.get("community")
    if community_id:
        try:
            community = manage_selectors.community_for(request.user, int(community_id))
        except ValueError as exc:
            raise Http404 from exc
    title = request.POST.get("title", "")
    description = request.POST.get("description", "")
    if request.method == "POST":
        try:
            if community is not None:
                from messaging.services import communities

                chat = communities.create_community_chat(
                    by=request.user,
                    community=community,
                    title=title,
                    kind=kind,
                    description=description,
                )
                services.add_members(by=request.user, chat=chat, people=_chosen_people(request))
            else:
                chat = services.create_group(
                    by=request.user,
                    title=title,
                    description=description,
                    members=_chosen_people(request),
                    kind=kind,
                )
        except Refused as refused:
            if title.strip():
                raise
            # No name yet: the form again, with what was chosen, and why.
            messages.error(request, refused.message)
        else:
            return redirect(chat)
    query = request.GET.get("q", "")
    context = {
        "kind": kind,
        "community": community,
        "title": title,
        "description": description,
        "query": query,
        "candidates": manage_selectors.candidates(request.user, query=query),
        "chosen": set(ids(request.POST.getlist("members"))),
    }
    return render(request, "messaging/new_chat.html", context)


def _invite_url(request, chat: Chat) -> str:
    return request.build_absolute_uri(reverse("messaging:join", args=[chat.invite_code]))


@login_required
@require_GET
def chat_info(request, chat_id: int):
    """Everything about a chat: title, description, photo, members and roles, the invite link."""
    membership = selectors.membership_for(request.user, chat_id)
    chat = membership.chat
    members = [] if chat.kind == Chat.Kind.SAVED else manage_selectors.members_with_roles(chat)
    context = {
        "chat": chat,
        "membership": membership,
        "peer": selectors.peer_of(membership),
        "members": members,
        "is_admin": chat.has_roles and membership.is_admin,
        "is_owner": chat.has_roles and membership.role == Membership.Role.OWNER,
    }
    if context["is_admin"] and chat.invite_code:
        url = _invite_url(request, chat)
        context.update(invite_url=url, invite_qr=qr_data_uri(url))
    return render(request, "messaging/chat_info.html", context)


def _admin_chat(request, chat_id: int) -> Chat:
    return selectors.membership_for(request.user, chat_id).chat


@login_required
@require_POST
def edit_chat(request, chat_id: int):
    chat = _admin_chat(request, chat_id)
    services.update_chat(
        by=request.user,
        chat=chat,
        title=request.POST.get("title", ""),
        description=request.POST.get("description", ""),
    )
    messages.success(request, _("Saved."))
    return redirect("messaging:chat_info", chat.pk)


@login_required
@require_POST
def chat_photo(request, chat_id: int):
    chat = _admin_chat(request, chat_id)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo."))
        return redirect("messaging:chat_info", chat.pk)
    manage_services.set_chat_photo(by=request.user, chat=chat, upload=upload)
    return redirect("messaging:chat_info", chat.pk)


@login_required
def add_members(request, chat_id: int):
    """An admin chooses people of the family to add."""
    chat = _admin_chat(request, chat_id)
    if request.method == "POST":
        added = services.add_members(by=request.user, chat=chat, people=_chosen_people(request))
        if added:
            messages.success(
                request, _("Added: %(names)s") % {"names": ", ".join(p.name for p in added)}
            )
        return redirect("messaging:chat_info", chat.pk)
    services.admin_membership(request.user, chat)
    query = request.GET.get("q", "")
    return render(
        request,
        "messaging/add_members.html",
        {
            "chat": chat,
            "query": query,
            "candidates": manage_selectors.candidates(request.user, chat=chat, query=query),
            "chosen": set(),
        },
    )


def _person_in(chat: Chat, member_id: int):
    membership = Membership.objects.active().filter(chat=chat, user_id=member_id).first()
    if membership is None:
        raise Http404
    return membership.user


@login_required
@require_POST
def remove_member(request, chat_id: int, member_id: int):
    chat = _admin_chat(request, chat_id)
    person = _person_in(chat, member_id)
    services.remove_member(by=request.user, chat=chat, person=person)
    return redirect("messaging:chat_info", chat.pk)


@login_required
@require_POST
def set_admin(request, chat_id: int, member_id: int):
    chat = _admin_chat(request, chat_id)
    person = _person_in(chat, member_id)
    services.set_role(
        by=request.user, chat=chat, person=person, admin=request.POST.get("admin") == "1"
    )
    return redirect("messaging:chat_info", chat.pk)


@login_required
@require_POST
def reset_invite(request, chat_id: int):
    chat = _admin_chat(request, chat_id)
    manage_services.reset_invite(by=request.user, chat=chat)
    messages.success(request, _("The old link no longer works."))
    return redirect("messaging:chat_info", chat.pk)


@login_required
@require_POST
def leave(request, chat_id: int):
    chat = selectors.chat_for(request.user, chat_id)
    services.leave_chat(user=request.user, chat=chat)
    return redirect("messaging:index")


@login_required
def join(request, code: str):
    """The page an invite link opens: what the chat is, and a button to join it."""
    chat = manage_selectors.chat_by_invite(code)
    if Membership.objects.active().filter(chat=chat, user=request.user).exists():
        return redirect(chat)
    if request.method == "POST":
        services.join_chat(user=request.user, chat=chat)
        return redirect(chat)
    count = Membership.objects.active().filter(chat=chat).count()
    return render(request, "messaging/join.html", {"chat": chat, "member_count": count})


@login_required
@require_GET
def directory(request):
    """Channels open to the whole family, and the family's communities."""
    channels = list(selectors.listed_channels(request.user))
    counts = manage_selectors.subscriber_counts(channels)
    for channel in channels:
        channel.subscriber_count = counts.get(channel.pk, 0)
    return render(
        request,
        "messaging/directory.html",
        {"channels": channels, "communities": manage_selectors.communities(request.user)},
    )


@login_required
@require_POST
def subscribe(request, chat_id: int):
    chat = manage_selectors.listed_channel_for(request.user, chat_id)
    if request.POST.get("subscribe") == "0":
        with suppress(Http404):  # not subscribed: nothing to undo
            services.leave_chat(user=request.user, chat=chat)
    else:
        services.join_chat(user=request.user, chat=chat)
    return redirect(safe_next(request, "messaging:directory"))
