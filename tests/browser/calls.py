"""Call tabs in Chromium with fake devices: opening one, reading getStats(), waiting for the end.
(`relay_site`, a Toricy that sends every call through a local coturn, is in conftest.py.)"""

import time

from calls.models import Call
from tests.browser.conftest import DESKTOP

FLOW_SECONDS = 4


def open_tab(browser, server, user, session_cookie, *, path="/calls/", viewport=DESKTOP):
    context = browser.new_context(
        viewport=viewport, locale="ru-RU", timezone_id="Europe/Moscow", base_url=server.url
    )
    context.add_cookies([session_cookie(user, server.url)])
    page = context.new_page()
    page.goto(path)
    page.locator("html[data-realtime='open']").wait_for(state="attached")
    return page


def stats(page) -> list[dict]:
    return page.evaluate("window.toricy.calls.stats()")


def wait_connected(page, peers: int, timeout: float = 20) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = stats(page)
        if len(current) == peers and all(p["state"] == "connected" for p in current):
            return current
        time.sleep(0.3)
    raise AssertionError(f"not connected to {peers} peer(s): {stats(page)}")


def assert_media_keeps_flowing(pages, *, peers: int, video: bool) -> list[dict]:
    """For several seconds, every page keeps receiving audio (and video) from every peer."""
    for page in pages:
        wait_connected(page, peers)
    time.sleep(1)  # let the first packets arrive
    before = [{p["user_id"]: p for p in stats(page)} for page in pages]
    samples = []
    for _ in range(FLOW_SECONDS):
        time.sleep(1)
        now = [{p["user_id"]: p for p in stats(page)} for page in pages]
        for earlier, later in zip(before, now, strict=True):
            assert set(later) == set(earlier) and len(later) == peers
            for user_id, peer in later.items():
                assert peer["audio"] > earlier[user_id]["audio"], f"audio stalled from {user_id}"
                if video:
                    assert peer["video"] > earlier[user_id]["video"], f"video stalled {user_id}"
        before = now
        samples.append(now)
    return [peer for page_stats in samples[-1] for peer in page_stats.values()]


def ended(call, timeout: float = 10) -> Call:
    """The call once the server has ended it (hanging up is a request that takes a moment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        call.refresh_from_db()
        if call.state == "ended":
            return call
        time.sleep(0.1)
    raise AssertionError(f"call {call.pk} is still {call.state}")
