"""Every write of calls: ring, join (accept), decline, leave (hang up, cancel), time out.

Permission comes first (membership in the chat, the callee's "who may call me", blocks, busy);
the call's new state goes to everyone concerned after commit, as a whole snapshot. Each call that
ends leaves one line in its chat. Signalling (offers, answers, ICE candidates) is relayed, never
stored, and only between the tabs that have joined the same live call.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as accounts_selectors
from accounts.models import User
from calls import events, selectors
from calls.models import Call, Participant
from core import realtime
from core.errors import Refused
from messaging import selectors as messaging_selectors
from messaging import services as messaging_services
from messaging.models import Chat
from notifications import services as notifications
from notifications.models import Notification

log = logging.getLogger(__name__)

CALLABLE_KINDS = (Chat.Kind.DIRECT, Chat.Kind.GROUP, Chat.Kind.FAMILY)
GROUP_KINDS = (Chat.Kind.GROUP, Chat.Kind.FAMILY)
SESSION = re.compile(r"^[A-Za-z0-9_-]{8,40}$")
MAX_CANDIDATES = 30
MAX_SDP = 48 * 1024


# --- Publishing ----------------------------------------------------------------------------------
def _audience(call: Call) -> list[int]:
    """Who hears about a call: its participants, and in a group everyone who may join."""
    ids = {p.user_id for p in call.participants.all()}
    if call.is_group:
        ids.update(messaging_selectors.member_ids(call.chat))
    return sorted(ids)


def _publish(
    call: Call,
    event: Callable[[events.CallSnapshot], events.CallChanged] = events.updated,
    ringing: list[int] | None = None,
) -> None:
    call = selectors.call_for_snapshot(call.pk)
    shot = events.snapshot(call, settings.CALL_MAX_PARTICIPANTS)
    audience = _audience(call)
    ringing_ids = set(ringing or [])
    if ringing_ids:
        realtime.publish(sorted(ringing_ids), events.ringing(shot), durable=False)
    others = [uid for uid in audience if uid not in ringing_ids]
    realtime.publish(others, event(shot), durable=False)


def _chat_line(call: Call) -> None:
    """The line the call leaves in its chat once it is over."""
    minutes, seconds = divmod(call.duration_seconds, 60)
    length = f"{minutes}:{seconds:02d}"
    if call.is_group:
        if call.outcome == Call.Outcome.ANSWERED:
            text = _("Group call, %(length)s") % {"length": length}
        else:
            text = _("Group call: nobody joined")
    elif call.outcome == Call.Outcome.ANSWERED:
        if call.video:
            text = _("Video call, %(length)s") % {"length": length}
        else:
            text = _("Audio call, %(length)s") % {"length": length}
    elif call.outcome == Call.Outcome.MISSED:
        text = _("Missed video call") if call.video else _("Missed audio call")
    elif call.outcome == Call.Outcome.DECLINED:
        text = _("Declined call")
    elif call.outcome == Call.Outcome.BUSY:
        text = _("Call not answered: busy")
    else:
        text = _("Cancelled call")
    # messaging owns the chat's sequence and its system lines; calls sits above it.
    messaging_services.system_message(call.chat, call.created_by, text)


def _end(call: Call, outcome: str) -> None:
    now = timezone.now()
    call.state = Call.State.ENDED
    call.outcome = outcome
    call.ended_at = now
    call.save(update_fields=["state", "outcome", "ended_at"])
    call.participants.filter(state=Participant.State.JOINED).update(
        state=Participant.State.LEFT, left_at=now
    )
    ringing = list(call.participants.filter(state=Participant.State.RINGING).select_related("user"))
    call.participants.filter(state=Participant.State.RINGING).update(state=Participant.State.MISSED)
    if outcome == Call.Outcome.MISSED:
        _tell_missed(call, [p.user for p in ringing])
    _chat_line(call)
    _publish(call, events.ended)


def _tell_missed(call: Call, people: list[User]) -> None:
    """A missed call waits in the bell of everyone it rang for (their tabs may all be closed)."""
    for person in people:
        notifications.notify(
            person,
            Notification.Kind.MISSED_CALL,
            actor=call.created_by,
            url=reverse("calls:index"),
            key=f"call:{call.pk}",
        )


def _lock(call: Call) -> Call:
    """The call's row under lock, so two members acting at once take turns."""
    return Call.objects.select_for_update().select_related("chat").get(pk=call.pk)


