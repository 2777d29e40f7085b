"""Feed pages cost a fixed number of queries, and live events reach exactly the audience."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Contact
from accounts.tests.factories import UserFactory
from core import realtime
from core.tests.realtime_helpers import payloads
from feed import services
from feed.models import Post
from feed.tests.factories import comment, jpeg, png, post

pytestmark = pytest.mark.django_db


def _rich_posts(author, people, count):
    made = []
    for n in range(count):
        item = post(author, f"Пост {n} для @{people[0].username} https://example.org/{n}",
                    uploads=[png(f"a{n}.png"), png(f"b{n}.png")])  # fmt: skip
        for person in people:
            services.set_like(user=person, post=item, liked=True)
            top = comment(person, item, f"Комментарий @{author.username}")
            comment(author, item, "Ответ", parent=top)
            services.save_post(user=person, post=item)
        made.append(item)
    return made


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_feed_page_costs_the_same_for_one_and_twenty_rich_posts(
    client, author, viewer, django_assert_max_num_queries
):
    people = [viewer, UserFactory(username="galya"), UserFactory(username="dima")]
    client.force_login(viewer)
    _rich_posts(author, people, 1)
    client.get(reverse("home"))  # the first request after signing in notes the device
    one = _queries(client, reverse("home"))
    _rich_posts(author, people, 24)
    twenty = _queries(client, reverse("home"))
    assert one == twenty
    with django_assert_max_num_queries(one):
        page = client.get(reverse("home")).content.decode()
    assert page.count("data-post-id=") == 20
    oldest_shown = Post.objects.order_by("-pk")[19].pk
    with django_assert_max_num_queries(one):
        older = client.get(reverse("feed:index"), {"before": oldest_shown}, HTTP_HX_REQUEST="true")
    assert older.content.decode().count("data-post-id=") == 5
    profile = reverse("feed:member_posts", args=[author.pk])
    with django_assert_max_num_queries(one):
        client.get(profile)


def test_a_post_page_costs_the_same_for_few_and_many_comments(client, author, viewer):
    people = [viewer, UserFactory(username="galya")]
    small, big = _rich_posts(author, people, 2)
    for n in range(20):
        top = comment(viewer, big, f"Ещё {n}")
        comment(author, big, "Да", parent=top)
    client.force_login(viewer)
    client.get(reverse("home"))
    assert _queries(client, small.get_absolute_url()) == _queries(client, big.get_absolute_url())


def test_pages_walk_back_through_the_history_without_gaps_or_repeats(client, author, viewer):
    made = [post(author, f"Номер {n}") for n in range(45)]
    client.force_login(viewer)
    seen, before = [], None
    while True:
        params = {"before": before} if before else {}
        html = client.get(reverse("feed:index"), params, HTTP_HX_REQUEST="true").content.decode()
        ids = [int(chunk.split('"')[0]) for chunk in html.split('data-post-id="')[1:]]
        if not ids:
            break
        seen += ids
        before = ids[-1]
        if 'hx-trigger="revealed"' not in html:
            break
    assert seen == [item.pk for item in reversed(made)]


def _events(person, kind):
    return payloads(person, kind)


def test_a_new_post_is_announced_to_its_audience_only(
    author, viewer, outsider, django_capture_on_commit_callbacks
):
    Contact.objects.create(owner=author, person=viewer)
    with django_capture_on_commit_callbacks(execute=True):
        made = post(author, "Только своим", audience=Post.Audience.CONTACTS)
    assert _events(viewer, "post.created") == [{"post_id": made.pk, "author_id": author.pk}]
    assert _events(outsider, "post.created") == []
    assert _events(author, "post.created") == []


def test_the_new_posts_request_returns_what_came_after(client, author, viewer):
    old = post(author, "Старый")
    new = post(author, "Новый", uploads=[jpeg()])
    client.force_login(viewer)
    html = client.get(reverse("feed:index"), {"after": old.pk}, HTTP_HX_REQUEST="true")
    assert f'data-post-id="{new.pk}"' in html.content.decode()
    assert f'data-post-id="{old.pk}"' not in html.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_open_tabs_of_the_audience_hear_new_counts_and_others_hear_nothing(
    author, viewer, outsider
):
    import asyncio

    from asgiref.sync import sync_to_async
    from channels.layers import get_channel_layer

    from accounts.models import Connection
    from core.realtime import group_for

    @sync_to_async
    def setup():
        Contact.objects.create(owner=author, person=viewer)
        for person in (author, viewer, outsider):
            Connection.objects.create(
                user=person, channel_name=f"tab-{person.pk}", seen_at=timezone.now()
            )
        return post(author, "Своим", audience=Post.Audience.CONTACTS)

    made = await setup()
    layer = get_channel_layer()
    tabs = {}
    for person in (author, viewer, outsider):
        tabs[person.pk] = await layer.new_channel()
        await layer.group_add(group_for(person.pk), tabs[person.pk])

    await sync_to_async(services.set_like)(user=viewer, post=made, liked=True)

    async def next_counts(channel):
        while True:
            message = await layer.receive(channel)
            if realtime.frame_of(message)["type"] == "post.counts":
                return realtime.frame_of(message)

    async with asyncio.timeout(5):
        for person in (author, viewer):
            frame = await next_counts(tabs[person.pk])
            assert frame == {
                "type": "post.counts", "post_id": made.pk, "likes": 1, "comments": 0, "seq": None,
            }  # fmt: skip
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await next_counts(tabs[outsider.pk])
