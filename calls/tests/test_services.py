"""Ringing, answering, declining, hanging up and missing calls, with who may do what."""

import json
from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from accounts.models import Audience, Block, Contact
from accounts.tests.factories import UserFactory
from calls import services, turn
from calls.models import Call, Participant
from core.errors import Refused
from messaging import services as messaging_services
from messaging.models import Chat, Message
from messaging.tests.factories import group

pytestmark = pytest.mark.django_db

TAB_A, TAB_B, TAB_C = "tab-aaaaaaaa", "tab-bbbbbbbb", "tab-cccccccc"


@pytest.fixture
def direct(member, other_member):
    return messaging_services.direct_chat(user=member, other=other_member)


def ring(caller, chat, video=False, session=TAB_A):
    return services.start_call(caller=caller, chat=chat, video=video, session=session)


def states(call):
    return dict(call.participants.values_list("user__username", "state"))


def chat_lines(chat):
    return list(
        chat.messages.filter(kind=Message.Kind.SYSTEM)
        .order_by("seq")
        .values_list("text", flat=True)
    )


def test_a_call_rings_the_other_member_and_answering_starts_it(member, other_member, direct):
    call = ring(member, direct, video=True)
    assert call.state == Call.State.RINGING
    assert states(call) == {"grandma": "joined", "dad": "ringing"}
    call = services.join_call(user=other_member, call=call, session=TAB_B)
    assert call.state == Call.State.ACTIVE and call.answered_at is not None
    call.answered_at = timezone.now() - timedelta(seconds=65)
    call.save()
    call = services.leave_call(user=other_member, call=call, session=TAB_B)
    call.refresh_from_db()
    assert (call.state, call.outcome) == (Call.State.ENDED, Call.Outcome.ANSWERED)
    assert states(call) == {"grandma": "left", "dad": "left"}
    assert chat_lines(direct) == ["Видеозвонок, 1:05"]


def test_declining_ends_the_call_for_both_with_a_line_in_the_chat(member, other_member, direct):
    call = ring(member, direct)
    services.decline_call(user=other_member, call=call)
    call.refresh_from_db()
    assert (call.state, call.outcome) == (Call.State.ENDED, Call.Outcome.DECLINED)
    assert chat_lines(direct) == ["Отклонённый звонок"]
    assert not other_member.notifications.exists()  # declined, not missed: nothing in the bell


def test_the_caller_can_cancel_while_it_rings(member, other_member, direct):
    call = ring(member, direct)
    services.leave_call(user=member, call=call, session=TAB_A)
    call.refresh_from_db()
    assert call.outcome == Call.Outcome.CANCELLED
    assert states(call) == {"grandma": "left", "dad": "missed"}


def test_an_unanswered_call_times_out_as_missed(member, other_member, direct, settings):
    call = ring(member, direct)
    assert services.ring_timed_out(call_id=call.pk).state == Call.State.RINGING  # not yet
    Call.objects.filter(pk=call.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.CALL_RING_SECONDS + 1)
    )
    call = services.ring_timed_out(call_id=call.pk)
    assert (call.state, call.outcome) == (Call.State.ENDED, Call.Outcome.MISSED)
    assert states(call) == {"grandma": "left", "dad": "missed"}
    assert chat_lines(direct) == ["Пропущенный аудиозвонок"]
    # Dad finds it in his bell, once, even if no tab of his was open; grandma is not told.
    services.ring_timed_out(call_id=call.pk)
    missed = other_member.notifications.get()
    assert (missed.kind, missed.actor, missed.url) == ("missed_call", member, "/calls/")
    assert not member.notifications.exists()


def test_calling_at_the_same_moment_makes_one_call(member, other_member, direct):
    first = ring(member, direct)
    second = ring(other_member, direct, session=TAB_B)
    assert first.pk == second.pk
    second.refresh_from_db()
    assert second.state == Call.State.ACTIVE
    assert Call.objects.filter(chat=direct).count() == 1


def test_a_member_in_another_call_is_busy(member, other_member, direct):
    third = UserFactory(username="aunt")
    ring(member, direct)
    services.join_call(user=other_member, call=Call.objects.get(), session=TAB_B)
    call = services.call_member(caller=third, person=other_member, video=False, session=TAB_C)
    assert (call.state, call.outcome) == (Call.State.ENDED, Call.Outcome.BUSY)
    with pytest.raises(Refused):
        services.call_member(caller=member, person=third, video=False, session=TAB_A)


