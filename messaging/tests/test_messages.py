import pytest
from django.urls import reverse

from accounts.models import Block
from accounts.tests.factories import UserFactory
from core.errors import Refused
from core.tests.realtime_helpers import stored_events
from messaging import selectors, services
from messaging.models import Chat, Message
from messaging.tests.factories import group, say

pytestmark = pytest.mark.django_db


def test_a_retried_send_stores_one_message(
    member, other_member, django_capture_on_commit_callbacks
):
    chat = services.direct_chat(user=member, other=other_member)
    with django_capture_on_commit_callbacks(execute=True):
        first, created = services.send_message(
            sender=member, chat=chat, client_id="abcdef123456", text="Привет"
        )
        again, created_again = services.send_message(
            sender=member, chat=chat, client_id="abcdef123456", text="Привет"
        )
    assert first == again
    assert created and not created_again
    assert chat.messages.count() == 1
    assert stored_events(other_member, "message.created").count() == 1


def test_the_same_client_id_twice_over_http_gives_one_message(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    url = reverse("messaging:send", args=[chat.pk])
    first = client.post(url, {"client_id": "c0ffee-0001", "text": "Ужин в семь"})
    second = client.post(url, {"client_id": "c0ffee-0001", "text": "Ужин в семь"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first["X-Message-Id"] == second["X-Message-Id"]
    assert Message.objects.filter(chat=chat).count() == 1
    assert "Ужин в семь" in first.content.decode()


def test_messages_take_the_chats_sequence_in_order(member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    seqs = [say(member, chat, f"{n}").seq for n in range(5)]
    assert seqs == [1, 2, 3, 4, 5]
    chat.refresh_from_db()
    assert chat.last_seq == 5 and chat.last_message.text == "4"


def test_a_stranger_gets_404_for_the_chat_and_its_writes(client, member, other_member):
    outsider = UserFactory()
    chat = services.direct_chat(user=member, other=other_member)
    message = say(member, chat, "секрет")
    client.force_login(outsider)
    assert client.get(chat.get_absolute_url()).status_code == 404
    assert client.get(reverse("messaging:history", args=[chat.pk])).status_code == 404
    for name, data in [
        ("messaging:send", {"client_id": "stranger-01", "text": "hi"}),
        ("messaging:read", {"seq": 1}),
        ("messaging:draft", {"text": "x"}),
        ("messaging:chat_settings", {"action": "pin"}),
    ]:
        assert client.post(reverse(name, args=[chat.pk]), data).status_code == 404, name
    for name in ["edit_message", "delete_message", "react", "pin_message", "readers"]:
        url = reverse(f"messaging:{name}", args=[message.pk])
        response = client.get(url) if name == "readers" else client.post(url, {"text": "x"})
        assert response.status_code == 404, name
    message.refresh_from_db()
    assert message.text == "секрет" and not message.reactions.exists()
    assert not Message.objects.filter(sender=outsider).exists()


def test_a_channel_subscriber_cannot_post(client, member, other_member):
    channel = group(member, title="Новости", kind=Chat.Kind.CHANNEL)
    services.join_chat(user=other_member, chat=channel)
    client.force_login(other_member)
    response = client.post(
        reverse("messaging:send", args=[channel.pk]),
        {"client_id": "sub-post-1", "text": "я"},
        headers={"X-Requested-With": "XMLHttpRequest"},  # as the chat's scripts send
    )
    assert response.status_code == 403
    assert response.json()["error"]
    assert not channel.messages.filter(sender=other_member).exists()


def test_a_blocked_member_cannot_write(member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    Block.objects.create(blocker=other_member, blocked=member)
    with pytest.raises(Refused):
        say(member, chat, "ты тут?")
    assert not chat.messages.exists()


def test_a_removed_member_stops_receiving_at_once(member, other_member):
    third = UserFactory()
    chat = group(member, other_member, third)
    services.remove_member(by=member, chat=chat, person=third)
    before = stored_events(third).count()
    say(member, chat, "без тебя")
    assert stored_events(third).count() == before
    with pytest.raises(Exception):  # noqa: B017 (Http404)
        selectors.membership_for(third, chat.pk)


def test_privacy_decides_who_can_be_added_to_a_group(member, other_member):
    other_member.who_may_add_to_groups = "nobody"
    other_member.save()
    chat = group(member, other_member)
    assert selectors.member_ids(chat) == [member.pk]


def test_reading_moves_my_mark_and_unread_counts(member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    for n in range(3):
        say(member, chat, f"{n}")
    row = next(r for r in selectors.inbox(other_member) if r.chat_id == chat.pk)
    assert row.unread == 3
    services.mark_read(user=other_member, chat=chat, seq=2)
    row = next(r for r in selectors.inbox(other_member) if r.chat_id == chat.pk)
    assert row.unread == 1


def test_history_pages_backwards_without_gaps(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    for n in range(120):
        say(member, chat, f"m{n}")
    client.force_login(other_member)
    url = reverse("messaging:history", args=[chat.pk])
    seen = []
    before = None
    while True:
        response = client.get(url, {"before": before} if before else {})
        page = [m.seq for m in response.context["messages"]]
        seen = page + seen
        if response["X-Has-More"] == "0":
            break
        before = page[0]
    assert seen == list(range(1, 121))


def test_a_new_member_joins_the_family_chat(member, django_capture_on_commit_callbacks):
    from accounts import services as accounts_services
    from accounts.models import FamilySettings

    FamilySettings.objects.update_or_create(pk=1, defaults={"registration_open": True})
    newcomer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.record_joining(user=newcomer, invite_code=None)
    family = services.family_chat()
    assert newcomer.pk in selectors.member_ids(family)


def test_delete_for_everyone_only_by_the_sender(member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    message = say(member, chat, "ой")
    with pytest.raises(Refused):
        services.delete_message(user=other_member, message=message, for_everyone=True)
    services.delete_message(user=other_member, message=message, for_everyone=False)
    assert Message.objects.visible_to(selectors.membership_for(other_member, chat.pk)).count() == 0
    services.delete_message(user=member, message=message, for_everyone=True)
    message.refresh_from_db()
    assert message.is_deleted and message.text == ""


def test_the_family_chat_exists_from_the_first_start():
    from django.core.management import call_command

    call_command("prepare", "--no-static", verbosity=0)
    call_command("prepare", "--no-static", verbosity=0)
    assert Chat.objects.filter(kind=Chat.Kind.FAMILY).count() == 1


@pytest.mark.parametrize("size", [2, 40])
def test_a_send_costs_the_same_few_queries_whatever_the_size_of_the_chat(
    client, size, django_assert_max_num_queries
):
    # The request stores the message and renders the sender's bubble; rendering the others'
    # bubbles and the fan-out run after commit, off the request (core.realtime.defer), which a
    # test transaction never commits: what is counted is what the sender waits for.
    people = [UserFactory() for _ in range(size)]
    chat = services.create_group(by=people[0], title="Семья", members=people[1:])
    client.force_login(people[0])
    url = reverse("messaging:send", args=[chat.pk])
    client.post(url, {"client_id": "warm-up-0001", "text": "Привет"}, headers={"HX-Request": "1"})
    with django_assert_max_num_queries(17):
        answer = client.post(
            url, {"client_id": "counted-0001", "text": "Все на дачу"}, headers={"HX-Request": "1"}
        )
    assert answer.status_code == 201
