"""The app shell as a family member meets it, in a real browser."""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


def publish_from_a_service(user_ids, event):
    """Publish as a view or task would: from a thread of its own (Playwright owns this one)."""
    from core import realtime

    def run():
        try:
            realtime.publish(user_ids, event)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


def wait_for(page, expression: str, expected, timeout: float = 15):
    """Poll a value in the page (the page's CSP forbids Playwright's eval-based waits)."""
    deadline = time.monotonic() + timeout
    while (value := page.evaluate(expression)) != expected:
        assert time.monotonic() < deadline, f"{expression} stayed {value!r}, expected {expected!r}"
        time.sleep(0.1)


def test_a_member_signs_in_and_walks_through_every_section(page, site):
    UserFactory(username="grandma", display_name="Бабушка Валя")
    page.goto(site.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email, телефон или имя пользователя").fill("grandma")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти", exact=True).click()
    expect(page.get_by_role("heading", name="Лента")).to_be_visible()
    nav = page.get_by_role("navigation", name="Разделы")
    for label, heading in [
        ("Чаты", "Чаты"),
        ("Звонки", "Звонки"),
        ("Контакты", "Контакты"),
        ("Профиль", "Профиль"),
        ("Лента", "Лента"),
    ]:
        nav.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )


def test_on_a_phone_the_navigation_sits_at_the_bottom_within_reach(signed_in):
    member = UserFactory()
    page = signed_in(member, viewport=PHONE)
    nav = page.get_by_role("navigation", name="Разделы")
    box = nav.bounding_box()
    assert box["y"] + box["height"] >= PHONE["height"] - 1
    for link in nav.get_by_role("link").all():
        target = link.bounding_box()
        assert target["height"] >= 44 and target["width"] >= 44


def test_a_member_sees_another_come_online_and_leave_live(signed_in):
    watcher = UserFactory(display_name="Мама")
    grandma = UserFactory(display_name="Бабушка Валя")
    page = signed_in(watcher, path="/contacts/")
    line = page.locator(f'[data-presence-user="{grandma.pk}"]')
    expect(line).not_to_have_text("в сети")
    other = signed_in(grandma, path="/")
    expect(line).to_have_text("в сети")
    other.context.close()
    expect(line).to_have_text("был(а) только что")


def test_appearance_applies_at_once_and_follows_the_member_to_another_device(signed_in):
    """Theme, accent colour and text size: applied on the spot, and on the next device too."""
    member = UserFactory()
    phone = signed_in(member, viewport=PHONE, path="/me/settings/")
    html = phone.locator("html")
    expect(html).to_have_attribute("data-theme", "system")
    font_size = "getComputedStyle(document.querySelector('.header__title, h1')).fontSize"
    default_size = phone.evaluate(f"() => {font_size}")
    phone.get_by_text("Тёмная", exact=True).click()
    expect(html).to_have_attribute("data-theme", "dark")
    phone.locator('label[for="accent-violet"]').click()
    expect(html).to_have_attribute("data-accent", "violet")
    phone.get_by_text("Огромный", exact=True).click()
    expect(html).to_have_attribute("data-text-size", "xl")
    background = phone.evaluate("getComputedStyle(document.body).backgroundColor")
    accent = phone.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--accent')"
    )
    assert accent.strip() == "#7048c8"  # the violet of the dark palette
    deadline = time.monotonic() + 10
    while (member.__class__.objects.get(pk=member.pk).text_size) != "xl":
        assert time.monotonic() < deadline, "the text size was not saved"
        time.sleep(0.1)
    # Saved on the server: after a reload, and on a second device.
    phone.reload()
    expect(phone.locator("html")).to_have_attribute("data-accent", "violet")
    laptop = signed_in(member, viewport=DESKTOP, path="/me/settings/")
    root = laptop.locator("html")
    expect(root).to_have_attribute("data-theme", "dark")
    expect(root).to_have_attribute("data-accent", "violet")
    expect(root).to_have_attribute("data-text-size", "xl")
    assert laptop.evaluate("getComputedStyle(document.body).backgroundColor") == background
    larger = laptop.evaluate(f"() => {font_size}")
    assert float(larger.removesuffix("px")) > float(default_size.removesuffix("px"))


SHELL = [
    ("feed", "/"),
    ("chats", "/chats/"),
    ("calls", "/calls/"),
    ("contacts", "/contacts/"),
    ("profile", "/me/"),
    ("settings", "/me/settings/"),
    ("privacy", "/me/privacy/"),
    ("status", "/me/status/"),
    ("edit-profile", "/me/edit/"),
    ("security", "/me/security/"),
    ("styleguide", "/styleguide/"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_the_shell(signed_in, device, viewport, scheme):
    owner = UserFactory(display_name="Мама", is_staff=True, is_superuser=True)
    for name in ["Бабушка Валя", "Папа", "Маша", "Дедушка Коля"]:
        UserFactory(display_name=name)
    page = signed_in(owner, viewport=viewport, color_scheme=scheme)
    for name, path in SHELL:
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        page.evaluate("document.fonts.ready")
        screenshot(page, f"shell-{name}-{device}-{scheme}", full_page=name == "styleguide")


def test_a_member_frames_their_photo_as_a_square(signed_in, tmp_path):
    from PIL import Image

    member = UserFactory(display_name="Маша")
    photo = tmp_path / "me.jpg"
    Image.new("RGB", (800, 600), (30, 140, 90)).save(photo)
    page = signed_in(member, viewport=PHONE, path="/me/")
    page.locator('input[type="file"][name="avatar"]').set_input_files(str(photo))
    dialog = page.get_by_role("dialog", name="Выберите квадрат")
    expect(dialog).to_be_visible()
    expect(dialog.locator("cropper-selection")).to_be_visible()
    screenshot(page, "profile-crop-phone-light")
    dialog.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status").filter(has_text="Фото обновлено")).to_be_visible()
    portrait = page.locator(".person .avatar img")
    expect(portrait).to_have_attribute("alt", "Маша")
    size = (
        "() => { const i = document.querySelector('.person .avatar img');"
        " return [i.naturalWidth, i.naturalHeight]; }"
    )
    wait_for(page, size, [512, 512])
