"""Finding family from the phone's address book, in a real browser."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Contact
from accounts.tests.factories import UserFactory
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
ANDROID_VCF = Path(__file__).resolve().parents[2] / "accounts/tests/data/android.vcf"


def test_a_member_uploads_a_vcard_and_adds_grandma_with_one_tap(signed_in):
    me = UserFactory(display_name="Маша")
    granny = UserFactory(display_name="Валентина", phone="+79123456789", phone_verified=True)
    page = signed_in(me, viewport=PHONE, path="/contacts/")
    page.get_by_role("link", name="Найти родных из телефона").click()
    page.locator('input[type="file"][name="file"]').set_input_files(str(ANDROID_VCF))
    # The toast lives four seconds from the moment the page is shown: allow a slow upload.
    expect(page.get_by_role("status").filter(has_text="Импортировано контактов: 4")).to_be_visible(
        timeout=15_000
    )
    expect(page.get_by_text("Из вашего телефона, уже в Toricy")).to_be_visible()
    page.get_by_role("button", name="Добавить Валентина в контакты").click()
    expect(page.get_by_role("heading", name="Мои контакты")).to_be_visible()
    assert Contact.objects.get(owner=me, person=granny).name == "Бабушка Валя"
    expect(page.get_by_text("John Smith")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_contacts(signed_in, device, viewport, scheme):
    me = UserFactory(display_name="Мама")
    granny = UserFactory(display_name="Валентина", phone="+79123456789", phone_verified=True)
    UserFactory(display_name="Папа", email="papa@family.test")
    Contact.objects.create(
        owner=me, person=UserFactory(display_name="Дедушка Коля"), name="Папа Коля"
    )
    page = signed_in(me, viewport=viewport, color_scheme=scheme, path="/contacts/import/")
    page.locator('input[type="file"][name="file"]').set_input_files(str(ANDROID_VCF))
    expect(page.get_by_text("Из вашего телефона, уже в Toricy")).to_be_visible()
    page.goto("/contacts/")
    screenshot(page, f"contacts-{device}-{scheme}")
    page.goto("/contacts/import/")
    screenshot(page, f"contacts-import-{device}-{scheme}")
    page.goto(f"/members/{granny.pk}/")
    screenshot(page, f"member-{device}-{scheme}")
