"""Screenshots of calls as members see them: the incoming call, a video call, a group call's grid
and the Calls page, light and dark, phone and desktop (artifacts/screenshots/calls-*.png)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from calls import services
from calls.models import Call
from messaging import services as messaging_services
from messaging.tests.factories import group
from tests.browser.calls import ended, open_tab, wait_connected
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

LOOKS = [("light", "desktop", DESKTOP), ("dark", "phone", PHONE)]
MORE_LOOKS = [("dark", "desktop", DESKTOP), ("light", "phone", PHONE)]


def open_looking(browser, site, user, session_cookie, scheme, viewport, path):
    page = open_tab(browser, site, user, session_cookie, path=path, viewport=viewport)
    page.emulate_media(color_scheme=scheme)
    return page


def past_calls(me, dad, aunt, family_group):
    """A history with every kind of row: answered both ways, missed, declined, a group call."""
    moments = iter(range(1, 10))

    def backdate(call, minutes_long=0):
        start = timezone.now() - timedelta(hours=next(moments) * 5)
        Call.objects.filter(pk=call.pk).update(
            created_at=start,
            answered_at=start + timedelta(seconds=5) if minutes_long else None,
            ended_at=start + timedelta(minutes=minutes_long, seconds=17),
        )

    chat = messaging_services.direct_chat(user=me, other=dad)
    call = services.start_call(caller=me, chat=chat, video=True, session="tab-screen1")
    services.join_call(user=dad, call=call, session="tab-screen2")
    services.leave_call(user=dad, call=call, session="tab-screen2")
    backdate(call, 12)
    aunts = messaging_services.direct_chat(user=aunt, other=me)
    call = services.start_call(caller=aunt, chat=aunts, video=False, session="tab-screen3")
    services.leave_call(user=aunt, call=call, session="tab-screen3")
    backdate(call)
    call = services.start_call(caller=dad, chat=chat, video=False, session="tab-screen2")
    services.join_call(user=me, call=call, session="tab-screen1")
    services.leave_call(user=me, call=call, session="tab-screen1")
    backdate(call, 3)
    call = services.start_call(caller=me, chat=family_group, video=False, session="tab-screen1")
    services.join_call(user=dad, call=call, session="tab-screen2")
    services.leave_call(user=dad, call=call, session="tab-screen2")
    services.leave_call(user=me, call=call, session="tab-screen1")
    backdate(call, 25)


@pytest.mark.parametrize(("scheme", "device", "viewport"), LOOKS + MORE_LOOKS)
def test_screens_of_a_call(
    media_browser, site, session_cookie, member, other_member, scheme, device, viewport
):
    aunt = UserFactory(username="aunt", display_name="Тётя Оля")
    family_group = group(member, other_member, aunt, title="Дача")
    past_calls(member, other_member, aunt, family_group)
    look = f"{scheme}-{device}"

    grandma = open_looking(media_browser, site, member, session_cookie, scheme, viewport, "/calls/")
    screenshot(grandma, f"calls-page-{look}")
    dad = open_looking(media_browser, site, other_member, session_cookie, scheme, viewport, "/")

    grandma.goto(other_member.get_absolute_url())
    grandma.get_by_role("button", name="Видео").click()
    incoming = dad.get_by_role("alertdialog")
    incoming.wait_for()
    dad.wait_for_timeout(300)
    screenshot(dad, f"calls-incoming-{look}")
    incoming.get_by_role("button", name="Принять").click()
    wait_connected(grandma, 1)
    grandma.locator(".call-tile[data-video='true']").nth(1).wait_for()
    grandma.wait_for_timeout(1500)
    screenshot(grandma, f"calls-video-{look}")
    dad.get_by_role("button", name="Завершить").click()
    ended(Call.objects.filter(chat__kind="direct").latest("pk"))

    olya = open_looking(media_browser, site, aunt, session_cookie, scheme, viewport, "/")
    grandma.goto("/calls/")
    grandma.get_by_role("button", name="Новый звонок").click()
    grandma.locator("#new-call").get_by_role("button", name="Видеозвонок").first.click()
    for page in (dad, olya):
        page.get_by_role("alertdialog").get_by_role("button", name="Принять").click()
    wait_connected(grandma, 2)
    grandma.locator(".call-tile[data-video='true']").nth(2).wait_for()
    grandma.get_by_role("button", name="Микрофон").click()
    grandma.wait_for_timeout(1500)
    screenshot(grandma, f"calls-group-{look}")
    for page in (olya, dad, grandma):
        page.get_by_role("button", name="Завершить").click()
    ended(Call.objects.filter(chat=family_group).latest("pk"))
