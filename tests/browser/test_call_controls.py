"""What a member does during a call, between real Chromium tabs with fake devices.

An audio call gains a picture (renegotiation), a shared screen replaces the camera and gives
it back, and a call forced through coturn survives the relay going away and coming back (ICE
restart). Each step is judged by what arrives at the other browser (getStats), not by buttons.
"""

import time

import pytest

from calls.models import Call
from messaging import services as messaging_services
from tests.browser.calls import (
    assert_media_keeps_flowing,
    ended,
    open_tab,
    stats,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Chromium's fake camera draws 640x480 (4:3), its fake screen 1280x720 (16:9). A busy machine
# makes WebRTC send smaller frames, but never of another shape.
CAMERA, SCREEN = "4:3", "16:9"


def received(page) -> dict:
    (peer,) = stats(page)
    return peer


def wait_for(check, what, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"waited {timeout:.0f} s for {what() if callable(what) else what}")


def shape(peer: dict) -> str | None:
    width, height = peer.get("width"), peer.get("height")
    if not width or not height:
        return None
    return {round(4 / 3, 2): CAMERA, round(16 / 9, 2): SCREEN}.get(round(width / height, 2))


def picture_keeps_arriving(page, expected: str) -> None:
    """Video bytes from the one peer keep growing, in frames of this shape."""
    wait_for(
        lambda: shape(received(page)) == expected,
        lambda: f"a {expected} picture, got {received(page)}",
    )
    before = received(page)["video"]
    for _ in range(3):
        time.sleep(1)
        now = received(page)
        assert now["video"] > before, "the picture stalled"
        assert shape(now) == expected, now
        before = now["video"]


def test_an_audio_call_gains_a_picture_and_a_shared_screen_mid_call(
    media_browser, site, session_cookie, member, other_member
):
    grandma = open_tab(
        media_browser, site, member, session_cookie, path=other_member.get_absolute_url()
    )
    dad = open_tab(media_browser, site, other_member, session_cookie, path="/")
    grandma.get_by_role("button", name="Позвонить", exact=True).click()
    dad.get_by_role("alertdialog").get_by_role("button", name="Принять").click()
    assert_media_keeps_flowing([grandma, dad], peers=1, video=False)
    assert received(dad)["video"] == 0

    controls = grandma.locator("footer[aria-label='Управление звонком']")
    # One fake camera: nothing to flip to, so the button stays away.
    assert controls.get_by_role("button", name="Сменить").is_hidden()
    # The quality indicator shows on a live call.
    grandma.locator("[data-call-quality][data-quality='good']").wait_for()

    # Grandma turns her camera on: the audio call renegotiates and dad sees her.
    controls.get_by_role("button", name="Камера").click()
    picture_keeps_arriving(dad, CAMERA)

    # She shows her screen instead; the sound never stops.
    controls.get_by_role("button", name="Экран").click()
    picture_keeps_arriving(dad, SCREEN)
    assert controls.get_by_role("button", name="Экран").get_attribute("aria-pressed") == "true"
    assert_media_keeps_flowing([dad], peers=1, video=True)

    # And back to the camera.
    controls.get_by_role("button", name="Экран").click()
    picture_keeps_arriving(dad, CAMERA)

    dad.get_by_role("button", name="Завершить").click()
    grandma.get_by_text("Звонок завершён").wait_for()
    assert ended(Call.objects.get()).outcome == "answered"


def test_a_relayed_call_survives_the_relay_going_away_and_coming_back(
    media_browser,
    relay_site,
    session_cookie,
    member,
    other_member,
):
    server, coturn = relay_site
    messaging_services.direct_chat(user=member, other=other_member)
    grandma = open_tab(
        media_browser, server, member, session_cookie, path=other_member.get_absolute_url()
    )
    dad = open_tab(media_browser, server, other_member, session_cookie, path="/")
    grandma.get_by_role("button", name="Позвонить", exact=True).click()
    dad.get_by_role("alertdialog").get_by_role("button", name="Принять").click()
    assert_media_keeps_flowing([grandma, dad], peers=1, video=False)

    # The relay dies (a restarted server, a lost route): both sides say they are reconnecting.
    coturn.stop()
    for page in (grandma, dad):
        page.locator("[data-call-status][data-state='reconnecting']").wait_for(timeout=30_000)

    # It comes back on the same address: ICE restarts, new relays, and the sound returns.
    coturn.start()
    for page in (grandma, dad):
        page.locator("[data-call-status][data-state='live']").wait_for(timeout=45_000)
    peers = assert_media_keeps_flowing([grandma, dad], peers=1, video=False)
    for peer in peers:
        assert peer["path"] == {"local": "relay", "remote": "relay"}, peer
    assert Call.objects.get().state == "active"  # the same call, never dropped
