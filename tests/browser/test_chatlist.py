"""The chat list in a real browser: live order and badges, folders, and how the pages around it
look."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from messaging import services
from messaging.models import Chat
from messaging.services import communities
from messaging.services import folders as folder_services
from messaging.tests.factories import group, say
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.helpers import off_the_loop

pytestmark = pytest.mark.django_db(transaction=True)


SEND = """async ([url, text]) => {
  const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  const body = new FormData();
  body.set("client_id", "browser-" + Math.random().toString(36).slice(2, 12));
  body.set("text", text);
  const response = await fetch(url, { method: "POST", body, headers: { "X-CSRFToken": token } });
  return response.status;
}"""


def test_a_new_message_moves_its_chat_to_the_top_with_a_badge_live(signed_in):
    me = UserFactory(display_name="Мама")
    dad = UserFactory(display_name="Папа")

    def scene():
        services.join_family_chat(user=me)
        direct = services.direct_chat(user=me, other=dad)
        say(dad, direct, "Утром")
        services.mark_read(user=me, chat=direct, seq=1)
        garden = group(me, dad, title="Дача")
        say(me, garden, "Поливать вечером")
        return direct, garden

    direct, garden = off_the_loop(scene)

    page = signed_in(me, path="/chats/")
    expect(page.locator("html")).to_have_attribute("data-realtime", "open")
    rows = page.locator("[data-chat-row]")
    expect(rows.first).to_have_attribute("data-chat-row", str(garden.pk))

    dads_tab = signed_in(dad, path="/chats/")
    status = dads_tab.evaluate(SEND, [f"/chats/{direct.pk}/send/", "Я уже еду"])
    assert status == 201

    expect(rows.first).to_have_attribute("data-chat-row", str(direct.pk))
    top = page.locator(f'[data-chat-row="{direct.pk}"]')
    expect(top.locator("[data-unread]")).to_have_text("1")
    expect(top).to_contain_text("Я уже еду")


def test_creating_a_folder_shows_a_tab_over_the_list(signed_in):
    me = UserFactory(display_name="Мама")
    dad = UserFactory(display_name="Папа")
    garden = off_the_loop(lambda: group(me, dad, title="Дача"))
    off_the_loop(lambda: say(dad, garden, "Огурцы выросли"))
    page = signed_in(me, viewport=PHONE, path="/chats/folders/")
    page.get_by_label("Название папки").fill("Дом")
    page.locator("label.switch-row", has_text="Все группы").click()
    page.get_by_role("button", name="Создать папку").click()
    expect(page.get_by_role("heading", name="Дом")).to_be_visible()
    page.goto("/chats/")
    tab = page.get_by_role("navigation", name="Папки с чатами").get_by_role("link", name="Дом")
    expect(tab).to_be_visible()
    tab.click()
    expect(page.locator("[data-chat-row]")).to_have_count(2)  # Дача and the family chat
    expect(tab).to_have_attribute("aria-current", "page")


def test_the_row_menu_mutes_a_chat(signed_in):
    me = UserFactory(display_name="Мама")
    dad = UserFactory(display_name="Папа")
    garden = off_the_loop(lambda: group(me, dad, title="Дача"))
    page = signed_in(me, path="/chats/")
    item = page.locator(f'[data-chat-item="{garden.pk}"]')
    item.get_by_label("Действия: Дача").click()
    item.get_by_role("button", name="8 часов").click()
    expect(item.locator(".chat-row__flag")).to_be_visible()


def _family_scene():
    me = UserFactory(display_name="Мама")
    dad = UserFactory(display_name="Папа")
    granny = UserFactory(display_name="Бабушка Валя")
    son = UserFactory(display_name="Миша")
    services.join_family_chat(user=me)
    family = services.family_chat()
    for person in (dad, granny, son):
        services.join_family_chat(user=person)
    say(granny, family, "Пирог с яблоками готов, приходите к бабушке!")
    garden = group(me, dad, granny, title="Дача")
    say(dad, garden, "Бабушка просила привезти рассаду")
    direct = services.direct_chat(user=me, other=son)
    say(son, direct, "Мам, я у бабушки, буду к ужину")
    say(son, direct, "Купить хлеба?")
    news = group(me, dad, granny, son, title="Новости семьи", kind=Chat.Kind.CHANNEL)
    services.update_chat(
        by=me,
        chat=news,
        title="Новости семьи",
        description="Главное за неделю: дни рождения, поездки, фотографии.",
    )
    say(me, news, "В субботу едем к бабушке на дачу")
    group(dad, title="Рыбалка", kind=Chat.Kind.CHANNEL)
    services.set_muted(user=me, chat=garden, duration="forever")
    services.set_chat_pinned(user=me, chat=family, pinned=True)
    folder_services.create_folder(user=me, name="Личные", include_direct=True)
    folder_services.create_folder(user=me, name="Семья", include_groups=True)
    folder_services.create_folder(user=me, name="Непрочитанные", unread_only=True)
    community = communities.create_community(
        by=me,
        title="Ивановы",
        description="Все ветки семьи Ивановых: праздники, дача и путешествия.",
    )
    communities.create_community_chat(
        by=me, community=community, title="Путешествия", kind=Chat.Kind.GROUP
    )
    communities.join_community(user=dad, community=community)
    return me, news, community


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_the_chat_list_and_around_it(signed_in, device, viewport, scheme):
    me, news, community = off_the_loop(_family_scene)
    page = signed_in(me, viewport=viewport, color_scheme=scheme, path="/chats/")
    expect(page.get_by_role("link", name="Личные")).to_be_visible()
    screenshot(page, f"chat-list-folders-{scheme}-{device}")
    page.locator("details[data-menu] > summary").first.click()
    screenshot(page, f"chat-list-new-menu-{scheme}-{device}")
    page.goto(f"/chats/{news.pk}/info/")
    expect(page.get_by_role("heading", name="Новости семьи")).to_be_visible()
    screenshot(page, f"channel-info-{scheme}-{device}")
    page.goto("/chats/directory/")
    screenshot(page, f"channel-directory-{scheme}-{device}")
    page.goto(community.get_absolute_url())
    screenshot(page, f"community-{scheme}-{device}")
    page.goto("/chats/search/?q=бабушка")
    expect(page.locator("mark").first).to_be_visible()
    screenshot(page, f"search-results-{scheme}-{device}")
    page.goto("/chats/new/group/")
    screenshot(page, f"new-group-{scheme}-{device}")
    page.goto("/chats/folders/")
    screenshot(page, f"chat-folders-{scheme}-{device}")
