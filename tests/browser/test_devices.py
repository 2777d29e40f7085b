"""Signing out a lost phone from the laptop."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_out_all_other_devices_from_the_laptop(signed_in):
    member = UserFactory(display_name="Папа")
    phone = signed_in(member, viewport=PHONE, path="/")
    expect(phone.get_by_role("heading", name="Лента")).to_be_visible()
    laptop = signed_in(member, viewport=DESKTOP, path="/me/devices/")
    expect(laptop.get_by_text("Это устройство")).to_be_visible()
    laptop.get_by_role("button", name="Выйти на всех других устройствах").click()
    expect(laptop.get_by_role("status").filter(has_text="отключено")).to_be_visible()
    phone.reload()
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    laptop.reload()
    expect(laptop.get_by_text("Это устройство")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_the_devices_page(signed_in, device, viewport, scheme):
    member = UserFactory(display_name="Мама")
    signed_in(member, viewport=PHONE)
    page = signed_in(member, viewport=viewport, color_scheme=scheme, path="/me/devices/")
    expect(page.get_by_text("Это устройство")).to_be_visible()
    screenshot(page, f"devices-{device}-{scheme}")
