"""Passkeys (allauth.mfa): the pages a member uses, the relying party, and whose keys are whose."""

import json
import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
)


def passkey(user, name="Phone"):
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": {"clientExtensionResults": {"credProps": {"rk": True}}}},
    )


@pytest.fixture
def signed_in_client(client, member):
    """A member who signed in and confirmed their password: allowed to add and remove keys."""
    member.language = "en"
    member.save(update_fields=["language"])
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    # allauth asks for the password again before keys change, even right after signing in.
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


def json_script(page: str, element_id: str) -> dict:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', page, re.S
    )
    assert found, f"no #{element_id} data in the page"
    return json.loads(found.group(1))


def assert_no_inline_code(page: str) -> None:
    """The CSP runs no inline script: every <script> is a file or inert JSON data."""
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.parametrize("name", ["mfa_index", "mfa_list_webauthn", "mfa_add_webauthn"])
def test_the_anonymous_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_sees_their_passkeys_and_one_add_button(signed_in_client, member, other_member):
    passkey(member, "Grandma's phone")
    passkey(other_member, "Dad's laptop")
    page = signed_in_client.get(reverse("mfa_index")).content.decode()
    assert "Grandma&#x27;s phone" in page
    assert "Dad&#x27;s laptop" not in page
    assert page.count(f'href="{reverse("mfa_add_webauthn")}"') == 1
    assert "Add a passkey" in page
    assert_no_inline_code(page)


def test_without_passkeys_the_page_says_so(signed_in_client):
    page = signed_in_client.get(reverse("mfa_index")).content.decode()
    assert "No passkeys yet" in page


def test_adding_asks_for_a_passkey_bound_to_the_public_host(signed_in_client):
    # Whatever Host the request came with, the key is made for PUBLIC_URL's host.
    response = signed_in_client.get(
        reverse("mfa_add_webauthn"), HTTP_HOST="localhost", HTTP_USER_AGENT=ANDROID_CHROME
    )
    assert response.status_code == 200
    page = response.content.decode()
    options = json_script(page, "passkey-options")["creation_options"]["publicKey"]
    assert options["rp"]["id"] == settings.PUBLIC_HOST
    assert 'data-passkey="create"' in page
    assert 'name="passwordless" value="on"' in page
    assert 'name="name" value="Chrome on Android"' in page
    assert_no_inline_code(page)


def test_adding_without_a_recent_sign_in_asks_to_confirm_first(client, member):
    client.force_login(member)
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_a_broken_credential_adds_nothing_and_says_why(signed_in_client, member):
    signed_in_client.get(reverse("mfa_add_webauthn"))
    response = signed_in_client.post(
        reverse("mfa_add_webauthn"),
        {"name": "Phone", "passwordless": "on", "credential": "[1, 2, 3]"},
    )
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    assert not Authenticator.objects.filter(user=member).exists()


def test_the_sign_in_page_offers_a_passkey_under_the_csp(client):
    page = client.get(reverse("account_login")).content.decode()
    assert f'action="{reverse("mfa_login_webauthn")}"' in page
    assert 'data-passkey="login"' in page
    assert_no_inline_code(page)


def test_passkey_sign_in_options_name_the_public_host(client):
    response = client.get(reverse("mfa_login_webauthn"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["request_options"]["publicKey"]["rpId"] == settings.PUBLIC_HOST


def test_a_member_removes_their_own_passkey(signed_in_client, member):
    key = passkey(member)
    url = reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})
    page = signed_in_client.get(url + "?next=" + reverse("mfa_index")).content.decode()
    assert "Phone" in page
    response = signed_in_client.post(url, {"next": reverse("mfa_index")})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(pk=key.pk).exists()


def test_a_member_renames_their_own_passkey(signed_in_client, member):
    key = passkey(member)
    url = reverse("mfa_edit_webauthn", kwargs={"pk": key.pk})
    response = signed_in_client.post(url, {"name": "Kitchen tablet", "next": reverse("mfa_index")})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.wrap().name == "Kitchen tablet"


@pytest.mark.parametrize("action", ["mfa_remove_webauthn", "mfa_edit_webauthn"])
def test_someone_elses_passkey_cannot_be_touched(signed_in_client, other_member, action):
    key = passkey(other_member, "Dad's laptop")
    url = reverse(action, kwargs={"pk": key.pk})
    assert signed_in_client.get(url).status_code == 404
    assert signed_in_client.post(url, {"name": "Mine now"}).status_code == 404
    key.refresh_from_db()
    assert key.wrap().name == "Dad's laptop"


def test_a_passkey_does_not_make_the_password_ask_for_a_second_step(member):
    from allauth.mfa.models import Authenticator
    from django.test import Client

    Authenticator.objects.create(user=member, type=Authenticator.Type.WEBAUTHN, data={})
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": member.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == member
