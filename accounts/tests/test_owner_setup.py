"""The first start: a one-time link creates the owner; there are no default passwords."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def printed_link() -> str | None:
    out = StringIO()
    call_command("prepare", "--no-static", stdout=out)
    match = re.search(r"(/setup/[\w-]+/)", out.getvalue())
    return match.group(1) if match else None


def form(**overrides):
    data = {
        "display_name": "Мама",
        "username": "mama",
        "email": "mama@family.test",
        "password": "a long family secret 2026",
    }
    return data | overrides


def test_first_start_prints_a_link_that_creates_the_owner_and_signs_them_in(client):
    link = printed_link()
    assert link
    assert not User.objects.exists()
    assert client.get(link).status_code == 200
    response = client.post(link, form())
    assert response.status_code == 302
    owner = User.objects.get()
    assert owner.is_superuser and owner.is_staff
    assert owner.display_name == "Мама"
    assert owner.check_password("a long family secret 2026")
    assert client.get("/").status_code == 200


def test_the_link_works_once(client):
    link = printed_link()
    client.post(link, form())
    client.logout()
    assert client.get(link).status_code == 404
    client.post(link, form(username="intruder", email="x@evil.test"))
    assert User.objects.count() == 1


def test_once_an_owner_exists_no_link_is_printed(owner):
    assert printed_link() is None


def test_a_new_start_replaces_the_previous_link(client):
    first = printed_link()
    second = printed_link()
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_guessed_link_gets_404(client):
    printed_link()
    assert client.get("/setup/guess/").status_code == 404


def test_a_weak_password_is_refused_with_a_clear_error(client):
    link = printed_link()
    response = client.post(link, form(password="12345678"))
    assert response.status_code == 200
    assert not User.objects.exists()
    assert response.context["form"].errors
