"""Profile, app settings, privacy, statuses and blocking: what a member changes about themselves."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts import selectors, services
from accounts.models import Block, Connection, Contact, User

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Profile ------------------------------------------------------------------------------------
def test_a_member_edits_their_profile(member):
    client = signed_in(member)
    response = client.post(
        "/me/edit/",
        {
            "display_name": "Бабуля",
            "username": "babulya",
            "bio": "Пеку пироги",
            "birthday": "1950-03-08",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.username, member.bio) == (
        "Бабуля",
        "babulya",
        "Пеку пироги",
    )
    assert member.birthday.isoformat() == "1950-03-08"
    assert "Пеку пироги" in client.get("/me/").content.decode()


def test_a_username_someone_has_is_refused_and_nothing_changes(member, other_member):
    page = signed_in(member).post(
        "/me/edit/", {"display_name": "Бабуля", "username": other_member.username.upper()}
    )
    assert page.status_code == 200
    assert "Это имя пользователя уже занято." in page.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Бабушка Валя"


def test_a_blank_name_is_refused(member):
    page = signed_in(member).post("/me/edit/", {"display_name": "   ", "username": "grandma"})
    assert page.status_code == 200
    assert page.context["form"].errors["display_name"]


# --- App settings -------------------------------------------------------------------------------
def test_settings_follow_the_member_to_another_device(member):
    phone = signed_in(member)
    saved = phone.post(
        "/me/settings/",
        {
            "theme": "dark",
            "accent": "violet",
            "text_size": "xl",
            "chat_background": "sky",
            "sounds": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 204
    laptop = signed_in(member)
    html = laptop.get("/").content.decode()
    assert 'data-theme="dark" data-accent="violet" data-text-size="xl"' in html
    assert 'data-chat-background="sky" data-enter-sends="false" data-sounds="true"' in html


def test_an_unknown_accent_is_refused_and_nothing_changes(member):
    response = signed_in(member).post(
        "/me/settings/",
        {"theme": "dark", "accent": "gold", "text_size": "m", "chat_background": "plain"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    member.refresh_from_db()
    assert (member.theme, member.accent) == ("system", "teal")


def test_the_settings_page_shows_the_current_choices(member):
    member.accent = "green"
    member.save()
    html = signed_in(member).get("/me/settings/").content.decode()
    assert 'id="accent-green" value="green" checked' in html


# --- Privacy ------------------------------------------------------------------------------------
def test_hidden_last_seen_reads_recently_to_others(member, other_member):
    member.last_seen_at = timezone.now() - timedelta(hours=1)
    member.last_seen_visible_to = "nobody"
    member.save()
    page = signed_in(other_member).get(f"/members/{member.pk}/").content.decode()
    assert "был(а) недавно" in page
    assert "сегодня в" not in page
    assert selectors.presence_audience_ids(member) == []


def test_last_seen_for_contacts_only(member, other_member, owner):
    member.last_seen_at = timezone.now() - timedelta(hours=1)
    member.last_seen_visible_to = "contacts"
    member.save()
    Contact.objects.create(owner=member, person=other_member)
    assert "сегодня в" in signed_in(other_member).get(f"/members/{member.pk}/").content.decode()
    assert "был(а) недавно" in signed_in(owner).get(f"/members/{member.pk}/").content.decode()
    # Of those with a tab open, only the contact is told when the member comes and goes.
    for person in (other_member, owner):
        Connection.objects.create(
            user=person, channel_name=f"tab-{person.pk}", seen_at=timezone.now()
        )
    assert selectors.presence_audience_ids(member) == [other_member.pk]


def test_phone_is_shown_only_to_whom_the_member_allows(member, other_member):
    member.phone = "+79123456789"
    member.phone_visible_to = "contacts"
    member.save()
    assert (
        "+7 912 345-67-89"
        not in signed_in(other_member).get(f"/members/{member.pk}/").content.decode()
    )
    Contact.objects.create(owner=member, person=other_member)
    assert (
        "+7 912 345-67-89" in signed_in(other_member).get(f"/members/{member.pk}/").content.decode()
    )


def test_privacy_choices_are_saved(member):
    signed_in(member).post(
        "/me/privacy/",
        {
            "last_seen_visible_to": "contacts",
            "phone_visible_to": "nobody",
            "email_visible_to": "nobody",
            "birthday_visible_to": "everyone",
            "who_may_find_me": "contacts",
            "who_may_call": "contacts",
            "who_may_add_to_groups": "nobody",
        },
    )
    member.refresh_from_db()
    assert (member.who_may_call, member.who_may_add_to_groups) == ("contacts", "nobody")


# --- Blocking -----------------------------------------------------------------------------------
def test_block_and_unblock(member, other_member):
    client = signed_in(member)
    client.post(f"/members/{other_member.pk}/block/")
    assert selectors.is_blocked_between(other_member, member)
    assert "Папа" in client.get("/me/privacy/").content.decode()
    # A blocked member no longer sees my presence.
    assert other_member.pk not in selectors.presence_audience_ids(member)
    client.post(f"/members/{other_member.pk}/unblock/")
    assert not Block.objects.exists()


def test_blocking_needs_a_real_member_and_not_oneself(member, stranger):
    client = signed_in(member)
    assert client.post("/members/999999/block/").status_code == 404
    assert client.post(f"/members/{stranger.pk}/block/").status_code == 404
    assert client.post(f"/members/{member.pk}/block/").status_code == 404
    assert client.get(f"/members/{member.pk}/block/").status_code == 405
    assert not Block.objects.exists()


def test_a_blocked_member_sees_me_as_recently(member, other_member):
    member.last_seen_at = timezone.now() - timedelta(hours=1)
    member.save()
    services.block(blocker=member, blocked=other_member)
    assert (
        "был(а) недавно" in signed_in(other_member).get(f"/members/{member.pk}/").content.decode()
    )


# --- Custom statuses ----------------------------------------------------------------------------
def test_a_status_shows_and_goes_when_its_time_is_up(member, other_member):
    signed_in(member).post("/me/status/", {"text": "На даче", "icon": "house", "until": "1h"})
    watcher = signed_in(other_member)
    assert "На даче" in watcher.get(f"/members/{member.pk}/").content.decode()
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert "На даче" not in watcher.get(f"/members/{member.pk}/").content.decode()
        assert services.clear_expired_statuses() == 1
    member.refresh_from_db()
    assert member.status_text == ""


def test_a_status_without_text_or_icon_is_refused(member):
    page = signed_in(member).post("/me/status/", {"text": " ", "icon": "", "until": "never"})
    assert page.status_code == 200
    member.refresh_from_db()
    assert member.current_status is None


def test_an_unknown_status_icon_is_refused(member):
    page = signed_in(member).post("/me/status/", {"text": "Hi", "icon": "skull", "until": "never"})
    assert page.status_code == 200
    assert User.objects.get(pk=member.pk).status_text == ""


def test_clearing_the_status(member):
    client = signed_in(member)
    client.post("/me/status/", {"text": "В отпуске", "icon": "plane", "until": "never"})
    client.post("/me/status/", {"clear": "1", "until": "never"})
    member.refresh_from_db()
    assert member.current_status is None


def test_today_ends_at_midnight_and_the_week_on_monday():
    with time_machine.travel("2026-11-25 15:00 +03:00"):  # a Wednesday in Moscow
        today = timezone.localtime(services.status_until("today"))
        week = timezone.localtime(services.status_until("week"))
    assert (today.day, today.hour) == (26, 0)
    assert (week.day, week.weekday(), week.hour) == (30, 0, 0)
    assert services.status_until("never") is None


def test_the_beat_task_clears_expired_statuses(member):
    from accounts.tasks import clear_expired_statuses

    services.set_status(user=member, text="Сплю", icon="moon", until="30m")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert clear_expired_statuses() == 1
    member.refresh_from_db()
    assert (member.status_text, member.status_icon, member.status_until) == ("", "", None)


def test_a_photo_sent_without_the_browser_crop_becomes_its_middle_square(member):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    wide = BytesIO()
    Image.new("RGB", (1600, 900), (30, 140, 90)).save(wide, format="JPEG")
    signed_in(member).post(
        "/me/avatar/", {"avatar": SimpleUploadedFile("wide.jpg", wide.getvalue(), "image/jpeg")}
    )
    member.refresh_from_db()
    with member.avatar.open() as stored, Image.open(stored) as picture:
        assert picture.size == (512, 512)
