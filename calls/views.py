"""HTTP doors of calls: the Calls page, and the JSON the call screen uses to ring, join, leave."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as accounts_selectors
from accounts.models import User
from calls import events, selectors, services, turn
from calls.models import Call, Participant
from messaging import selectors as messaging_selectors


def _snapshot(call: Call) -> dict:
    call = selectors.call_for_snapshot(call.pk)
    return events.snapshot(call, settings.CALL_MAX_PARTICIPANTS)


def _answer(call: Call, user: User, *, with_ice: bool = False) -> JsonResponse:
    body: dict = {"call": _snapshot(call)}
    if with_ice:
        body["ice"] = turn.ice_config(user_id=user.pk)
    return JsonResponse(body)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def start(request):
    """Ring a chat (`chat`) or a member (`member`); join the chat's call if one is on."""
    video = request.POST.get("video") in ("1", "true", "on")
    session = request.POST.get("session", "")
    chat_id, member_id = _int(request.POST.get("chat")), _int(request.POST.get("member"))
    if chat_id is not None:
        chat = messaging_selectors.chat_for(request.user, chat_id)
        call = services.start_call(caller=request.user, chat=chat, video=video, session=session)
    elif member_id is not None:
        person = accounts_selectors.member_for(request.user, member_id)
        call = services.call_member(
            caller=request.user, person=person, video=video, session=session
        )
    else:
        raise Http404
    return _answer(call, request.user, with_ice=True)


@login_required
@require_POST
def join(request, call_id: int):
    call = selectors.call_for(request.user, call_id)
    call = services.join_call(user=request.user, call=call, session=request.POST.get("session", ""))
    return _answer(call, request.user, with_ice=True)


@login_required
@require_POST
def decline(request, call_id: int):
    call = selectors.call_for(request.user, call_id)
    return _answer(services.decline_call(user=request.user, call=call), request.user)


@login_required
@require_POST
def leave(request, call_id: int):
    call = selectors.call_for(request.user, call_id)
    call = services.leave_call(
        user=request.user, call=call, session=request.POST.get("session", "")
    )
    return _answer(call, request.user)


@login_required
@require_GET
def ice(request, call_id: int):
    """Fresh ICE servers for a call the member is in (a long call outlives its credential)."""
    call = selectors.call_for(request.user, call_id)
    if not call.participants.filter(user=request.user, state=Participant.State.JOINED).exists():
        raise Http404
    return JsonResponse({"ice": turn.ice_config(user_id=request.user.pk)})


@login_required
@require_GET
def live(request):
    """The calls going on that concern the member: what a tab shows after (re)connecting."""
    services.expire_stale_calls()
    calls = selectors.live_calls_for(request.user)
    return JsonResponse(
        {"calls": [events.snapshot(call, settings.CALL_MAX_PARTICIPANTS) for call in calls]}
    )


# --- The Calls page ------------------------------------------------------------------------------
@dataclass
class HistoryRow:
    call: Call
    title: str
    person: User | None
    icon: str
    label: str
    missed: bool
    duration: str


def _row(call: Call, user: User) -> HistoryRow:
    people = list(call.participants.all())
    mine = next((p for p in people if p.user_id == user.pk), None)
    outgoing = call.created_by_id == user.pk
    other = None if call.is_group else next((p.user for p in people if p.user_id != user.pk), None)
    answered_by_me = mine is not None and mine.joined_at is not None
    missed = not outgoing and not answered_by_me and call.outcome != Call.Outcome.DECLINED
    if call.state != Call.State.ENDED:
        icon, label = "phone", _("Going on now")
    elif missed:
        icon, label = "phone-missed", _("Missed")
    elif call.outcome == Call.Outcome.DECLINED:
        icon, label = "phone-off", _("Declined")
    elif call.outcome == Call.Outcome.BUSY:
        icon, label = "phone-off", _("Busy")
    elif outgoing and call.outcome in (Call.Outcome.CANCELLED, Call.Outcome.MISSED):
        icon, label = "phone-outgoing", _("No answer")
    elif outgoing:
        icon, label = "phone-outgoing", _("Outgoing")
    else:
        icon, label = "phone-incoming", _("Incoming")
    minutes, seconds = divmod(call.duration_seconds, 60)
    duration = f"{minutes}:{seconds:02d}" if call.answered_at and answered_by_me else ""
    title = call.chat.title if call.is_group else (other.name if other else _("Deleted member"))
    return HistoryRow(call, title, other, icon, label, missed, duration)


@login_required
def index(request):
    rows = [_row(call, request.user) for call in selectors.history_for(request.user)]
    groups = (
        messaging_selectors.chats_for(request.user)
        .filter(kind__in=services.GROUP_KINDS)
        .order_by("-last_activity_at")
    )
    people = (
        accounts_selectors.members(request.user)
        .exclude(pk=request.user.pk)
        .order_by("display_name")
    )
    return render(
        request,
        "calls/index.html",
        {"rows": rows, "groups": list(groups[:50]), "people": list(people[:200])},
    )
