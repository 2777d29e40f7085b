"""Two members chatting in two real browsers: live messages, typing, ticks, reactions, the outbox
while offline, and how the chat looks."""

import pytest
from playwright.sync_api import expect

from messaging import services
from messaging.models import Message
from messaging.tests.factories import group
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.helpers import off_the_loop

pytestmark = pytest.mark.django_db(transaction=True)


def composer(page):
    return page.get_by_role("textbox", name="Сообщение")


def bubble(page, text):
    return page.locator(".msg", has_text=text)


def test_two_members_chat_live_with_typing_ticks_and_a_reaction(signed_in, member, other_member):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    grandma = signed_in(member, path=chat.get_absolute_url())
    dad = signed_in(other_member, path=chat.get_absolute_url())
    for page in (grandma, dad):
        expect(page.locator("html[data-realtime='open']")).to_be_attached()

    composer(grandma).press_sequentially("Ужинать будешь?")
    expect(dad.locator("[data-typing-target]")).to_contain_text("печатает")
    composer(grandma).press("Enter")

    expect(bubble(dad, "Ужинать будешь?")).to_have_count(1)
    mine = bubble(grandma, "Ужинать будешь?")
    # Dad has the chat open and in view: grandma's ticks turn to "read".
    expect(mine.locator(".msg__ticks")).to_have_attribute("data-state", "read")

    composer(dad).fill("Буду, через час")
    dad.get_by_role("button", name="Отправить").click()
    expect(bubble(grandma, "Буду, через час")).to_have_count(1)

    # Grandma reacts with a heart; dad sees it on his message.
    bubble(grandma, "Буду, через час").click(button="right")
    grandma.get_by_role("button", name="Люблю").click()
    expect(bubble(dad, "Буду, через час").locator(".reaction")).to_contain_text("1")
    assert Message.objects.filter(chat=chat).count() == 2


def test_messages_written_offline_arrive_once_and_in_order(signed_in, member, other_member):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    grandma = signed_in(member, path=chat.get_absolute_url())
    dad = signed_in(other_member, path=chat.get_absolute_url())
    expect(grandma.locator("html[data-realtime='open']")).to_be_attached()

    grandma.context.set_offline(True)
    for text in ("Первое", "Второе", "Третье"):
        composer(grandma).fill(text)
        composer(grandma).press("Enter")
    expect(grandma.locator(".msg--pending")).to_have_count(3)
    assert Message.objects.filter(chat=chat).count() == 0

    grandma.context.set_offline(False)
    grandma.evaluate("window.dispatchEvent(new Event('online'))")
    expect(grandma.locator(".msg--pending")).to_have_count(0)
    texts = dad.locator(".msg .msg__text")
    expect(texts).to_have_text(["Первое", "Второе", "Третье"])
    stored = list(Message.objects.filter(chat=chat).order_by("seq").values_list("text", flat=True))
    assert stored == ["Первое", "Второе", "Третье"]


def test_a_message_left_in_the_outbox_is_sent_after_a_reload(signed_in, member, other_member):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    grandma = signed_in(member, path=chat.get_absolute_url())
    expect(grandma.locator("html[data-realtime='open']")).to_be_attached()
    grandma.context.set_offline(True)
    composer(grandma).fill("Не потеряйся")
    composer(grandma).press("Enter")
    expect(grandma.locator(".msg--pending")).to_have_count(1)
    grandma.context.set_offline(False)
    # The tab is reloaded before it had a chance to send: the outbox still has it.
    grandma.route("**/send/", lambda route: route.abort())
    grandma.reload()
    grandma.unroute("**/send/")
    grandma.reload()
    expect(bubble(grandma, "Не потеряйся")).to_have_count(1)
    expect(grandma.locator(".msg--pending")).to_have_count(0)
    assert Message.objects.filter(chat=chat, text="Не потеряйся").count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_a_busy_group_chat(
    signed_in, member, other_member, device, viewport, scheme
):
    from accounts.tests.factories import UserFactory

    def busy():
        aunt = UserFactory(display_name="Тётя Оля")
        chat = group(member, other_member, aunt, title="Дача")
        lines = [
            (other_member, "Кто едет в субботу на дачу?"),
            (aunt, "Мы с Мишей едем, возьмём пирог"),
            (aunt, "И рассаду для бабушки"),
            (member, "Я тоже! Привезу **яблоки** и банки для варенья"),
            (other_member, "Отлично. Выезжаем в 9:00, адрес: https://example.org/dacha"),
            (member, "Договорились"),
        ]
        previous = None
        for n, (who, text) in enumerate(lines):
            message, _ = services.send_message(
                sender=who,
                chat=chat,
                client_id=f"shot-{chat.pk}-{n}-xx",
                text=text,
                reply_to=previous if n == 5 else None,
            )
            previous = message
            if n == 3:
                services.toggle_reaction(user=other_member, message=message, icon="heart")
                services.toggle_reaction(user=aunt, message=message, icon="heart")
        return chat

    chat = off_the_loop(busy)
    page = signed_in(member, viewport=viewport, color_scheme=scheme, path=chat.get_absolute_url())
    expect(bubble(page, "Договорились")).to_be_visible()
    screenshot(page, f"chat-group-{scheme}-{device}")


def test_a_photo_sent_in_a_chat_appears_for_the_other_member(signed_in, member, other_member):
    from core.tests.helpers import photo_bytes

    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    grandma = signed_in(member, path=chat.get_absolute_url())
    dad = signed_in(other_member, path=chat.get_absolute_url())
    expect(dad.locator("html[data-realtime='open']")).to_be_attached()
    composer(grandma).fill("Смотри, какие яблоки")
    grandma.locator("[data-attach-input]").set_input_files(
        files=[{"name": "apples.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    photo = dad.locator(".msg", has_text="Смотри, какие яблоки").locator(".msg__photo img")
    expect(photo).to_be_visible()
    # The picture really loads (through the access-checked media view), not just its frame.
    for _ in range(100):
        if photo.evaluate("(img) => img.complete && img.naturalWidth") > 0:
            break
        dad.wait_for_timeout(100)
    assert photo.evaluate("(img) => img.naturalWidth") > 0
