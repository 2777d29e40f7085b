"""The owner runs the family from the admin: members, the registration switch, invites."""

import pytest
from django.test import Client

from accounts.models import FamilySettings

pytestmark = pytest.mark.django_db


def test_the_owner_opens_registration_in_the_admin(client, owner):
    client.force_login(owner)
    settings_row = FamilySettings.current()
    page = client.get(f"/admin/accounts/familysettings/{settings_row.pk}/change/")
    assert page.status_code == 200
    client.post(
        f"/admin/accounts/familysettings/{settings_row.pk}/change/",
        {"registration_open": "on", "members_may_invite": "on"},
    )
    assert FamilySettings.current().registration_open
    page = Client().get("/accounts/signup/")  # someone new, on their own phone
    assert page.status_code == 200
    assert "Регистрация только по приглашению" not in page.content.decode()


@pytest.mark.parametrize(
    "path", ["/admin/accounts/user/", "/admin/accounts/invite/", "/admin/accounts/block/"]
)
def test_admin_pages_open_for_the_owner_and_not_for_members(client, owner, member, path):
    client.force_login(owner)
    assert client.get(path).status_code == 200
    client.force_login(member)
    assert client.get(path).status_code == 302
