"""The shell pages: signed-in only, constant queries, presence, theme and language."""

import pytest
from django.utils import timezone

from accounts.models import Connection
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHELL_PAGES = ["/", "/chats/", "/calls/", "/contacts/", "/me/"]


@pytest.mark.parametrize("path", SHELL_PAGES)
def test_the_anonymous_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", SHELL_PAGES)
def test_every_shell_page_opens_for_a_member(client, member, path):
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 200
    assert b'id="connection-status"' in response.content


def test_the_shell_speaks_russian_by_default(client, member):
    client.force_login(member)
    page = client.get("/contacts/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="ru"' in page
    assert "Контакты" in page


def test_a_member_who_chose_english_sees_english(client, member):
    client.force_login(member)
    response = client.post("/me/language/", {"language": "en"})
    assert response.status_code == 302
    page = client.get("/contacts/").content.decode()
    assert '<html lang="en"' in page
    assert "Contacts" in page


def test_contacts_show_who_is_online_and_when_others_were_last_seen(client, member, other_member):
    Connection.objects.create(user=other_member, channel_name="tab-1", seen_at=timezone.now())
    asleep = UserFactory(display_name="Дедушка", last_seen_at=None)
    client.force_login(member)
    page = client.get("/contacts/").content.decode()
    assert "Папа" in page and "Дедушка" in page
    assert f'data-presence-user="{other_member.pk}"' in page
    assert "в сети" in page
    assert f'data-presence-user="{asleep.pk}"' in page


def test_a_member_page_opens_for_the_family_and_404s_for_unknown_ids(client, member, other_member):
    client.force_login(member)
    assert client.get(other_member.get_absolute_url()).status_code == 200
    assert client.get("/members/999999/").status_code == 404


def test_a_deactivated_members_page_is_404(client, member, stranger):
    client.force_login(member)
    assert client.get(stranger.get_absolute_url()).status_code == 404


def test_the_theme_is_saved_on_the_server_and_applied_before_paint(client, member):
    client.force_login(member)
    assert client.post("/me/theme/", {"theme": "dark"}, HTTP_HX_REQUEST="true").status_code == 204
    member.refresh_from_db()
    assert member.theme == "dark"
    assert 'data-theme="dark"' in client.get("/").content.decode()


def test_an_unknown_theme_changes_nothing(client, member):
    client.force_login(member)
    assert client.post("/me/theme/", {"theme": "rainbow"}).status_code == 422
    member.refresh_from_db()
    assert member.theme == "system"


def test_the_styleguide_is_for_staff_only(client, member, owner):
    client.force_login(member)
    assert client.get("/styleguide/").status_code == 302
    client.force_login(owner)
    assert client.get("/styleguide/").status_code == 200


def test_the_app_is_installable(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    data = manifest.json()
    assert data["display"] == "standalone"
    assert any(icon["sizes"] == "512x512" for icon in data["icons"])
    worker = client.get("/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert b"/offline/" in worker.content
