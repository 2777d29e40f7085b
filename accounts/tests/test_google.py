"""Google sign-in against a local fake Google that speaks the real OAuth 2.0 / OIDC shapes."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from django.test import Client

from accounts import services
from accounts.models import Invite, Joined, User
from tests.fakes.google import FakeGoogle, GoogleUser

pytestmark = pytest.mark.django_db

# Not the test client's host nor scheme: the redirect URI must come from PUBLIC_URL alone.
PUBLIC_URL = "https://family.example"
CALLBACK = PUBLIC_URL + "/accounts/google/login/callback/"


@pytest.fixture
def google(settings):
    settings.PUBLIC_URL = PUBLIC_URL
    fake = FakeGoogle(redirect_uri=CALLBACK).start()
    app = {"client_id": fake.client_id, "secret": fake.client_secret, "key": ""}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": settings.SOCIALACCOUNT_PROVIDERS["google"] | fake.endpoints() | {"APPS": [app]}
    }
    yield fake
    fake.stop()


def through_google(client: Client, process: str = "login"):
    """Press "Google", let the fake sign in, come back to the callback; the final response."""
    start = client.post("/accounts/google/login/", {"process": process})
    assert start.status_code == 302, start.content.decode()[:500]
    at_google = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_google.status_code == 302, at_google.text
    back = urlsplit(at_google.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return client.get(f"{back.path}?{back.query}", follow=True)


def in_english() -> Client:
    """Toricy's own new texts are asserted in English: the lead translates them at the end."""
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def with_invite(owner, **kwargs) -> tuple[Client, Invite]:
    invite = services.create_invite(by=owner, **kwargs)
    client = Client()
    client.get(invite.get_absolute_url())
    return client, invite


def test_the_redirect_uri_is_public_url_whatever_host_the_request_came_to(client, google):
    start = client.post(
        "/accounts/google/login/", HTTP_X_FORWARDED_PROTO="http", HTTP_X_FORWARDED_HOST="internal"
    )
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"]
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}


def test_an_invited_person_signs_up_with_google(owner, google):
    client, invite = with_invite(owner)
    page = through_google(client)
    assert page.redirect_chain[-1][0] == "/"
    assert page.status_code == 200
    masha = User.objects.get(email="masha@gmail.test")
    assert page.wsgi_request.user == masha
    assert masha.display_name == "Маша Петрова"
    assert not masha.has_usable_password()
    assert EmailAddress.objects.get(user=masha).verified
    assert SocialAccount.objects.get(user=masha, provider="google").uid == google.user.sub
    invite.refresh_from_db()
    assert invite.use_count == 1
    assert Joined.objects.get(user=masha).invite == invite
    assert google.refusals == []


def test_a_stranger_without_an_invite_gets_no_account(client, owner, google):
    page = through_google(client)
    assert "Регистрация только по приглашению" in page.content.decode()
    assert not User.objects.filter(email="masha@gmail.test").exists()
    assert not SocialAccount.objects.exists()
    assert client.get("/").status_code == 302


def test_an_invite_used_up_a_moment_before_leaves_no_account_behind(owner, google, monkeypatch):
    client, invite = with_invite(owner, max_uses=1)
    # Someone else spent the last use between the check and the account being saved.
    Invite.objects.filter(pk=invite.pk).update(use_count=1)
    monkeypatch.setattr(services, "signup_is_open", lambda code: True)
    page = through_google(client)
    assert not User.objects.filter(email="masha@gmail.test").exists()
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.filter(email="masha@gmail.test").exists()
    assert client.get("/").status_code == 302
    assert page.wsgi_request.user.is_anonymous


def test_a_member_links_google_in_the_settings_and_then_signs_in_with_it(member, google):
    client = Client()
    client.force_login(member)
    connections = client.get("/accounts/3rdparty/")
    assert "Google" in connections.content.decode()
    page = through_google(client, process="connect")
    assert page.redirect_chain[-1][0] == "/accounts/3rdparty/"
    assert SocialAccount.objects.get(provider="google").user == member
    assert google.user.email in page.content.decode()

    on_a_new_phone = Client()
    assert through_google(on_a_new_phone).wsgi_request.user == member
    assert User.objects.count() == 1


def test_a_google_account_linked_to_someone_else_is_refused_plainly(member, other_member, google):
    SocialAccount.objects.create(user=other_member, provider="google", uid=google.user.sub)
    member.language = "en"  # the message is Toricy's own; the lead translates it into Russian
    member.save(update_fields=["language"])
    client = Client()
    client.force_login(member)
    page = through_google(client, process="connect")
    assert (
        "This Google account is already linked to another family member." in page.content.decode()
    )
    assert SocialAccount.objects.get(provider="google").user == other_member
    assert not SocialAccount.objects.filter(user=member).exists()


def test_a_forged_id_token_signs_nobody_in(member, google):
    SocialAccount.objects.create(user=member, provider="google", uid=google.user.sub)
    google.forge_signature = True
    client = in_english()
    page = through_google(client)
    assert page.status_code == 401
    assert page.wsgi_request.user.is_anonymous
    assert "Could not sign in with Google" in page.content.decode()
    assert client.get("/").status_code == 302


def test_a_forged_id_token_creates_no_account(owner, google):
    google.forge_signature = True
    client, invite = with_invite(owner)
    through_google(client)
    assert not User.objects.filter(email="masha@gmail.test").exists()
    invite.refresh_from_db()
    assert invite.use_count == 0


def test_pressing_cancel_at_google_says_so_in_our_layout(google):
    google.deny = True
    page = through_google(in_english())
    body = page.content.decode()
    assert "bare__brand" in body
    assert "You cancelled signing in with Google." in body
    assert 'href="/accounts/login/"' in body


def test_a_google_address_nobody_verified_is_not_trusted(owner, google):
    google.user = GoogleUser(email_verified=False)
    client, _ = with_invite(owner)
    through_google(client)
    masha = User.objects.get(email="masha@gmail.test")
    assert not EmailAddress.objects.get(user=masha).verified


def test_the_sign_in_and_sign_up_pages_offer_google_once_it_is_configured(owner, google):
    for url in ("/accounts/login/", "/accounts/signup/"):
        client, _ = with_invite(owner)
        page = client.get(url).content.decode()
        assert 'action="/accounts/google/login/?process=login"' in page
        assert "Sign in with Google" in page or "Войти через Google" in page


def test_without_credentials_there_is_no_google_button(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {"SCOPE": ["openid", "profile", "email"]}}
    assert "/accounts/google/login/" not in client.get("/accounts/login/").content.decode()


def test_the_linked_accounts_page_is_inside_the_app_and_unlinks(member, google):
    member.set_password("a long family secret 2026")  # another way in, so unlinking is allowed
    member.save()
    client = Client()
    client.force_login(member)
    through_google(client, process="connect")
    account = SocialAccount.objects.get(user=member)
    page = client.get("/accounts/3rdparty/").content.decode()
    assert 'href="/me/security/"' in page  # back to Sign-in and security, in the app shell
    assert google.user.email in page
    client.post("/accounts/3rdparty/", {"account": account.pk})
    assert not SocialAccount.objects.filter(user=member).exists()
