"""Voice messages in real browsers: recorded from Chromium's fake microphone (a steady beep),
sent through the outbox, played in the other member's browser with its waveform, the unplayed dot
gone for the sender too; and how the recorder and the bubbles look."""

import subprocess
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from messaging import services
from messaging.models import Attachment, Message, VoiceListen
from messaging.services import attachments, voice
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.helpers import off_the_loop

pytestmark = pytest.mark.django_db(transaction=True)


def open_tab(browser, site, user, session_cookie, *, path, viewport=DESKTOP, scheme="light"):
    context = browser.new_context(
        viewport=viewport,
        color_scheme=scheme,
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        base_url=site.url,
    )
    context.add_cookies([session_cookie(user, site.url)])
    page = context.new_page()
    page.goto(path)
    page.locator("html[data-realtime='open']").wait_for(state="attached")
    return page


def mic(page):
    return page.get_by_role("button", name="Записать голосовое сообщение")


def hold_and_record(page, seconds: float, *, slide: int = 0):
    """Press the microphone with the mouse, hold it, (slide left,) let go."""
    box = mic(page).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    expect(page.locator("[data-recorder]")).to_be_visible()
    time.sleep(seconds)
    if slide:
        page.mouse.move(x - slide, y, steps=8)
    page.mouse.up()


def test_a_voice_message_recorded_in_one_browser_plays_in_the_other(
    media_browser, site, session_cookie, member, other_member
):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    grandma = open_tab(media_browser, site, member, session_cookie, path=chat.get_absolute_url())
    dad = open_tab(media_browser, site, other_member, session_cookie, path=chat.get_absolute_url())

    # The microphone stands where Send is while the text box is empty.
    expect(mic(grandma)).to_be_visible()
    expect(grandma.get_by_role("button", name="Отправить", exact=True)).to_be_hidden()
    grandma.get_by_role("textbox", name="Сообщение").fill("а")
    expect(mic(grandma)).to_be_hidden()
    grandma.get_by_role("textbox", name="Сообщение").fill("")
    expect(mic(grandma)).to_be_visible()

    hold_and_record(grandma, 2.5)

    heard = dad.locator(".msg [data-voice]")
    expect(heard).to_have_count(1)
    expect(heard.locator(".voice__bars").first.locator("rect")).to_have_count(48)
    expect(heard).to_have_class(lambda_has("voice--unplayed"))
    attachment = Attachment.objects.get(message__chat=chat)
    assert attachment.kind == "voice" and 1.8 <= attachment.duration <= 3.5
    # The fake microphone beeps: the waveform is not flat silence.
    assert max(attachment.waveform) == 100

    mine = grandma.locator(".msg--mine [data-voice]")
    expect(mine).to_have_class(lambda_has("voice--unplayed"))

    heard.get_by_role("button", name="Воспроизвести").click()
    expect(heard).to_have_class(lambda_has("voice--playing"))
    expect(heard).not_to_have_class(lambda_has("voice--unplayed"))
    # Grandma's dot goes as soon as dad listens (a live event, no reload).
    expect(mine).not_to_have_class(lambda_has("voice--unplayed"))
    # Faster, then to the end.
    heard.get_by_role("button", name="Скорость воспроизведения").click()
    expect(heard.get_by_role("button", name="Скорость воспроизведения")).to_have_text("1.5x")
    expect(heard).not_to_have_class(lambda_has("voice--playing"), timeout=10000)
    assert VoiceListen.objects.filter(message=attachment.message, user=other_member).count() == 1

    # Seeking by tapping the waveform: the second half.
    wave = heard.locator("[data-voice-wave]")
    box = wave.bounding_box()
    dad.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    expect(heard).to_have_class(lambda_has("voice--playing"))
    progress = float(heard.evaluate("node => node.style.getPropertyValue('--progress')") or 0)
    assert progress >= 0.6
    assert Message.objects.filter(chat=chat).count() == 1


