import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from messaging import services
from messaging.tests.factories import group, say

pytestmark = pytest.mark.django_db


def test_a_direct_chat_shows_the_peers_custom_status_in_the_header(client, member, other_member):
    other_member.status_text = "На даче до воскресенья"
    other_member.status_icon = "home"
    other_member.status_until = timezone.now() + timezone.timedelta(hours=1)
    other_member.save()
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    page = client.get(chat.get_absolute_url()).content.decode()
    assert "На даче до воскресенья" in page
    assert other_member.name in page


def test_an_expired_status_is_not_shown(client, member, other_member):
    other_member.status_text = "В отпуске"
    other_member.status_until = timezone.now() - timezone.timedelta(minutes=1)
    other_member.save()
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    assert "В отпуске" not in client.get(chat.get_absolute_url()).content.decode()


def _rich_history(chat, people, count):
    previous = None
    for n in range(count):
        sender = people[n % len(people)]
        message, _ = services.send_message(
            sender=sender,
            chat=chat,
            client_id=f"rich-{chat.pk}-{n}-x",
            # Every message mentions someone: mentions are looked up once a page, not per message.
            text=f"**{n}** привет, @{people[(n + 1) % len(people)].username}",
            reply_to=previous,
        )
        for person in people:
            services.toggle_reaction(user=person, message=message, icon="heart")
        previous = message


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_chat_page_costs_the_same_queries_for_few_and_many_rich_messages(
    client, member, other_member
):
    small = group(member, other_member, title="Мало")
    big = group(member, other_member, title="Много")
    _rich_history(small, [member, other_member], 2)
    _rich_history(big, [member, other_member], 60)
    client.force_login(member)
    client.get(small.get_absolute_url())  # the first request after signing in notes the device
    assert _queries(client, small.get_absolute_url()) == _queries(client, big.get_absolute_url())
    page = client.get(big.get_absolute_url()).content.decode()
    assert f'href="{other_member.get_absolute_url()}"' in page  # the mentions are links
    history = reverse("messaging:history", args=[big.pk])
    small_history = reverse("messaging:history", args=[small.pk])
    assert _queries(client, small_history) == _queries(client, history)


def test_the_chat_list_costs_the_same_queries_for_few_and_many_chats(client, member, other_member):
    client.force_login(member)
    say(member, group(member, other_member, title="Первая"))
    say(member, services.direct_chat(user=member, other=other_member), "привет")
    client.get(reverse("messaging:index"))  # the first request after signing in notes the device
    few = _queries(client, reverse("messaging:index"))
    for n in range(15):
        say(other_member, group(other_member, member, title=f"Группа {n}"))
        peer = UserFactory()
        say(peer, services.direct_chat(user=peer, other=member), f"{n}")
    assert _queries(client, reverse("messaging:index")) == few


def test_the_pinned_bar_shows_the_newest_pinned_message_i_may_see(client, member, other_member):
    chat = group(member, other_member, title="Дача")
    first = say(member, chat, "Адрес: Лесная, 5")
    second = say(member, chat, "Ключ под ковриком")
    services.set_pinned(user=member, message=first, pinned=True)
    services.set_pinned(user=member, message=second, pinned=True)
    services.delete_message(user=other_member, message=second, for_everyone=False)
    client.force_login(other_member)
    page = client.get(chat.get_absolute_url()).content.decode()
    bar = page.split('class="chat__pinned"', 1)[1].split("</a>", 1)[0]
    assert "Лесная, 5" in bar and "ковриком" not in bar


def test_chat_messages_never_turn_into_toasts(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    say(other_member, chat, "Привет")
    client.force_login(member)
    page = client.get(chat.get_absolute_url()).content.decode()
    toasts = page.split('id="toasts"', 1)[1]
    assert "toast" not in toasts.split("</div>", 1)[0].replace('aria-live="polite">', "")
