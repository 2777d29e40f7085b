"""The bell counts live; the list reads well and opening one marks it read."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from notifications import services
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.helpers import off_the_loop

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bell_follows_reads_on_another_device_live_and_the_list_marks_read(signed_in):
    # The live server is a process of its own: notifications made here reach it through the
    # database only; what it publishes (a read on the other device) comes back over the socket.
    me = UserFactory(display_name="Аня")
    dad = UserFactory(display_name="Папа")

    def scene():
        services.notify(me, "comment", actor=dad, url="/", text="Какие пироги!", key="comment:1")
        services.notify(me, "mention", actor=dad, url="/chats/", key="m:1")
        services.notify(me, "like", actor=dad, url="/", key="like:1")

    off_the_loop(scene)

    phone = signed_in(me, path="/chats/")
    expect(phone.locator("html")).to_have_attribute("data-realtime", "open")
    badge = phone.locator("[data-bell-count]")
    expect(badge).to_have_text("3")

    laptop = signed_in(me, path="/")
    laptop.get_by_role("link", name=re.compile("^Уведомления")).click()
    items = laptop.get_by_role("list", name="Уведомления").get_by_role("listitem")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("Папа: нравится ваш пост")
    expect(items.nth(1)).to_contain_text("Папа упоминает вас")
    expect(items.nth(2)).to_contain_text("Папа комментирует ваш пост")
    expect(items.nth(2)).to_contain_text("Какие пироги!")

    items.nth(1).get_by_role("link").click()
    expect(laptop).to_have_url(re.compile("/chats/$"))
    expect(laptop.locator("[data-bell-count]")).to_have_text("2")
    expect(badge).to_have_text("2")  # the other device, without a reload

    laptop.goto("/notifications/")
    expect(laptop.locator(".notification.is-unread")).to_have_count(2)
    laptop.get_by_role("button", name="Прочитать все").click()
    expect(laptop.locator(".notification.is-unread")).to_have_count(0)
    expect(laptop.locator("[data-bell-count]")).to_be_hidden()
    expect(badge).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screens_of_the_notifications_list(signed_in, scheme, device, viewport):
    me = UserFactory(display_name="Мама")
    gran = UserFactory(display_name="Бабушка Валя")
    dad = UserFactory(display_name="Папа")

    def scene():
        services.notify(me, "like", actor=gran, url="/", text="Первый снег на даче", key="a")
        services.notify(me, "moderation", url="/", key="b")
        services.mark_read(me)
        services.notify(me, "reply", actor=dad, url="/", text="Я тоже приеду в субботу", key="c")
        services.notify(
            me,
            "comment",
            actor=gran,
            url="/",
            text="Какие красивые пироги! Напиши рецепт, я тоже хочу такие испечь к празднику",
            key="d",
        )
        services.notify(me, "mention", actor=dad, url="/", text="@mama, ты видела?", key="e")

    off_the_loop(scene)
    page = signed_in(me, viewport=viewport, color_scheme=scheme, path="/notifications/")
    expect(page.locator("[data-bell-count]")).to_have_text("3")
    screenshot(page, f"notifications-{device}-{scheme}")
