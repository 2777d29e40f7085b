"""Message search (the embedded mode's FTS5): only my chats, what I may see, Russian word forms."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from messaging import search, selectors, services
from messaging.models import Message
from messaging.tests.factories import group, say

pytestmark = pytest.mark.django_db


def found(user, query, chat=None):
    return [m.text for m in selectors.search_messages(user, query, chat=chat)]


def test_search_finds_russian_word_forms_and_any_case(member, other_member):
    chat = group(member, other_member, title="Дача")
    say(other_member, chat, "Поедем к Бабушке на дачу в субботу")
    say(other_member, chat, "Купить хлеба")
    assert found(member, "бабушка") == ["Поедем к Бабушке на дачу в субботу"]
    assert found(member, "ДАЧА суббота") == ["Поедем к Бабушке на дачу в субботу"]
    assert found(member, "ёлка") == []
    assert found(member, "хлеб") == ["Купить хлеба"]


def test_search_reads_yo_as_ye(member, other_member):
    chat = group(member, other_member)
    say(other_member, chat, "Зелёная ёлка")
    assert found(member, "елка") == ["Зелёная ёлка"]


def test_search_returns_only_my_chats(member, other_member):
    outsider = UserFactory()
    mine = group(member, other_member, title="Наша")
    theirs = group(other_member, outsider, title="Чужая")
    say(other_member, mine, "секретный пирог")
    say(other_member, theirs, "секретный торт")
    assert found(member, "секретный") == ["секретный пирог"]
    assert found(outsider, "секретный") == ["секретный торт"]


def test_search_forgets_a_chat_i_left_and_respects_what_i_may_see(member, other_member):
    chat = group(other_member, title="Дача")
    # Written before I joined: a member reads the chat's whole history, so it is found too.
    say(other_member, chat, "старое яблоко")
    services.add_members(by=other_member, chat=chat, people=[member])
    hidden = say(other_member, chat, "скрытое яблоко")
    services.delete_message(user=member, message=hidden, for_everyone=False)
    gone = say(other_member, chat, "удалённое яблоко")
    services.delete_message(user=other_member, message=gone, for_everyone=True)
    say(other_member, chat, "новое яблоко")
    assert found(member, "яблоко") == ["новое яблоко", "старое яблоко"]
    services.leave_chat(user=member, chat=chat)
    assert found(member, "яблоко") == []


def test_an_edited_message_is_found_by_its_new_words(member, other_member):
    chat = group(member, other_member)
    message = say(member, chat, "черновик")
    services.edit_message(user=member, message=message, text="чистовик")
    assert found(member, "черновик") == []
    assert found(member, "чистовик") == ["чистовик"]


def test_search_inside_one_chat(member, other_member):
    first = group(member, other_member, title="Первая")
    second = group(member, other_member, title="Вторая")
    say(member, first, "кот Барсик")
    say(member, second, "кот Мурзик")
    assert found(member, "кот", chat=second) == ["кот Мурзик"]


def test_fts_syntax_in_a_query_is_plain_text(member, other_member):
    chat = group(member, other_member)
    say(member, chat, "обычный текст")
    for query in ['"', "NOT", "a OR b", "*", "text:abc", "(", "^"]:
        assert found(member, query) == []


def test_highlight_marks_word_forms_and_escapes_html():
    html = search.highlight("<b>Бабушке</b> привет от бабушки", "бабушка")
    assert "<mark>Бабушке</mark>" in html and "<mark>бабушки</mark>" in html
    assert "&lt;b&gt;" in html


def test_the_search_page_links_to_the_chat_at_the_message(client, member, other_member):
    chat = group(member, other_member, title="Дача")
    message = say(other_member, chat, "Встречаемся у бабушки")
    client.force_login(member)
    html = client.get(reverse("messaging:search"), {"q": "бабушка"}).content.decode()
    assert f"{chat.get_absolute_url()}?at={message.pk}#m-{message.pk}" in html
    assert "<mark>бабушки</mark>" in html
    html = client.get(reverse("messaging:search"), {"q": "бабушка", "chat": chat.pk}).content
    assert "Встречаемся" in html.decode()


def test_the_chat_opens_around_a_message_given_by_at(client, member, other_member):
    chat = group(member, other_member, title="Дача")
    messages = [say(other_member, chat, f"сообщение {n}") for n in range(120)]
    target = messages[10]
    client.force_login(member)
    response = client.get(chat.get_absolute_url(), {"at": target.pk})
    shown = [m.pk for m in response.context["history"]]
    assert target.pk in shown and messages[-1].pk not in shown
    outsider_chat = group(UserFactory(), title="Чужая")
    foreign = say(outsider_chat.created_by, outsider_chat, "чужое")
    response = client.get(chat.get_absolute_url(), {"at": foreign.pk})
    assert foreign.pk not in [m.pk for m in response.context["history"]]


def test_the_fts_table_follows_deleted_rows(member, other_member):
    chat = group(member, other_member)
    say(member, chat, "исчезающее слово")
    Message.objects.filter(chat=chat).delete()
    assert found(member, "исчезающее") == []
