"""Every page's modules load and start without an error in the console (after the JS split)."""

import pytest
from playwright.sync_api import expect

from messaging import services
from tests.browser.test_chatlist import off_the_loop

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_main_pages_start_their_modules_without_console_errors(signed_in, member, other_member):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    page = signed_in(member, path="/")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in [
        "/",
        "/feed/favourites/",
        chat.get_absolute_url(),
        "/chats/",
        "/calls/",
        "/me/",
        "/notifications/",
    ]:
        page.goto(path)
        expect(page.locator("html[data-realtime='open']")).to_be_attached()
    assert errors == []
