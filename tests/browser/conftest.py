"""Playwright drives Debian's Chromium against the real server (tests/server.py)."""

import os
import shutil
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls in these tests
# are ordinary blocking calls made between browser steps, so Django's async guard is lifted.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise pytest.UsageError("Chromium is missing: .ci/run installs it with apt")
        skip = pytest.mark.skip(reason="Debian's chromium is not installed (make test installs it)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


# Calls need a camera and a microphone: Chromium's fake devices (a beep and a test picture), with
# the permission prompt answered "allow". Only tests that ask for `media_browser` get them.
FAKE_MEDIA_FLAGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture(scope="session")
def media_browser(playwright, browser_type_launch_args):
    """A second Chromium, launched with fake camera and microphone, for call tests."""
    args = {**browser_type_launch_args}
    args["args"] = [*browser_type_launch_args["args"], *FAKE_MEDIA_FLAGS]
    browser = playwright.chromium.launch(**args)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_context_args():
    return {"locale": "ru-RU", "timezone_id": "Europe/Moscow", "viewport": DESKTOP}


@pytest.fixture
def signed_in(browser, site, session_cookie):
    """Open a new browser context (a device) signed in as a member."""
    contexts = []

    def open_as(user, *, viewport=DESKTOP, color_scheme="light", path="/"):
        context = browser.new_context(
            viewport=viewport,
            color_scheme=color_scheme,
            locale="ru-RU",
            timezone_id="Europe/Moscow",
            base_url=site.url,
        )
        context.add_cookies([session_cookie(user, site.url)])
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _server_quiet_before_the_tables_are_emptied(request):
    """After every browser test (whatever opened its pages), wait until the server has written
    the closing sockets' goodbyes; only then may pytest-django empty the tables."""
    uses_db = request.node.get_closest_marker("django_db") is not None
    if uses_db:
        request.getfixturevalue("transactional_db")
    yield
    if uses_db:
        wait_for_sockets_to_close()


def wait_for_sockets_to_close(timeout: float = 10) -> None:
    """Let the server finish the closing sockets' writes before the test's tables are emptied.

    A socket's goodbye (presence) written while the tables are truncated would deadlock on
    PostgreSQL; the tabs are closed, so their connection rows go within moments.
    """
    from accounts.models import Connection

    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        quiet = quiet + 1 if not Connection.objects.exists() else 0
        time.sleep(0.1)


@pytest.fixture
def relay_site(static_root):
    """Toricy told to send every call through a local coturn with a shared secret."""
    from calls.tests.coturn import Coturn
    from tests.server import Server

    coturn = Coturn().start()
    server = Server(
        static_root=static_root,
        env_overrides={
            "TURN_URLS": coturn.url,
            "TURN_SECRET": coturn.secret,
            "ICE_TRANSPORT_POLICY": "relay",
        },
    ).start()
    yield server, coturn
    server.stop()
    coturn.stop()


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """What the member sees on the screen, with animations settled."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