def test_who_may_call_me_is_respected(member, other_member, direct):
    other_member.who_may_call = Audience.NOBODY
    other_member.save()
    with pytest.raises(Refused, match="не принимает звонки"):
        ring(member, direct)
    other_member.who_may_call = Audience.CONTACTS
    other_member.save()
    with pytest.raises(Refused):
        ring(member, direct)
    Contact.objects.create(owner=other_member, person=member, name="Бабушка")
    assert ring(member, direct).state == Call.State.RINGING


def test_a_block_stops_calls(member, other_member, direct):
    Block.objects.create(blocker=other_member, blocked=member)
    with pytest.raises(Refused):
        ring(member, direct)


def test_a_stranger_cannot_ring_or_join_or_decline(member, other_member, direct):
    outsider = UserFactory(username="outsider")
    with pytest.raises(Http404):
        ring(outsider, direct)
    call = ring(member, direct)
    with pytest.raises(Http404):
        services.join_call(user=outsider, call=call, session=TAB_C)
    with pytest.raises(Http404):
        services.decline_call(user=outsider, call=call)
    client = Client()
    client.force_login(outsider)
    for action in ("join", "decline", "leave"):
        assert client.post(f"/calls/{call.pk}/{action}/", {"session": TAB_C}).status_code == 404
    assert client.get(f"/calls/{call.pk}/ice/").status_code == 404
    assert client.post("/calls/start/", {"chat": direct.pk, "session": TAB_C}).status_code == 404
    assert json.loads(client.get("/calls/live/").content) == {"calls": []}


def test_calls_only_in_direct_chats_and_groups(member):
    saved = messaging_services.saved_chat(user=member)
    with pytest.raises(Refused):
        ring(member, saved)


def test_a_group_call_rings_everyone_and_others_can_join_and_leave(member, other_member):
    aunt, uncle = UserFactory(username="aunt"), UserFactory(username="uncle")
    chat = group(member, other_member, aunt, uncle)
    call = ring(member, chat, video=True)
    assert call.is_group and states(call)["aunt"] == "ringing"
    services.join_call(user=other_member, call=call, session=TAB_B)
    services.decline_call(user=uncle, call=call)
    # Joining through "call" in the group's header meets the same call.
    again = ring(aunt, chat, session=TAB_C)
    assert again.pk == call.pk
    services.leave_call(user=member, call=call, session=TAB_A)
    call.refresh_from_db()
    assert call.state == Call.State.ACTIVE
    services.leave_call(user=other_member, call=call, session=TAB_B)
    services.leave_call(user=aunt, call=call, session=TAB_C)
    call.refresh_from_db()
    assert (call.state, call.outcome) == (Call.State.ENDED, Call.Outcome.ANSWERED)
    assert chat_lines(chat)[-1].startswith("Групповой звонок, ")


def test_a_mesh_call_takes_at_most_six(member, settings):
    people = [UserFactory() for _ in range(6)]
    chat = group(member, *people)
    call = ring(member, chat)
    for number, person in enumerate(people[:5]):
        services.join_call(user=person, call=call, session=f"tab-{number:08d}")
    with pytest.raises(Refused, match="6"):
        services.join_call(user=people[5], call=call, session="tab-99999999")


