"""Passkeys in a real browser: a Chromium virtual authenticator stands in for the phone's."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from tests.browser.conftest import DESKTOP, PHONE, screenshot, wait_for_sockets_to_close
from tests.server import Server

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def localhost_site(django_db_setup, django_db_blocker, static_root):
    """A server whose PUBLIC_URL is http://localhost:<port>.

    A WebAuthn relying party id must be a domain name: 127.0.0.1 (the `site` server's address) is
    refused by the browser ("invalid domain"), while localhost is a domain and a secure context.
    """
    server = Server(static_root=static_root)
    server.env_overrides = {"PUBLIC_URL": f"http://localhost:{server.port}"}
    server.start()
    yield server
    server.stop()


@pytest.fixture
def device(browser, session_cookie):
    """A browser (one context) on the localhost server, signed in as `user` when given."""
    contexts = []

    def open_on(site, user=None, *, path="/"):
        url = f"http://localhost:{site.port}"
        context = browser.new_context(
            viewport=DESKTOP, locale="en-US", timezone_id="Europe/Moscow", base_url=url
        )
        # English before signing in too (the sign-in page follows this cookie, not the browser).
        context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
        if user is not None:
            context.add_cookies([session_cookie(user, url)])
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield open_on
    for context in contexts:
        context.close()
    wait_for_sockets_to_close()


def add_virtual_authenticator(page):
    """A platform authenticator (like a phone's fingerprint sensor) that always says yes.

    It lives in this page's CDP session only: both ceremonies must run in the same page.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    found = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, found["authenticatorId"]


def test_a_member_adds_a_passkey_and_signs_in_with_it_alone(device, localhost_site):
    # English, so that the test reads the same before and after the Russian catalogue is filled.
    member = UserFactory(username="grandma", display_name="Grandma", language="en")
    page = device(localhost_site, member, path="/accounts/2fa/")
    cdp, authenticator_id = add_virtual_authenticator(page)

    expect(page.get_by_role("heading", name="Passkeys", exact=True)).to_be_visible()
    expect(page.get_by_text("No passkeys yet")).to_be_visible()
    page.get_by_role("link", name="Add a passkey").click()

    # allauth asks for the password again before a key is added.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Add a passkey", exact=True)).to_be_visible()
    screenshot(page, "passkeys-add-desktop-light")
    page.get_by_role("button", name="Add a passkey").click()

    # The first key brings recovery codes (the fallback if the device is lost).
    expect(page.get_by_role("heading", name="Recovery codes", exact=True)).to_be_visible()
    screenshot(page, "passkeys-recovery-codes-desktop-light", full_page=True)
    key = Authenticator.objects.get(user=member, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().is_passwordless is True
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert [c["isResidentCredential"] for c in credentials["credentials"]] == [True]

    page.get_by_role("link", name="Done").click()
    expect(page.get_by_text(key.wrap().name)).to_be_visible()

    page.goto("/me/")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("heading", name="Feed")).to_be_visible()
    assert page.url == f"http://localhost:{localhost_site.port}/"
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_passkeys_page_in_every_theme(signed_in, viewport, scheme):
    member = UserFactory(language="en")
    for name in ["Chrome on Android", "Safari on Mac"]:
        Authenticator.objects.create(
            user=member,
            type=Authenticator.Type.WEBAUTHN,
            data={
                "name": name,
                "credential": {"clientExtensionResults": {"credProps": {"rk": True}}},
            },
        )
    page = signed_in(member, viewport=viewport, color_scheme=scheme, path="/accounts/2fa/")
    expect(page.get_by_role("heading", name="Passkeys", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Remove Safari on Mac")).to_be_visible()
    label = "phone" if viewport == PHONE else "desktop"
    screenshot(page, f"passkeys-{label}-{scheme}", full_page=True)


def test_the_sign_in_page_with_its_passkey_button(page, site):
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site.url}])
    page.goto(site.url + "/accounts/login/")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_visible()
    screenshot(page, "passkeys-sign-in-phone-light", full_page=True)
