"""Who may see a message, one rule: `Membership.objects.active()` and
`Message.objects.visible_to(...)`, and every read of a member's messages goes through them."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.errors import Refused
from core.tests.test_media import photo_bytes, upload
from messaging import search, selectors, services
from messaging.models import Attachment, Chat, Membership, Message
from messaging.tests.factories import group, say

pytestmark = pytest.mark.django_db


def seat_of(user, chat) -> Membership:
    return Membership.objects.get(chat=chat, user=user)


def test_an_active_membership_is_one_that_has_not_left(member, other_member):
    chat = group(member, other_member, title="Дача")
    services.leave_chat(user=other_member, chat=chat)
    assert list(Membership.objects.active().filter(chat=chat).values_list("user", flat=True)) == [
        member.pk
    ]
    assert selectors.member_ids(chat) == [member.pk]
    assert chat not in selectors.chats_for(other_member)
    assert chat in selectors.chats_for(member)


def test_a_member_reads_the_whole_history_also_from_before_they_joined(member, other_member):
    chat = group(other_member, title="Дача")
    before = say(other_member, chat, "до меня")
    services.add_members(by=other_member, chat=chat, people=[member])
    assert before in Message.objects.visible_to(seat_of(member, chat))
    assert selectors.message_for(member, before.pk) == before
    page, _more = selectors.page_before(selectors.membership_for(member, chat.pk), None)
    assert before in page


def test_a_left_member_no_longer_reads_the_chat(client, member, other_member):
    chat = group(other_member, member, title="Дача")
    old = say(other_member, chat, "старое яблоко")
    services.leave_chat(user=member, chat=chat)
    new = say(other_member, chat, "новое яблоко")
    left = seat_of(member, chat)
    assert not Message.objects.visible_to(left).exists()
    assert not Message.objects.visible_to(member).filter(pk__in=[old.pk, new.pk]).exists()
    assert list(search.messages(member, "яблоко")) == []
    client.force_login(member)
    for message in (old, new):
        url = reverse("messaging:readers", args=[message.pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("messaging:history", args=[chat.pk])).status_code == 404


def test_a_message_hidden_for_me_is_gone_for_me_only(member, other_member):
    chat = group(member, other_member, title="Дача")
    message = say(other_member, chat, "лишнее яблоко")
    services.set_pinned(user=member, message=message, pinned=True)
    services.delete_message(user=member, message=message, for_everyone=False)
    mine, theirs = seat_of(member, chat), seat_of(other_member, chat)
    assert message not in Message.objects.visible_to(mine)
    assert message not in Message.objects.visible_to(member)
    assert selectors.pinned_message(mine) is None
    assert list(search.messages(member, "яблоко")) == []
    with pytest.raises(Http404):
        selectors.message_for(member, message.pk)
    # The others still have it.
    assert message in Message.objects.visible_to(theirs)
    assert selectors.pinned_message(theirs) == message
    assert selectors.message_for(other_member, message.pk) == message


def test_a_chat_file_is_read_by_whoever_may_see_its_message(client, member, other_member):
    chat = group(member, other_member, title="Дача")
    client.force_login(member)
    response = client.post(
        reverse("messaging:send", args=[chat.pk]),
        {"client_id": "photo-visible-1", "files": [upload(photo_bytes())]},
    )
    assert response.status_code == 201
    name = Attachment.objects.get(message_id=response["X-Message-Id"]).file
    url = reverse("media", args=[name])
    client.force_login(other_member)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    # Gone for the member who hid its message, and for one who left the chat.
    message = Message.objects.get(pk=response["X-Message-Id"])
    services.delete_message(user=other_member, message=message, for_everyone=False)
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200
    services.leave_chat(user=member, chat=chat)
    assert client.get(url).status_code == 404


# --- One seat --------------------------------------------------------------------------------
def test_a_seat_is_made_once_and_a_left_one_is_reopened(member, other_member):
    chat = group(member, title="Дача")
    seat, seated = services.seat(chat=chat, user=other_member)
    assert seated and seat.role == Membership.Role.MEMBER
    again, seated = services.seat(chat=chat, user=other_member)
    assert not seated and again.pk == seat.pk
    services.set_role(by=member, chat=chat, person=other_member, admin=True)
    services.leave_chat(user=other_member, chat=chat)
    before = timezone.now()
    back, seated = services.seat(chat=chat, user=other_member)
    assert seated and back.pk == seat.pk and back.is_active
    # Back as a plain member, joined anew (not the admin they were).
    assert back.role == Membership.Role.MEMBER and back.joined_at >= before


def test_adding_joining_and_the_family_chat_all_reopen_a_left_seat(member, other_member):
    chat = group(member, other_member, title="Дача")
    services.leave_chat(user=other_member, chat=chat)
    assert services.add_members(by=member, chat=chat, people=[other_member]) == [other_member]
    assert other_member.pk in selectors.member_ids(chat)
    # Already in: adding again adds no one.
    assert services.add_members(by=member, chat=chat, people=[other_member]) == []
    services.leave_chat(user=other_member, chat=chat)
    services.join_chat(user=other_member, chat=chat)
    assert other_member.pk in selectors.member_ids(chat)
    channel = group(member, title="Новости", kind=Chat.Kind.CHANNEL)
    assert services.join_chat(user=other_member, chat=channel).role == Membership.Role.SUBSCRIBER
    family = services.join_family_chat(user=member)
    assert services.join_family_chat(user=member).pk == family.pk
    assert Membership.objects.filter(chat=family.chat, user=member).count() == 1


# --- Peers and pickers -----------------------------------------------------------------------
def test_the_peers_of_direct_chats_are_looked_up_at_once(member):
    chats = [services.direct_chat(user=member, other=UserFactory()) for _ in range(4)]
    with CaptureQueriesContext(connection) as queries:
        peers = selectors.peers_of(member, [chat.pk for chat in chats])
    assert len(queries) == 2
    assert sorted(peer.pk for peer in peers.values()) == sorted(
        Membership.objects.filter(chat__in=chats)
        .exclude(user=member)
        .values_list("user", flat=True)
    )
    assert all(hasattr(peer, "is_online") for peer in peers.values())


def test_checking_who_may_post_pays_for_no_presence(member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    membership = selectors.membership_for(member, chat.pk)
    with CaptureQueriesContext(connection) as queries:
        services.check_may_post(membership)
    assert not any("accounts_connection" in query["sql"] for query in queries.captured_queries)
    other_member.is_active = False
    other_member.save(update_fields=["is_active"])
    with pytest.raises(Refused):
        services.check_may_post(membership)


def test_the_chat_picker_lists_the_chats_i_may_post_in(client, member, other_member):
    mine = group(member, other_member, title="Дача")
    theirs = group(other_member, title="Новости", kind=Chat.Kind.CHANNEL)
    services.join_chat(user=member, chat=theirs)  # a subscriber: reads, does not post
    direct = services.direct_chat(user=member, other=other_member)
    rows = selectors.chats_i_may_post_in(member)
    chats = {row.chat for row in rows}
    assert {mine, direct} <= chats and theirs not in chats
    assert next(row for row in rows if row.chat == direct).peer == other_member
    message = say(other_member, mine, "перешли")
    client.force_login(member)
    html = client.get(reverse("messaging:forward_message", args=[message.pk])).content.decode()
    assert "Новости" not in html and "Дача" in html
    assert f'value="fwd-{message.pk}-{direct.pk}-' in html