def _check_session(session: str) -> str:
    if not isinstance(session, str) or not SESSION.match(session):
        raise Refused(_("This tab cannot take part in calls; reload the page."))
    return session


def _joined_count(call: Call) -> int:
    return call.participants.filter(state=Participant.State.JOINED).count()


# --- Ringing -------------------------------------------------------------------------------------
@transaction.atomic
def start_call(*, caller: User, chat: Chat, video: bool, session: str) -> Call:
    """Ring the other member of a direct chat, or everyone in a group; join it if it is on."""
    _check_session(session)
    membership = messaging_selectors.membership_for(caller, chat.pk)  # 404 for strangers
    chat = Chat.objects.select_for_update().get(pk=membership.chat_id)
    if chat.kind not in CALLABLE_KINDS:
        raise Refused(_("Calls are not possible in this chat."))
    expire_stale_calls(chat=chat)
    drop_silent(user_ids=messaging_selectors.member_ids(chat))
    live = Call.objects.filter(chat=chat, ended_at=None).first()
    if live is not None:
        # Both pressed "call" at once (glare), or the group's call is already on: one call.
        return join_call(user=caller, call=live, session=session)
    is_group = chat.kind in GROUP_KINDS
    if is_group:
        invitees = [uid for uid in messaging_selectors.member_ids(chat) if uid != caller.pk]
    else:
        peer = _direct_peer(caller, chat)
        invitees = [peer.pk]
    if selectors.joined_elsewhere(caller):
        raise Refused(_("You are already in a call. Hang up first."))
    try:
        with transaction.atomic():
            call = Call.objects.create(chat=chat, created_by=caller, video=video, is_group=is_group)
    except IntegrityError:
        live = Call.objects.get(chat=chat, ended_at=None)
        return join_call(user=caller, call=live, session=session)
    now = timezone.now()
    Participant.objects.create(
        call=call,
        user=caller,
        state=Participant.State.JOINED,
        session=session,
        joined_at=now,
        seen_at=now,
    )
    Participant.objects.bulk_create(Participant(call=call, user_id=uid) for uid in invitees)
    if not is_group and selectors.joined_elsewhere(User(pk=invitees[0]), besides=call):
        _end(call, Call.Outcome.BUSY)
        return call
    _publish(call, ringing=invitees)
    transaction.on_commit(lambda: _time_out_later(call.pk))
    return call


def _direct_peer(caller: User, chat: Chat) -> User:
    peer_id = next((uid for uid in messaging_selectors.member_ids(chat) if uid != caller.pk), None)
    peer = accounts_selectors.members(caller).filter(pk=peer_id).first()
    if peer is None:
        raise Refused(_("This member has left the family."))
    if accounts_selectors.is_blocked_between(caller, peer):
        raise Refused(_("You cannot call this member."))
    if not accounts_selectors.allows(peer, caller, peer.who_may_call):
        raise Refused(_("%(name)s does not take calls from you.") % {"name": peer.name})
    return peer


@transaction.atomic
def call_member(*, caller: User, person: User, video: bool, session: str) -> Call:
    """Call a member from their page or the Calls page: through the direct chat of the two."""
    if person.pk == caller.pk:
        raise Refused(_("You cannot call yourself."))
    chat = messaging_services.direct_chat(user=caller, other=person)
    return start_call(caller=caller, chat=chat, video=video, session=session)


