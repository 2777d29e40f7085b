"""A frame the channel layer drops is not lost: the tab sees the gap and asks for it."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from core import realtime
from messaging import services
from tests.browser.helpers import off_the_loop

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tab_that_sees_a_gap_in_its_events_fetches_the_missing_one(
    signed_in, member, other_member
):
    chat = off_the_loop(lambda: services.direct_chat(user=member, other=other_member))
    mine = signed_in(member, path="/chats/")
    theirs = signed_in(other_member, path=chat.get_absolute_url())
    for page in (mine, theirs):
        expect(page.locator("html[data-realtime='open']")).to_be_attached()
    mine.evaluate(
        """() => { window.seen = [];
             for (const kind of ["test.happened", "message.created"]) {
               window.toricy.realtime.on(kind, (frame) => window.seen.push(frame.type));
             } }"""
    )

    def dropped():
        # Stored for the member but never handed to the channel layer, as if Redis lost it.
        with transaction.atomic():
            realtime._store([member.pk], {"type": "test.happened"})

    off_the_loop(dropped)
    theirs.get_by_role("textbox", name="Сообщение").fill("Ты тут?")
    theirs.get_by_role("textbox", name="Сообщение").press("Enter")
    for _ in range(50):
        if mine.evaluate("window.seen.length") >= 2:
            break
        mine.wait_for_timeout(100)
    assert mine.evaluate("window.seen") == ["test.happened", "message.created"]