def lambda_has(name):
    """A class-attribute matcher for `to_have_class`: the class is among the element's."""
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def test_tap_to_record_hands_free_slide_to_cancel_and_the_bin(
    media_browser, site, session_cookie, member, other_member
):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    grandma = open_tab(media_browser, site, member, session_cookie, path=chat.get_absolute_url())

    # Sliding left while holding throws the recording away.
    hold_and_record(grandma, 1.2, slide=160)
    expect(grandma.locator("[data-recorder]")).to_be_hidden()

    # A tap records hands-free; the bin throws it away.
    mic(grandma).click()
    send = grandma.get_by_role("button", name="Отправить голосовое сообщение")
    expect(send).to_be_visible()
    time.sleep(1)
    grandma.get_by_role("button", name="Удалить запись").click()
    expect(grandma.locator("[data-recorder]")).to_be_hidden()
    time.sleep(0.5)
    assert not Message.objects.filter(chat=chat).exists()

    # From the keyboard too: Enter on the microphone, then Send.
    mic(grandma).focus()
    grandma.keyboard.press("Enter")
    expect(send).to_be_visible()
    expect(grandma.locator("[data-recorder-time]")).to_have_text("0:01", timeout=3000)
    send.click()
    expect(grandma.locator(".msg--mine [data-voice]")).to_have_count(1)
    assert Message.objects.filter(chat=chat).count() == 1


def test_a_voice_message_recorded_offline_is_sent_once_when_back_online(
    media_browser, site, session_cookie, member, other_member
):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    grandma = open_tab(media_browser, site, member, session_cookie, path=chat.get_absolute_url())
    grandma.context.set_offline(True)
    hold_and_record(grandma, 1.5)
    expect(grandma.locator(".msg--pending")).to_have_count(1)
    expect(grandma.locator(".msg--pending")).to_contain_text("Голосовое сообщение")
    time.sleep(0.5)
    assert not Message.objects.filter(chat=chat).exists()

    # Reloaded before it could be sent: the recording waits in the outbox (IndexedDB). The
    # route goes first: coming back online flushes the outbox at once.
    grandma.route("**/send/", lambda route: route.abort())
    grandma.context.set_offline(False)
    grandma.reload()
    expect(grandma.locator(".msg--pending")).to_have_count(1)
    grandma.unroute("**/send/")
    grandma.reload()
    expect(grandma.locator(".msg--mine [data-voice]")).to_have_count(1)
    expect(grandma.locator(".msg--pending")).to_have_count(0)
    grandma.evaluate("window.dispatchEvent(new Event('online'))")
    time.sleep(0.5)
    assert Message.objects.filter(chat=chat).count() == 1
    assert Attachment.objects.get(message__chat=chat).kind == "voice"


# --- How it looks -------------------------------------------------------------------------------
def beep(tmp_path, name, seconds, frequency):
    path = tmp_path / name
    source = (
        f"aevalsrc='0.8*sin(2*PI*{frequency}*t)*(0.35+0.65*abs(sin(2.3*t)))*abs(sin(0.9*t+1))'"
        f":d={seconds}"
    )
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source]
        + ["-c:a", "libopus", str(path)],
        check=True,
    )
    return SimpleUploadedFile(name, path.read_bytes(), content_type="audio/webm")