# --- Joining, declining, leaving -----------------------------------------------------------------
@transaction.atomic
def join_call(*, user: User, call: Call, session: str) -> Call:
    """Accept a ringing call, or join a group's call that is on, from this tab."""
    _check_session(session)
    call = _lock(call)
    participant = call.participants.filter(user=user).first()
    if call.is_group:
        messaging_selectors.membership_for(user, call.chat_id)  # 404 unless in the group now
    if participant is None:
        if not call.is_group:
            raise Http404
        participant = Participant(call=call, user=user)
    if not call.is_live:
        raise Refused(_("This call has ended."))
    drop_silent(user_ids=[user.pk], besides=call)
    if selectors.joined_elsewhere(user, besides=call):
        raise Refused(_("You are already in a call. Hang up first."))
    already_in = participant.state == Participant.State.JOINED
    if not already_in and _joined_count(call) >= settings.CALL_MAX_PARTICIPANTS:
        raise Refused(
            _("The call is full: at most %(count)d people.")
            % {"count": settings.CALL_MAX_PARTICIPANTS}
        )
    now = timezone.now()
    participant.state = Participant.State.JOINED
    participant.session = session
    participant.joined_at = participant.joined_at or now
    participant.left_at = None
    participant.seen_at = now
    participant.save()
    if call.state == Call.State.RINGING and _joined_count(call) >= 2:
        call.state = Call.State.ACTIVE
        call.answered_at = now
        call.save(update_fields=["state", "answered_at"])
    _publish(call)
    return call


@transaction.atomic
def decline_call(*, user: User, call: Call) -> Call:
    """Say no to a ringing call: a direct call ends for both; a group goes on without them."""
    call = _lock(call)
    participant = call.participants.filter(user=user).first()
    if participant is None:
        raise Http404
    if not call.is_live or participant.state != Participant.State.RINGING:
        return call
    participant.state = Participant.State.DECLINED
    participant.save(update_fields=["state"])
    nobody_left_to_ask = call.answered_at is None and not (
        call.participants.filter(state=Participant.State.RINGING).exists()
    )
    if not call.is_group or nobody_left_to_ask:
        _end(call, Call.Outcome.DECLINED)
    else:
        _publish(call)
    return call


@transaction.atomic
def leave_call(*, user: User, call: Call, session: str = "") -> Call:
    """Hang up (or cancel while it rings): a direct call ends for both, a group when all left."""
    call = _lock(call)
    participant = call.participants.filter(user=user).first()
    if participant is None:
        raise Http404
    if not call.is_live:
        return call
    if participant.state == Participant.State.RINGING:
        return decline_call(user=user, call=call)
    if participant.state != Participant.State.JOINED:
        return call
    if session and participant.session != session:
        # Another tab of theirs carries the call now (they moved it); this tab only lets go.
        return call
    participant.state = Participant.State.LEFT
    participant.left_at = timezone.now()
    participant.save(update_fields=["state", "left_at"])
    answered = call.answered_at is not None
    if not call.is_group or _joined_count(call) == 0:
        _end(call, Call.Outcome.ANSWERED if answered else Call.Outcome.CANCELLED)
    else:
        _publish(call)
    return call


# --- Nobody answered -----------------------------------------------------------------------------
@transaction.atomic
def ring_timed_out(*, call_id: int) -> Call | None:
    """After the ringing time: an unanswered call is missed for both; late invitees stop ringing."""
    call = Call.objects.select_for_update().select_related("chat").filter(pk=call_id).first()
    if call is None or not call.is_live:
        return call
    deadline = call.created_at + timedelta(seconds=settings.CALL_RING_SECONDS)
    if timezone.now() < deadline - timedelta(milliseconds=200):
        return call
    if call.answered_at is None:
        _end(call, Call.Outcome.MISSED)
        return call
    late = call.participants.filter(state=Participant.State.RINGING).select_related("user")
    _tell_missed(call, [p.user for p in late])
    stopped = call.participants.filter(state=Participant.State.RINGING).update(
        state=Participant.State.MISSED
    )
    if stopped:
        _publish(call)
    return call


def expire_stale_calls(*, chat: Chat | None = None) -> None:
    """Time out calls whose timer was lost (a restarted server): the database decides."""
    deadline = timezone.now() - timedelta(seconds=settings.CALL_RING_SECONDS + 1)
    stale = Call.objects.filter(ended_at=None, state=Call.State.RINGING, created_at__lt=deadline)
    if chat is not None:
        stale = stale.filter(chat=chat)
    for call_id in stale.values_list("pk", flat=True):
        ring_timed_out(call_id=call_id)


def _time_out_later(call_id: int) -> None:
    # One timer per ringing call in the process that rang it; if that process dies, the next
    # look at the chat's calls (expire_stale_calls) ends the call instead.
    timer = threading.Timer(settings.CALL_RING_SECONDS, _time_out_now, args=[call_id])
    timer.daemon = True
    timer.start()


