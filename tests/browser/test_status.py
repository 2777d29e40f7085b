"""A custom status appears on the family's screens as it is set."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_status_shows_on_an_open_profile_without_a_reload(signed_in):
    watcher = UserFactory(display_name="Мама")
    granny = UserFactory(display_name="Бабушка Валя")
    page = signed_in(watcher, path=f"/members/{granny.pk}/")
    expect(page.locator("html")).to_have_attribute("data-realtime", "open")
    line = page.locator(f'[data-status-user="{granny.pk}"]')
    expect(line).to_be_hidden()

    her_phone = signed_in(granny, path="/me/status/")
    her_phone.get_by_label("Статус").fill("На даче")
    her_phone.locator('label[for="icon-house"]').click()
    her_phone.get_by_role("button", name="Поставить статус").click()
    expect(her_phone.get_by_role("status").filter(has_text="Статус поставлен")).to_be_visible()

    expect(line).to_have_text("На даче")
    expect(line.locator("svg use")).to_have_attribute("href", re.compile("#i-house$"))
