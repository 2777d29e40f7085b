"""Calls between real Chromium tabs (fake camera and microphone) through Toricy's signalling.

"Connected" is not enough: each test reads getStats() in both browsers and asserts that audio
(and video) bytes keep arriving for several seconds. One test forces every packet through a real
coturn started here with a shared secret, with credentials Toricy issued for the call.
"""

import pytest

from calls.models import Call
from messaging import services as messaging_services
from messaging.models import Message
from messaging.tests.factories import group
from tests.browser.calls import (
    FLOW_SECONDS,
    assert_media_keeps_flowing,
    ended,
    open_tab,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_video_call_from_a_members_page_carries_sound_and_picture_both_ways(
    media_browser, site, session_cookie, member, other_member
):
    grandma = open_tab(
        media_browser, site, member, session_cookie, path=other_member.get_absolute_url()
    )
    dad = open_tab(media_browser, site, other_member, session_cookie, path="/")

    grandma.get_by_role("button", name="Видео").click()
    incoming = dad.get_by_role("alertdialog")
    incoming.wait_for()
    assert member.name in incoming.inner_text()
    assert "Входящий видеозвонок" in incoming.inner_text()
    incoming.get_by_role("button", name="Принять").click()

    assert_media_keeps_flowing([grandma, dad], peers=1, video=True)
    status = grandma.locator("[data-call-status]")
    assert status.get_attribute("data-state") == "live"
    assert ":" in status.inner_text()  # the duration timer runs

    # Muting is seen on the other side.
    grandma.get_by_role("button", name="Микрофон").click()
    dad.locator(f'.call-tile[data-user-id="{member.pk}"] .call-tile__muted').wait_for()

    dad.get_by_role("button", name="Завершить").click()
    grandma.get_by_text("Звонок завершён").wait_for()
    call = ended(Call.objects.get())
    assert call.outcome == "answered"
    assert call.duration_seconds >= FLOW_SECONDS
    line = Message.objects.filter(chat=call.chat, kind="system").latest("seq").text
    assert line.startswith("Видеозвонок, 0:")

    grandma.goto("/calls/")
    row = grandma.locator(".call-row").first
    assert other_member.name in row.inner_text() and "Исходящий" in row.inner_text()


def test_an_audio_call_forced_through_coturn_carries_sound_both_ways(
    media_browser, relay_site, session_cookie, member, other_member
):
    server, coturn = relay_site
    chat = messaging_services.direct_chat(user=member, other=other_member)
    grandma = open_tab(media_browser, server, member, session_cookie, path="/calls/")
    dad = open_tab(media_browser, server, other_member, session_cookie, path="/calls/")

    grandma.get_by_role("button", name="Новый звонок").click()
    grandma.get_by_role("button", name=f"Аудиозвонок: {other_member.name}").click()
    dad.get_by_role("alertdialog").get_by_role("button", name="Принять").click()

    peers = assert_media_keeps_flowing([grandma, dad], peers=1, video=False)
    for peer in peers:
        assert peer["path"] == {"local": "relay", "remote": "relay"}, peer

    grandma.get_by_role("button", name="Завершить").click()
    dad.get_by_text("Звонок завершён").wait_for()
    assert ended(Call.objects.get(chat=chat)).outcome == "answered"


def test_a_three_way_group_call_where_everyone_hears_both_others(
    media_browser, site, session_cookie, member, other_member
):
    from accounts.tests.factories import UserFactory

    aunt = UserFactory(username="aunt", display_name="Тётя Оля")
    chat = group(member, other_member, aunt, title="Дача")
    grandma = open_tab(media_browser, site, member, session_cookie, path="/calls/")
    dad = open_tab(media_browser, site, other_member, session_cookie, path="/")
    olya = open_tab(media_browser, site, aunt, session_cookie, path="/")

    grandma.get_by_role("button", name="Новый звонок").click()
    grandma.locator("#new-call").get_by_role("button", name="Аудиозвонок").first.click()
    for page in (dad, olya):
        incoming = page.get_by_role("alertdialog")
        incoming.wait_for()
        assert "Дача" in incoming.inner_text()
        incoming.get_by_role("button", name="Принять").click()

    assert_media_keeps_flowing([grandma, dad, olya], peers=2, video=False)
    assert grandma.locator(".call-tile").count() == 3
    assert grandma.locator("[data-call-grid]").get_attribute("data-count") == "3"

    # One leaves; the other two go on talking.
    olya.get_by_role("button", name="Завершить").click()
    assert_media_keeps_flowing([grandma, dad], peers=1, video=False)
    call = Call.objects.get(chat=chat)
    assert call.state == "active"
    for page in (grandma, dad):
        page.get_by_role("button", name="Завершить").click()
    assert ended(call).outcome == "answered"
    line = Message.objects.filter(chat=chat, kind="system").latest("seq").text
    assert line.startswith("Групповой звонок, 0:")


def test_calling_each_other_at_the_same_moment_ends_in_one_call_with_sound(
    media_browser, site, session_cookie, member, other_member
):
    grandma = open_tab(
        media_browser, site, member, session_cookie, path=other_member.get_absolute_url()
    )
    dad = open_tab(
        media_browser, site, other_member, session_cookie, path=member.get_absolute_url()
    )
    # Both press "Call" within the same moment (no waiting for either screen to react).
    grandmas_button = grandma.get_by_role("button", name="Позвонить")
    dads_button = dad.get_by_role("button", name="Позвонить")
    grandmas_button.dispatch_event("click")
    dads_button.dispatch_event("click")

    assert_media_keeps_flowing([grandma, dad], peers=1, video=False)
    assert Call.objects.count() == 1
    assert Call.objects.get().state == "active"
    for page in (grandma, dad):
        assert not page.get_by_role("alertdialog").is_visible()
    grandma.get_by_role("button", name="Завершить").click()
    assert ended(Call.objects.get()).outcome == "answered"
