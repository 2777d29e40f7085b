"""The notifications list, opening one, "mark all read" and the bell: each member's own only."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db

LIKE = Notification.Kind.LIKE


@pytest.fixture
def me():
    return UserFactory(display_name="Аня", language="en")


@pytest.fixture
def dad():
    return UserFactory(display_name="Папа", language="en")


def liked(recipient, actor, n, **kwargs):
    return services.notify(
        recipient, LIKE, actor=actor, url=f"/feed/posts/{n}/", text=f"Пост {n}", key=f"like:{n}"
    )


def test_the_list_shows_my_notifications_newest_first_and_no_one_elses(client, me, dad):
    first = liked(me, dad, 1)
    second = services.notify(me, "comment", actor=dad, url="/feed/posts/1/", text="Красота")
    theirs = liked(dad, me, 3)
    client.force_login(me)
    page = client.get(reverse("notifications:index")).content.decode()
    assert page.index(f'data-notification="{second.pk}"') < page.index(
        f'data-notification="{first.pk}"'
    )
    assert f'data-notification="{theirs.pk}"' not in page
    assert "<b>Папа</b> commented on your post" in page and "Красота" in page
    assert "<b>Папа</b> liked your post" in page


@pytest.mark.parametrize(
    ("kind", "english", "russian"),
    [
        ("like", "liked your post", "нравится ваш пост"),
        ("comment", "commented on your post", "комментирует ваш пост"),
        ("reply", "replied to your comment", "отвечает на ваш комментарий"),
        ("mention", "mentioned you", "упоминает вас"),
        ("moderation", "reviewed what you posted", "решение по вашей публикации"),
        ("missed_call", "Missed call from <b>Папа</b>", "Пропущенный звонок от <b>Папа</b>"),
    ],
)
def test_each_kind_reads_as_a_sentence_in_the_readers_language(
    client, me, dad, kind, english, russian
):
    services.notify(me, kind, actor=dad, url="/")
    client.force_login(me)
    assert english in client.get(reverse("notifications:index")).content.decode()
    me.language = "ru"
    me.save(update_fields=["language"])
    assert russian in client.get(reverse("notifications:index")).content.decode()


def test_a_moderation_notice_without_an_actor_still_reads_well(client, me):
    services.notify(me, "moderation", url="/")
    client.force_login(me)
    with translation.override("en"):
        assert "What you posted was reviewed" in client.get("/notifications/").content.decode()


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(client, me, dad):
    item = liked(me, dad, 7)
    client.force_login(me)
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == "/feed/posts/7/"
    item.refresh_from_db()
    assert item.read_at is not None
    assert services.unread_count(me) == 0


def test_a_notification_pointing_elsewhere_opens_the_list_instead(client, me, dad):
    item = services.notify(me, LIKE, actor=dad, url="https://evil.example/")
    client.force_login(me)
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response["Location"] == reverse("notifications:index")


def test_i_cannot_open_or_mark_another_members_notification(client, me, dad):
    theirs = liked(dad, me, 1)
    client.force_login(me)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert services.unread_count(dad) == 1


def test_mark_all_read_clears_my_count(client, me, dad):
    for n in range(3):
        liked(me, dad, n)
    client.force_login(me)
    page = client.get(reverse("home")).content.decode()
    assert "data-bell-count>3<" in page
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert services.unread_count(me) == 0
    page = client.get(reverse("home")).content.decode()
    assert "data-bell-count hidden>0<" in page
    assert client.get(reverse("notifications:count")).json() == {"unread": 0}


def test_the_bell_shows_at_most_99_plus(client, me, dad):
    Notification.objects.bulk_create(
        Notification(recipient=me, actor=dad, kind=LIKE, key=f"k{n}") for n in range(120)
    )
    client.force_login(me)
    assert "data-bell-count>99+<" in client.get(reverse("home")).content.decode()


def test_pages_are_keyset_pages_with_nothing_repeated_or_lost(client, me, dad):
    Notification.objects.bulk_create(
        Notification(recipient=me, actor=dad, kind=LIKE, key=f"k{n}") for n in range(35)
    )
    client.force_login(me)
    first = client.get(reverse("notifications:index"))
    items = first.context["items"]
    assert len(items) == 30 and first.context["next_before"] == items[-1].pk
    # A new one arriving meanwhile does not shift the next page.
    liked(me, dad, 99)
    second = client.get(
        reverse("notifications:index"), {"before": items[-1].pk}, headers={"HX-Request": "true"}
    )
    rest = second.context["items"]
    assert len(rest) == 5 and second.context["next_before"] is None
    seen = [n.pk for n in items] + [n.pk for n in rest]
    assert len(set(seen)) == 35
    assert seen == sorted(seen, reverse=True)
    assert "<html" not in second.content.decode()


def test_the_list_and_the_bell_cost_the_same_queries_for_many(
    client, me, dad, django_assert_max_num_queries
):
    liked(me, dad, 1)
    client.force_login(me)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:index"))
    people = [UserFactory() for _ in range(10)]
    for n, person in enumerate(people * 3):
        services.notify(me, LIKE, actor=person, key=f"many:{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("notifications:index")).content.decode()
    assert page.count("data-notification=") == 30


def test_the_anonymous_are_sent_to_sign_in(client, me, dad):
    item = liked(me, dad, 1)
    for url in (
        reverse("notifications:index"),
        reverse("notifications:open", args=[item.pk]),
        reverse("notifications:count"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(reverse("notifications:read_all")).status_code == 302
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read_is_a_post(client, me, dad):
    liked(me, dad, 1)
    client.force_login(me)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert services.unread_count(me) == 1
