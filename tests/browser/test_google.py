"""Joining with Google in a real browser: a dedicated server points Google sign-in at the local
fake Google (tests/fakes/google.py), which checks the redirect URI, PKCE and the rest."""

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.fakes.google import FakeGoogle
from tests.server import Server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def google_site(static_root, django_db_setup, django_db_blocker):
    """A daphne with Google credentials whose Google is the fake; PUBLIC_URL is its own URL."""
    server = Server(static_root=static_root)
    fake = FakeGoogle(redirect_uri=f"{server.url}/accounts/google/login/callback/").start()
    server.env_overrides = {
        "GOOGLE_CLIENT_ID": fake.client_id,
        "GOOGLE_CLIENT_SECRET": fake.client_secret,
        "GOOGLE_OAUTH_BASE_URL": fake.url,
    }
    server.start()
    yield server, fake
    server.stop()
    fake.stop()


def test_an_invited_person_joins_with_google_and_lands_on_the_feed(browser, google_site):
    server, fake = google_site
    invite = services.create_invite(by=UserFactory(display_name="Мама"), days=7, max_uses=1)
    page = browser.new_context(base_url=server.url, locale="ru-RU", viewport=PHONE).new_page()
    page.goto(invite.get_absolute_url())
    page.get_by_role("link", name="Создать аккаунт").click()
    page.get_by_role("button", name="Google").click()
    expect(page.get_by_role("heading", name="Лента")).to_be_visible()
    masha = User.objects.get(email=fake.user.email)
    assert masha.display_name == fake.user.name
    assert SocialAccount.objects.get(user=masha).uid == fake.user.sub
    invite.refresh_from_db()
    assert invite.use_count == 1
    assert fake.refusals == []
    page.context.close()


def test_a_member_signs_in_with_google_from_the_sign_in_page(browser, google_site):
    server, fake = google_site
    member = UserFactory(display_name="Бабушка Валя")
    SocialAccount.objects.create(user=member, provider="google", uid=fake.user.sub)
    page = browser.new_context(base_url=server.url, locale="ru-RU").new_page()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Google").click()
    expect(page.get_by_role("heading", name="Лента")).to_be_visible()
    assert fake.refusals == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_google_sign_in(
    browser, google_site, session_cookie, device, viewport, scheme
):
    server, fake = google_site
    context = browser.new_context(
        base_url=server.url, locale="ru-RU", viewport=viewport, color_scheme=scheme
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="Google")).to_be_visible()
    screenshot(page, f"google-signin-{device}-{scheme}")
    fake.deny = True
    try:
        page.get_by_role("button", name="Google").click()
        expect(page.locator(".empty__title")).to_be_visible()
        screenshot(page, f"google-cancelled-{device}-{scheme}")
    finally:
        fake.deny = False
    member = UserFactory(display_name="Бабушка Валя")
    SocialAccount.objects.create(
        user=member,
        provider="google",
        uid="1" + fake.user.sub[1:],
        extra_data={"email": "valya@gmail.test", "name": "Валя"},
    )
    context.add_cookies([session_cookie(member, server.url)])
    page.goto("/accounts/3rdparty/")
    expect(page.get_by_text("valya@gmail.test")).to_be_visible()
    screenshot(page, f"google-connections-{device}-{scheme}")
    context.close()