def send_voice(sender, chat, upload, client_id):
    prepared = [voice.prepare(upload)]
    message, _created = services.send_message(
        sender=sender,
        chat=chat,
        client_id=client_id,
        attach=lambda stored: attachments.attach(stored, prepared),
    )
    return message


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_voice_messages_and_the_recorder(
    media_browser, site, session_cookie, member, other_member, tmp_path, device, viewport, scheme
):
    def conversation():
        chat = services.direct_chat(user=member, other=other_member)
        services.send_message(
            sender=other_member, chat=chat, client_id="shot-text-1", text="Бабушка, как доехала?"
        )
        first = send_voice(member, chat, beep(tmp_path, "a.webm", 7, 330), "shot-voice-1")
        send_voice(other_member, chat, beep(tmp_path, "b.webm", 12, 440), "shot-voice-2")
        send_voice(other_member, chat, beep(tmp_path, "c.webm", 4, 520), "shot-voice-3")
        send_voice(member, chat, beep(tmp_path, "d.webm", 23, 280), "shot-voice-4")
        # Dad has heard grandma's first one; grandma has heard dad's first one.
        VoiceListen.objects.create(message=first, user=other_member)
        heard = Message.objects.get(client_id="shot-voice-2")
        VoiceListen.objects.create(message=heard, user=member)
        return chat

    chat = off_the_loop(conversation)
    grandma = open_tab(
        media_browser,
        site,
        member,
        session_cookie,
        path=chat.get_absolute_url(),
        viewport=viewport,
        scheme=scheme,
    )
    voices = grandma.locator("[data-voice]")
    expect(voices).to_have_count(4)
    # Played: grandma's first (dad heard it) and dad's first; unplayed: the other two.
    expect(grandma.locator(".voice--unplayed")).to_have_count(2)
    # One of them half played and paused, as a member leaves it.
    voices.nth(1).get_by_role("button", name="Воспроизвести").click()
    expect(voices.nth(1)).to_have_class(lambda_has("voice--playing"))
    time.sleep(1.2)
    voices.nth(1).get_by_role("button", name="Пауза").click()
    screenshot(grandma, f"voice-bubbles-{device}-{scheme}")

    box = mic(grandma).bounding_box()
    grandma.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    grandma.mouse.down()
    expect(grandma.locator("[data-recorder-time]")).to_have_text("0:02", timeout=5000)
    screenshot(grandma, f"voice-recording-{device}-{scheme}")
    grandma.mouse.move(box["x"] - 200, box["y"] + box["height"] / 2, steps=5)
    grandma.mouse.up()
    mic(grandma).click()
    expect(grandma.get_by_role("button", name="Отправить голосовое сообщение")).to_be_visible()
    time.sleep(1.2)
    screenshot(grandma, f"voice-recording-hands-free-{device}-{scheme}")
    grandma.get_by_role("button", name="Удалить запись").click()


def test_the_next_unplayed_voice_message_plays_on_by_itself(
    media_browser, site, session_cookie, member, other_member, tmp_path
):
    def three_notes():
        chat = services.direct_chat(user=member, other=other_member)
        for n, frequency in enumerate((300, 400, 500)):
            send_voice(
                other_member, chat, beep(tmp_path, f"{n}.webm", 1.2, frequency), f"on-{n}-xxxx"
            )
        return chat

    chat = off_the_loop(three_notes)
    grandma = open_tab(media_browser, site, member, session_cookie, path=chat.get_absolute_url())
    voices = grandma.locator("[data-voice]")
    expect(grandma.locator(".voice--unplayed")).to_have_count(3)
    # The second one was heard already (on another device): it is skipped.
    second = Message.objects.get(client_id="on-1-xxxx")
    off_the_loop(lambda: VoiceListen.objects.create(message=second, user=member))
    grandma.reload()
    expect(grandma.locator(".voice--unplayed")).to_have_count(2)

    voices.nth(0).get_by_role("button", name="Воспроизвести").click()
    expect(voices.nth(0)).to_have_class(lambda_has("voice--playing"))
    expect(voices.nth(2)).to_have_class(lambda_has("voice--playing"), timeout=8000)
    expect(voices.nth(1)).not_to_have_class(lambda_has("voice--playing"))
    expect(grandma.locator(".voice--unplayed")).to_have_count(0)
    expect(voices.nth(2)).not_to_have_class(lambda_has("voice--playing"), timeout=8000)
    assert VoiceListen.objects.filter(user=member).count() == 3


def test_on_a_phone_a_finger_holds_to_record_and_a_tap_records_hands_free(
    media_browser, site, session_cookie, member, other_member
):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    context = media_browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, locale="ru-RU", base_url=site.url
    )
    context.add_cookies([session_cookie(member, site.url)])
    phone = context.new_page()
    phone.goto(chat.get_absolute_url())
    phone.locator("html[data-realtime='open']").wait_for(state="attached")
    box = mic(phone).bounding_box()
    point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    # A real touch: finger down on the microphone, held, lifted.
    touch = context.new_cdp_session(phone)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    expect(phone.locator("[data-recorder]")).to_be_visible()
    time.sleep(1.5)
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(phone.locator(".msg--mine [data-voice]")).to_have_count(1)

    # A tap: hands-free until Send.
    phone.touchscreen.tap(point["x"], point["y"])
    send = phone.get_by_role("button", name="Отправить голосовое сообщение")
    expect(send).to_be_visible()
    time.sleep(1.2)
    send.tap()
    expect(phone.locator(".msg--mine [data-voice]")).to_have_count(2)
    assert Message.objects.filter(chat=chat).count() == 2
    context.close()