def test_the_call_page_lists_calls_with_their_outcome(member, other_member, direct):
    call = ring(member, direct)
    services.ring_timed_out(call_id=call.pk)
    Call.objects.filter(pk=call.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    services.ring_timed_out(call_id=call.pk)
    client = Client()
    client.force_login(other_member)
    page = client.get("/calls/").content.decode()
    assert "Пропущенный" in page and member.name in page
    client.force_login(member)
    assert "Нет ответа" in client.get("/calls/").content.decode()


def test_start_answers_with_ice_servers_and_a_time_limited_turn_credential(
    client, member, other_member, direct, settings
):
    settings.TURN_URLS = ["turn:turn.family.example:3478?transport=udp"]
    settings.TURN_SECRET = "s3cret"
    settings.STUN_URLS = ["stun:turn.family.example:3478"]
    client.force_login(member)
    answer = client.post("/calls/start/", {"chat": direct.pk, "video": "1", "session": TAB_A})
    body = json.loads(answer.content)
    assert body["call"]["video"] is True and body["call"]["state"] == "ringing"
    stun, turn_server = body["ice"]["iceServers"]
    assert stun == {"urls": settings.STUN_URLS}
    expiry, user_id = turn_server["username"].split(":")
    assert int(user_id) == member.pk
    assert 0 < int(expiry) - timezone.now().timestamp() <= settings.TURN_CREDENTIAL_SECONDS
    assert turn_server["credential"] != settings.TURN_SECRET
    username = turn_server["username"]
    expected = turn.credentials(user_id=member.pk, ttl=int(expiry) - int(username.split(":")[0]))
    assert len(turn_server["credential"]) == len(expected["credential"]) == 28


def test_a_family_chat_call_is_a_group_call(member, other_member):
    messaging_services.join_family_chat(user=member)
    messaging_services.join_family_chat(user=other_member)
    family = messaging_services.family_chat()
    assert family.kind == Chat.Kind.FAMILY
    call = ring(member, family)
    assert call.is_group
    assert Participant.objects.filter(call=call).count() >= 2


def test_a_tab_that_went_silent_leaves_the_call_when_the_other_beats(
    member, other_member, direct, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    call = ring(member, direct)
    services.join_call(user=other_member, call=call, session=TAB_B)

    # Dad's phone dies; grandma's tab keeps beating, and after the silence the call ends.
    time_machine.shift(timedelta(seconds=30))
    services.keep_alive(member, {"call_id": call.pk, "session": TAB_A})
    call.refresh_from_db()
    assert call.state == Call.State.ACTIVE
    time_machine.shift(timedelta(seconds=15))
    services.keep_alive(member, {"call_id": call.pk, "session": TAB_A})

    call.refresh_from_db()
    assert (call.state, call.outcome) == (Call.State.ENDED, Call.Outcome.ANSWERED)
    assert states(call) == {"grandma": "left", "dad": "left"}


def test_a_member_whose_tabs_all_crashed_is_not_busy_for_ever(
    member, other_member, direct, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    call = ring(member, direct)
    services.join_call(user=other_member, call=call, session=TAB_B)
    time_machine.shift(timedelta(seconds=41))  # both browsers were killed; no beat, no beacon

    third = UserFactory(username="aunt")
    again = services.call_member(caller=third, person=other_member, video=False, session=TAB_C)

    assert again.state == Call.State.RINGING
    call.refresh_from_db()
    assert call.state == Call.State.ENDED


def test_the_beat_task_ends_calls_nobody_is_left_in(member, other_member, direct, time_machine):
    from calls.tasks import drop_silent

    time_machine.move_to(timezone.now(), tick=False)
    call = ring(member, direct)
    services.join_call(user=other_member, call=call, session=TAB_B)
    time_machine.shift(timedelta(seconds=20))
    assert drop_silent() == 0

    time_machine.shift(timedelta(seconds=21))
    assert drop_silent() == 1  # leaving one side of a direct call ends it for both

    call.refresh_from_db()
    assert call.state == Call.State.ENDED


def test_a_beat_from_a_stranger_or_another_tab_keeps_nobody_alive(
    member, other_member, direct, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    call = ring(member, direct)
    services.join_call(user=other_member, call=call, session=TAB_B)
    aunt = UserFactory(username="aunt")
    time_machine.shift(timedelta(seconds=41))

    for user, frame in [
        (aunt, {"call_id": call.pk, "session": TAB_B}),  # not hers
        (other_member, {"call_id": call.pk, "session": TAB_C}),  # not the tab in the call
        (other_member, {"call_id": str(call.pk), "session": TAB_B}),  # malformed
        (other_member, {"call_id": call.pk, "session": "x"}),
    ]:
        services.keep_alive(user, frame)

    seen = call.participants.get(user=other_member).seen_at
    assert timezone.now() - seen >= timedelta(seconds=41)


def test_a_caller_whose_tab_crashed_while_ringing_is_not_busy_for_ever(
    member, other_member, direct, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    call = ring(member, direct)
    services.join_call(user=other_member, call=call, session=TAB_B)
    services.keep_alive(other_member, {"call_id": call.pk, "session": TAB_B})
    time_machine.shift(timedelta(seconds=35))
    services.keep_alive(other_member, {"call_id": call.pk, "session": TAB_B})
    time_machine.shift(timedelta(seconds=10))  # grandma's tab (the caller's) has been silent 45 s

    services.keep_alive(other_member, {"call_id": call.pk, "session": TAB_B})

    call.refresh_from_db()
    assert call.state == Call.State.ENDED


def test_a_refused_call_answers_the_call_screen_with_the_reason_and_403(
    client, member, other_member, direct
):
    other_member.who_may_call = Audience.NOBODY
    other_member.save()
    client.force_login(member)
    answer = client.post(
        "/calls/start/", {"chat": direct.pk, "session": TAB_A}, HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 403
    assert "не принимает звонки" in answer.json()["error"]
    assert not Call.objects.exists()
