"""Stickers in real browsers: one tap sends one sticker, it animates for the other member (and
rests under reduced motion), a pack seen in a chat is added to one's own picker, and how the
picker and a chat full of stickers look."""

import re

import pytest
from playwright.sync_api import expect

from messaging import services
from messaging.models import MemberStickerPack, Message
from messaging.services import stickers
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.helpers import off_the_loop

pytestmark = pytest.mark.django_db(transaction=True)


def sticker_button(page):
    return page.get_by_role("button", name="Стикеры", exact=True)


def frames_advance(page, locator, samples: int = 10) -> bool:
    """The player's drawing changes over time: the frames really advance."""
    seen = set()
    for _ in range(samples):
        seen.add(locator.evaluate("(node) => node.innerHTML"))
        page.wait_for_timeout(120)
    return len(seen) > 2


def test_one_tap_sends_one_sticker_and_it_animates_for_the_other_member(
    signed_in, member, other_member
):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    grandma = signed_in(member, path=chat.get_absolute_url())
    dad = signed_in(other_member, path=chat.get_absolute_url())
    for page in (grandma, dad):
        expect(page.locator("html[data-realtime='open']")).to_be_attached()

    sticker_button(grandma).click()
    picker = grandma.get_by_role("dialog", name="Стикеры")
    expect(picker).to_be_visible()
    # Search in Russian finds the sun; a double tap still sends one sticker.
    picker.get_by_role("searchbox", name="Поиск стикеров").fill("солнц")
    results = picker.locator("[data-sticker-results]")
    expect(results).to_be_visible()
    sun = results.get_by_role("button", name=re.compile("Отправить стикер: солнце"))
    expect(sun).to_have_count(1)
    expect(sun).to_be_visible()
    sun.dblclick()
    expect(picker).to_be_hidden()

    received = dad.locator(".msg--sticker [data-sticker]")
    expect(received).to_have_count(1)
    expect(received).to_have_attribute("data-state", "playing")
    expect(received.locator("svg")).to_be_attached()
    assert frames_advance(dad, received)
    assert Message.objects.filter(chat=chat, sticker__isnull=False).count() == 1
    expect(grandma.locator(".msg--sticker")).to_have_count(1)

    # After three loops it rests; a tap plays it again (and shows its pack).
    expect(received).to_have_attribute("data-state", "resting", timeout=10_000)
    dad.get_by_role("button", name="Стикер: показать его набор").click()
    expect(received).to_have_attribute("data-state", "playing")
    sheet = dad.locator("dialog.sticker-sheet")
    expect(sheet).to_contain_text("Всегда в ваших стикерах")

    # The next time the picker opens, the sun is first among the recent ones.
    sticker_button(grandma).click()
    expect(grandma.get_by_role("tab", name="Недавние")).to_have_attribute("aria-selected", "true")
    sticker_button(grandma).click()

    # A sticker's menu has no text to copy or edit; a text message's menu still has both.
    grandma.locator(".msg--sticker").click(button="right")
    menu = grandma.locator("#message-menu")
    expect(menu.get_by_role("button", name="Ответить")).to_be_visible()
    expect(menu.get_by_role("button", name="Изменить")).to_be_hidden()
    expect(menu.get_by_role("button", name="Копировать текст")).to_be_hidden()
    grandma.keyboard.press("Escape")
    grandma.get_by_role("textbox", name="Сообщение").fill("Солнышко!")
    grandma.keyboard.press("Enter")
    grandma.locator(".msg:not(.msg--pending)", has_text="Солнышко!").click(button="right")
    expect(menu.get_by_role("button", name="Изменить")).to_be_visible()
    expect(menu.get_by_role("button", name="Копировать текст")).to_be_visible()


def test_under_reduced_motion_a_sticker_stays_still(signed_in, member, other_member):
    def sent():
        chat = services.direct_chat(user=member, other=other_member)
        sticker = stickers.ensure_default_pack().stickers.first()
        stickers.send_sticker(sender=member, chat=chat, client_id="still-0001", sticker=sticker)
        return chat

    chat = off_the_loop(sent)
    dad = signed_in(other_member, path="/")
    dad.emulate_media(reduced_motion="reduce")
    dad.goto(chat.get_absolute_url())
    still = dad.locator(".msg--sticker [data-sticker]")
    expect(still.locator("svg")).to_be_attached()
    expect(still).to_have_attribute("data-state", "resting")
    assert not frames_advance(dad, still)


