"""Nobody learns who has an account: sign-up, sign-in codes and password reset answer alike."""

import re

import pytest
from django.test import Client

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signing_up_with_a_taken_email_looks_the_same_and_tells_only_the_owner(owner, smtp_inbox):
    UserFactory(email="masha@family.test")
    invite = services.create_invite(by=owner, max_uses=5)
    answers = []
    for email in ("masha@family.test", "new@family.test"):
        client = Client()
        client.get(invite.get_absolute_url())
        answers.append(
            client.post(
                "/accounts/signup/",
                {"email": email, "password1": "a long family secret 2026", "display_name": "Маша"},
            )
        )
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert User.objects.filter(email="masha@family.test").count() == 1
    # The real owner of the address is told someone tried; no second account exists.
    assert smtp_inbox.bodies_to("masha@family.test")


def test_password_reset_answers_the_same_for_unknown_addresses(smtp_inbox):
    UserFactory(email="masha@family.test")
    known = Client().post("/accounts/password/reset/", {"email": "masha@family.test"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@family.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_a_member_resets_a_forgotten_password_by_the_mailed_link(smtp_inbox):
    masha = UserFactory(email="masha@family.test")
    client = Client()
    client.post("/accounts/password/reset/", {"email": "masha@family.test"})
    link = re.search(
        r"https?://\S+/accounts/password/reset/key/\S+",
        smtp_inbox.bodies_to("masha@family.test")[-1],
    ).group()
    path = re.sub(r"^https?://[^/]+", "", link)
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "a brand new family secret", "password2": "a brand new family secret"},
    )
    masha.refresh_from_db()
    assert masha.check_password("a brand new family secret")


def test_signing_in_with_a_code_by_email_works_and_unknown_addresses_look_alike(smtp_inbox):
    masha = UserFactory(email="masha@family.test")
    known = Client().post("/accounts/login/code/", {"email": "masha@family.test"})
    stranger = Client().post("/accounts/login/code/", {"email": "nobody@family.test"})
    assert known["Location"] == stranger["Location"]
    client = Client()
    client.post("/accounts/login/code/", {"email": "masha@family.test"})
    code = re.findall(r"^\s*(\d{6})\s*$", smtp_inbox.bodies_to("masha@family.test")[-1], re.M)[-1]
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert client.get("/").wsgi_request.user == masha