def _time_out_now(call_id: int) -> None:
    close_old_connections()
    try:
        ring_timed_out(call_id=call_id)
    except Exception:
        log.exception("calls: could not time out call %s", call_id)
    finally:
        connection.close()


# --- Signalling (ephemeral, over the websocket) --------------------------------------------------
def _valid_payload(frame: Mapping[str, Any]) -> dict[str, Any] | None:
    payload: dict[str, Any] = {}
    description = frame.get("description")
    if description is not None:
        if (
            not isinstance(description, dict)
            or description.get("type") not in ("offer", "answer", "rollback")
            or not isinstance(description.get("sdp", ""), str)
            or len(description.get("sdp", "")) > MAX_SDP
        ):
            return None
        payload["description"] = {"type": description["type"], "sdp": description.get("sdp", "")}
    candidates = frame.get("candidates")
    if candidates is not None:
        if not isinstance(candidates, list) or len(candidates) > MAX_CANDIDATES:
            return None
        if not all(isinstance(c, dict) for c in candidates):
            return None
        payload["candidates"] = candidates
    media = frame.get("media")
    if media is not None:
        if not isinstance(media, dict):
            return None
        payload["media"] = {
            key: bool(media.get(key)) for key in ("audio", "video", "screen") if key in media
        }
    return payload or None


def relay_signal(user: User, frame: Mapping[str, Any]) -> None:
    """Pass an offer, answer, candidates or mute state to one other tab in the same live call."""
    call_id, to_user = frame.get("call_id"), frame.get("to")
    session, to_session = frame.get("session"), frame.get("to_session")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (call_id, to_user)):
        return
    if not all(isinstance(v, str) and SESSION.match(v) for v in (session, to_session)):
        return
    payload = _valid_payload(frame)
    if payload is None or to_user == user.pk:
        return
    if selectors.joined_participant(user=user, call_id=call_id, session=session) is None:
        return
    if selectors.joined_session(call_id=call_id, user_id=to_user) != to_session:
        return
    realtime.publish(
        [to_user],
        events.call_signal(
            call_id=call_id,
            from_user=user.pk,
            from_session=session,
            to_session=to_session,
            payload=payload,
        ),
        durable=False,
    )


# --- Tabs that went silent ----------------------------------------------------------------------
def keep_alive(user: User, frame: Mapping[str, Any]) -> None:
    """A joined tab says it is still there (every few seconds); silent others are let go."""
    call_id, session = frame.get("call_id"), frame.get("session")
    if not isinstance(call_id, int) or isinstance(call_id, bool):
        return
    if not isinstance(session, str) or not SESSION.match(session):
        return
    alive = Participant.objects.filter(
        call_id=call_id,
        user=user,
        session=session,
        state=Participant.State.JOINED,
        call__ended_at=None,
    ).update(seen_at=timezone.now())
    if alive:
        # The one left behind when the other's phone died ends the call within a beat.
        drop_silent(call_id=call_id)


def drop_silent(
    *,
    user_ids: list[int] | None = None,
    call_id: int | None = None,
    besides: Call | None = None,
) -> int:
    """Take out of their calls the joined tabs not heard from for CALL_SILENCE_SECONDS.

    Runs on a beat, and before any check that a member is busy, so a crashed tab never leaves
    someone "in a call" for good (the embedded mode has no beat). Returns how many calls changed.
    """
    deadline = timezone.now() - timedelta(seconds=settings.CALL_SILENCE_SECONDS)
    silent = Participant.objects.filter(
        state=Participant.State.JOINED, call__ended_at=None, seen_at__lt=deadline
    )
    if user_ids is not None:
        silent = silent.filter(user_id__in=user_ids)
    if call_id is not None:
        silent = silent.filter(call_id=call_id)
    if besides is not None:
        silent = silent.exclude(call=besides)
    touched = set()
    for participant in silent.select_related("call", "user"):
        with transaction.atomic():
            leave_call(user=participant.user, call=participant.call, session=participant.session)
        touched.add(participant.call_id)
    return len(touched)


def register_realtime() -> None:
    realtime.register_inbound("call.signal", relay_signal)
    realtime.register_inbound("call.alive", keep_alive)