def test_a_pack_seen_in_a_chat_is_added_to_ones_own_picker(signed_in, member, other_member):
    from messaging.tests.sticker_files import animated, upload, webm

    def shared():
        chat = services.direct_chat(user=member, other=other_member)
        pack = stickers.create_pack(
            by=member,
            title="Дача",
            uploads=[upload(animated("GIF"), "dacha.gif"), upload(webm(), "dacha.webm")],
        )
        for n, sticker in enumerate(pack.stickers.all()):
            stickers.send_sticker(
                sender=member, chat=chat, client_id=f"pack-share-0{n}", sticker=sticker
            )
        return chat, pack

    chat, pack = off_the_loop(shared)
    dad = signed_in(other_member, path=chat.get_absolute_url())
    # The GIF came as an animated WebP picture, the WebM as a muted video: both play.
    picture = dad.locator(".msg--sticker img[data-sticker]")
    expect(picture).to_have_attribute("data-state", "playing")
    assert picture.evaluate("(img) => img.src.endsWith('.webp') && img.complete") is not None
    video = dad.locator(".msg--sticker video[data-sticker]")
    expect(video).to_have_attribute("data-state", "playing")
    dad.wait_for_function(
        "(v) => v.muted && !v.paused && v.currentTime > 0.1", arg=video.element_handle()
    )
    dad.get_by_role("button", name="Стикер: показать его набор").first.click()
    sheet = dad.locator("dialog.sticker-sheet")
    expect(sheet).to_contain_text("Дача")
    dad.wait_for_timeout(500)
    screenshot(dad, "stickers-pack-sheet-light-desktop")
    sheet.get_by_role("button", name="Добавить в мои стикеры").click()
    expect(sheet.get_by_role("button", name="В ваших стикерах")).to_be_visible()
    assert MemberStickerPack.objects.filter(user=other_member, pack=pack).exists()
    sheet.get_by_role("button", name="Закрыть").click()
    sticker_button(dad).click()
    expect(dad.get_by_role("tab", name="Дача")).to_be_visible()


def test_in_a_chat_of_dozens_of_stickers_only_those_on_screen_play(signed_in, member, other_member):
    def many():
        chat = services.direct_chat(user=member, other=other_member)
        pack = list(stickers.ensure_default_pack().stickers.all())
        for n in range(36):
            stickers.send_sticker(
                sender=member, chat=chat, client_id=f"many-st-{n:03}", sticker=pack[n % len(pack)]
            )
        return chat

    chat = off_the_loop(many)
    dad = signed_in(other_member, viewport=PHONE, path=chat.get_absolute_url())
    players = dad.locator(".msg--sticker [data-sticker]")
    expect(players).to_have_count(36)
    # The chat opens at the first unread sticker: those in view play, the rest wait.
    expect(players.first).to_have_attribute("data-state", "playing")
    playing = dad.locator(".msg--sticker [data-sticker][data-state='playing']")
    assert 1 <= playing.count() <= 6
    # Scrolled to the end: the ones that left the screen pause, the new ones in view play.
    dad.locator("[data-chat-scroll]").evaluate("(box) => { box.scrollTop = box.scrollHeight; }")
    expect(players.first).to_have_attribute("data-state", "paused")
    expect(players.last).to_have_attribute("data-state", "playing")
    assert 1 <= playing.count() <= 6
    # Only what is on screen has been drawn at all: lottie-web was not started for the rest.
    drawn = dad.locator(".msg--sticker [data-sticker] > svg").count()
    assert drawn < 20


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_the_picker_and_a_chat_with_stickers(
    signed_in, member, other_member, device, viewport, scheme
):
    def chat_with_stickers():
        chat = services.direct_chat(user=member, other=other_member)
        pack = stickers.ensure_default_pack()
        by_slug = {s.static_file.rsplit("/", 1)[-1][:-5]: s for s in pack.stickers.all()}
        lines = [
            (other_member, "Бабушка, с днём рождения!"),
            (other_member, by_slug["birthday"]),
            (member, "Спасибо, мои хорошие"),
            (member, by_slug["love"]),
            (other_member, by_slug["hug"]),
        ]
        for n, (who, what) in enumerate(lines):
            client_id = f"shot-st-{n}-{scheme}-{device}"
            if isinstance(what, str):
                services.send_message(sender=who, chat=chat, client_id=client_id, text=what)
            else:
                stickers.send_sticker(sender=who, chat=chat, client_id=client_id, sticker=what)
        return chat

    chat = off_the_loop(chat_with_stickers)
    page = signed_in(member, viewport=viewport, color_scheme=scheme, path=chat.get_absolute_url())
    expect(page.locator(".msg--sticker [data-sticker] > svg")).to_have_count(3)
    page.wait_for_timeout(700)
    screenshot(page, f"stickers-chat-{scheme}-{device}")
    sticker_button(page).click()
    page.get_by_role("tab", name="Toricy").click()
    expect(page.locator(".sticker-picker [data-sticker] > svg").nth(8)).to_be_attached()
    page.wait_for_timeout(900)
    screenshot(page, f"stickers-picker-{scheme}-{device}")
