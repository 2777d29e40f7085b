"""Status updates in a real browser: post, the ring appears live, open it, the author sees who."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from accounts.models import Contact
from accounts.tests.factories import UserFactory
from core.tests.helpers import photo_bytes, upload
from feed.models import StoryView
from feed.services import stories as services
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def off_the_loop(fn):
    """Set-up that publishes events runs in a thread of its own (Playwright holds this loop)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def still(page, name):
    """A screenshot of the viewer with its progress running (finished animations would advance
    it, which the helper's 'animations disabled' does)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_a_text_update_rings_live_is_opened_and_the_author_sees_the_viewer(signed_in):
    anna = UserFactory(display_name="Аня")
    olga = UserFactory(display_name="Оля")
    Contact.objects.create(owner=anna, person=olga)

    olgas_feed = signed_in(olga, path="/")
    expect(olgas_feed.locator("html")).to_have_attribute("data-realtime", "open")
    expect(olgas_feed.get_by_role("link", name="Добавить историю")).to_be_visible()

    annas = signed_in(anna, path="/")
    annas.get_by_role("link", name="Добавить историю").click()
    annas.get_by_label("Текст истории").fill("Пеку пироги, заходите")
    annas.locator('label[for="bg-violet"]').click()
    annas.get_by_label("Кто видит").select_option("contacts")
    annas.get_by_role("button", name="Поделиться").click()
    expect(annas).to_have_url(re.compile(r"/$"))
    expect(annas.get_by_role("link", name="Моя история")).to_be_visible()

    # Olga's open feed shows Anna's ring without a reload, in the accent colour: unseen.
    ring = olgas_feed.get_by_role("link", name="Аня: новая история")
    expect(ring).to_be_visible()
    expect(ring).to_have_class("story-ring story-ring--unseen")
    ring.click()
    viewer = olgas_feed.get_by_role("dialog", name="История: Аня")
    expect(viewer).to_be_visible()
    expect(viewer.get_by_text("Пеку пироги, заходите")).to_be_visible()
    for _ in range(50):
        if StoryView.objects.filter(viewer=olga).exists():
            break
        olgas_feed.wait_for_timeout(100)
    assert StoryView.objects.filter(viewer=olga).count() == 1
    # The one update played through: back on the feed, the ring is grey now.
    expect(olgas_feed.get_by_role("link", name="Аня: история просмотрена")).to_be_visible(
        timeout=10_000
    )

    annas.get_by_role("link", name="Моя история").click()
    annas.get_by_role("link", name="Просмотры").click()
    viewers = annas.get_by_role("list", name="Просмотры")
    expect(viewers.get_by_text("Оля")).to_be_visible()
    expect(annas.get_by_text("Просмотрел 1 человек")).to_be_visible()


def test_tapping_moves_between_updates_and_the_author_deletes_one(signed_in):
    anna = UserFactory(display_name="Аня")

    def scene():
        for text in ("Первая", "Вторая", "Третья"):
            services.post_story(author=anna, client_id=uuid.uuid4().hex, kind="text", text=text)

    off_the_loop(scene)
    page = signed_in(anna, path=f"/stories/member/{anna.pk}/")
    viewer = page.get_by_role("dialog")
    expect(viewer.get_by_text("Первая")).to_be_visible()
    page.get_by_role("button", name="Дальше").click()
    expect(viewer.get_by_text("Вторая")).to_be_visible()
    page.get_by_role("button", name="Дальше").click()
    expect(viewer.get_by_text("Третья")).to_be_visible()
    page.get_by_role("button", name="Назад").click()
    expect(viewer.get_by_text("Вторая")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    viewer.locator("article:not([hidden])").get_by_role("button", name="Удалить историю").click()
    expect(page.get_by_text("История удалена.")).to_be_visible()
    page.goto(f"/stories/member/{anna.pk}/")
    expect(page.get_by_role("dialog").get_by_text("Первая")).to_be_attached()
    expect(page.get_by_role("dialog").get_by_text("Вторая")).not_to_be_attached()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screens_of_the_row_and_the_viewer(signed_in, scheme, device, viewport):
    me = UserFactory(display_name="Мама")
    names = ["Бабушка Валя", "Папа", "Оля", "Коля", "Дедушка", "Тётя Маша", "Саша"]
    people = [UserFactory(display_name=name) for name in names]

    def scene():
        services.post_story(author=me, client_id="mine-0001", kind="text", text="Мы на даче")
        for i, person in enumerate(people):
            if i == 0:
                services.post_story(
                    author=person,
                    client_id="pushed-01",
                    kind="photo",
                    text="Первый снег",
                    photo=upload(photo_bytes(size=(900, 1600))),
                )
            background = ["teal", "violet", "orange", "blue", "pink", "green", "graphite"][i]
            story = services.post_story(
                author=person,
                client_id=f"text-{i:04}",
                kind="text",
                text="Пеку пироги с капустой, приходите к пяти",
                background=background,
            )
            if i >= 4:
                services.record_view(story=story, viewer=me)

    off_the_loop(scene)
    page = signed_in(me, viewport=viewport, color_scheme=scheme, path="/")
    expect(page.get_by_role("link", name="Бабушка Валя: новая история")).to_be_visible()
    screenshot(page, f"stories-row-{device}-{scheme}")

    page.get_by_role("link", name="Бабушка Валя: новая история").click()
    viewer = page.get_by_role("dialog")
    expect(viewer.get_by_text("Первый снег")).to_be_visible()
    page.keyboard.press(" ")  # pause, so the picture is of the first update
    page.wait_for_timeout(300)
    still(page, f"stories-viewer-photo-{device}-{scheme}")
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    expect(viewer.get_by_text("Пеку пироги с капустой")).to_be_visible()
    still(page, f"stories-viewer-text-{device}-{scheme}")

    page.goto("/stories/new/")
    screenshot(page, f"stories-new-{device}-{scheme}")
