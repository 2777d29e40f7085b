"""Status updates: who sees them, for how long, views, the row, and what an upload may be."""

import io
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from accounts.models import Block, Contact
from accounts.tests.factories import UserFactory
from core.errors import Invalid
from core.tests.helpers import photo_bytes, upload
from feed.models import Story, StoryView
from feed.selectors import stories as selectors
from feed.services import stories as services
from feed.tasks import expire_stories
from messaging.models import Community, CommunityMember

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def stored_stories() -> list[str]:
    found, folders = [], ["stories"]
    while folders and default_storage.exists("stories"):
        current = folders.pop()
        subfolders, files = default_storage.listdir(current)
        folders += [f"{current}/{name}" for name in subfolders]
        found += [f"{current}/{name}" for name in files]
    return sorted(found)


def text_story(author, text="Пеку пироги", **kwargs):
    return services.post_story(
        author=author, client_id=uuid.uuid4().hex, kind="text", text=text, **kwargs
    )


def photo_story(author, **kwargs):
    return services.post_story(
        author=author,
        client_id=uuid.uuid4().hex,
        kind="photo",
        photo=upload(photo_bytes(size=(3000, 2000))),
        **kwargs,
    )


@pytest.fixture
def people(owner):
    """The author, a member of the update's audience (a saved contact), and one outside it."""
    author = UserFactory(display_name="Аня", language="en")
    friend = UserFactory(display_name="Оля", language="en")
    outsider = UserFactory(display_name="Коля", language="en")
    Contact.objects.create(owner=author, person=friend)
    return {"owner": owner, "author": author, "friend": friend, "outsider": outsider}


# --- Who sees what: every endpoint, every kind of person -----------------------------------------

ENDPOINTS = {
    "viewer": ("get", lambda s: reverse("stories:member", args=[s.author_id])),
    "seen": ("post", lambda s: reverse("stories:seen", args=[s.pk])),
    "photo": ("get", lambda s: reverse("media", args=[s.photo.name])),
    "viewers": ("get", lambda s: reverse("stories:viewers", args=[s.pk])),
    "delete": ("post", lambda s: reverse("stories:delete", args=[s.pk])),
}
# For a "my contacts" update: what each person gets from each endpoint.
EXPECTED = {
    "author": {"viewer": 200, "seen": 204, "photo": 200, "viewers": 200, "delete": 302},
    "friend": {"viewer": 200, "seen": 204, "photo": 200, "viewers": 404, "delete": 404},
    "outsider": {"viewer": 404, "seen": 404, "photo": 404, "viewers": 404, "delete": 404},
    "owner": {"viewer": 404, "seen": 404, "photo": 404, "viewers": 404, "delete": 404},
}


@pytest.mark.parametrize("who", ["author", "friend", "outsider", "owner"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_every_story_endpoint_answers_only_whom_it_should(client, people, who, endpoint):
    story = photo_story(people["author"], audience="contacts")
    client.force_login(people[who])
    method, url = ENDPOINTS[endpoint]
    response = getattr(client, method)(url(story))
    assert response.status_code == EXPECTED[who][endpoint]
    assert Story.objects.filter(pk=story.pk).exists() == (
        not (who == "author" and endpoint == "delete")
    )


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_the_anonymous_are_sent_to_sign_in_or_get_404(client, people, endpoint):
    story = photo_story(people["author"])
    method, url = ENDPOINTS[endpoint]
    response = getattr(client, method)(url(story))
    if endpoint == "photo":
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    assert Story.objects.filter(pk=story.pk).exists()
    assert not StoryView.objects.exists()


def test_the_row_and_new_pages_need_a_signed_in_member(client):
    for name in ("stories:row", "stories:new"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("audience", "sees"),
    [
        ("family", {"friend", "outsider", "owner"}),
        ("contacts", {"friend"}),
        ("community", {"outsider"}),
        ("me", set()),
    ],
)
def test_each_audience_choice_is_who_sees_the_update(people, audience, sees):
    author = people["author"]
    community = None
    if audience == "community":
        community = Community.objects.create(title="Дача", created_by=author)
        for person in (author, people["outsider"]):
            CommunityMember.objects.create(community=community, user=person)
    story = text_story(author, audience=audience, community=community)
    seeing = {
        who
        for who in ("friend", "outsider", "owner")
        if selectors.visible_to(people[who]).filter(pk=story.pk).exists()
    }
    assert seeing == sees
    assert selectors.visible_to(author).filter(pk=story.pk).exists()
    assert {people[w].pk for w in sees} == set(selectors.audience_ids(story))


@pytest.mark.parametrize("direction", ["author blocked them", "they blocked the author"])
def test_members_who_block_each_other_never_see_each_others_updates(client, people, direction):
    author, friend = people["author"], people["friend"]
    if direction == "author blocked them":
        Block.objects.create(blocker=author, blocked=friend)
    else:
        Block.objects.create(blocker=friend, blocked=author)
    story = photo_story(author)
    mine = text_story(friend)
    client.force_login(friend)
    assert client.get(reverse("stories:member", args=[author.pk])).status_code == 404
    assert client.get(reverse("media", args=[story.photo.name])).status_code == 404
    assert author.pk not in [ring.author.pk for ring in selectors.rings_for(friend)]
    assert friend.pk not in [ring.author.pk for ring in selectors.rings_for(author)]
    assert not selectors.visible_to(author).filter(pk=mine.pk).exists()
    assert friend.pk not in selectors.audience_ids(story)


def test_a_community_audience_must_be_a_community_of_the_author(people):
    community = Community.objects.create(title="Чужая", created_by=people["outsider"])
    CommunityMember.objects.create(community=community, user=people["outsider"])
    with pytest.raises(Invalid, match="communities"):
        text_story(people["author"], audience="community", community=community)
    assert not Story.objects.exists()


# --- Posting ---------------------------------------------------------------------------------


def test_a_text_update_is_posted_from_the_form_and_shown_in_the_row(client, people):
    author, friend = people["author"], people["friend"]
    client.force_login(author)
    page = client.get(reverse("stories:new"))
    assert page.status_code == 200
    client_id = page.context["form"]["client_id"].value()
    data = {
        "client_id": client_id,
        "kind": "text",
        "text": "Едем на дачу",
        "background": "violet",
        "audience": "contacts",
    }
    response = client.post(reverse("stories:new"), data)
    assert response.status_code == 302
    # The same form sent again (a retry) posts nothing new.
    assert client.post(reverse("stories:new"), data).status_code == 302
    story = Story.objects.get()
    assert (story.text, story.background, story.audience) == ("Едем на дачу", "violet", "contacts")
    assert story.expires_at - story.created_at == timedelta(hours=24)

    client.force_login(friend)
    feed = client.get(reverse("home")).content.decode()
    assert f'data-story-author="{author.pk}"' in feed
    assert "story-ring--unseen" in feed
    viewer = client.get(reverse("stories:member", args=[author.pk])).content.decode()
    assert "Едем на дачу" in viewer and "story--bg-violet" in viewer


def test_a_photo_update_is_resized_and_loses_its_location(client, people):
    client.force_login(people["author"])
    response = client.post(
        reverse("stories:new"),
        {
            "client_id": "photo-0001",
            "kind": "photo",
            "caption": "Закат",
            "audience": "family",
            "photo": upload(photo_bytes(size=(4000, 3000))),
        },
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.kind == "photo" and story.text == "Закат"
    with default_storage.open(story.photo.name) as stored, Image.open(stored) as picture:
        assert max(picture.size) == services.PHOTO_MAX_SIDE
        assert not picture.getexif()


def bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [
        (b"just some text pretending", "photo.jpg", "image/jpeg", "not a picture"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "photo.svg",
            "image/svg+xml",
            "not a picture",
        ),
        (b"%PDF-1.4 fake", "photo.pdf", "application/pdf", "not a picture"),
        (None, "bomb.png", "image/png", "too large in pixels"),
        (b"", "photo.jpg", "image/jpeg", "empty"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_error_and_nothing_is_stored(
    client, people, data, name, content_type, message
):
    before = stored_stories()
    client.force_login(people["author"])
    response = client.post(
        reverse("stories:new"),
        {
            "client_id": "bad-00001",
            "kind": "photo",
            "audience": "family",
            "photo": upload(bomb() if data is None else data, name, content_type),
        },
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Story.objects.exists()
    assert stored_stories() == before


def test_an_oversized_photo_is_refused_before_it_is_read(client, people, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1024 * 1024
    client.force_login(people["author"])
    response = client.post(
        reverse("stories:new"),
        {
            "client_id": "big-00001",
            "kind": "photo",
            "audience": "family",
            "photo": upload(b"\xff" * (1024 * 1024 + 1)),
        },
    )
    assert response.status_code == 422
    assert "too large" in response.content.decode()
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "text", "text": "  "}, "Write something"),
        ({"kind": "text", "text": "x" * 251}, "at most 250"),
        ({"kind": "photo"}, "Choose a photo"),
        ({"kind": "text", "text": "Привет", "audience": "everyone-in-town"}, "valid choice"),
    ],
)
def test_an_incomplete_update_is_refused_and_nothing_is_posted(client, people, fields, message):
    client.force_login(people["author"])
    data = {"client_id": "c-000001", "audience": "family", "background": "teal", **fields}
    response = client.post(reverse("stories:new"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Story.objects.exists()


# --- Views -----------------------------------------------------------------------------------


def test_a_view_is_recorded_once_and_the_author_sees_who_and_when(client, people):
    author, friend = people["author"], people["friend"]
    story = text_story(author)
    client.force_login(friend)
    for _ in range(3):
        assert client.post(reverse("stories:seen", args=[story.pk])).status_code == 204
    assert StoryView.objects.filter(story=story, viewer=friend).count() == 1

    client.force_login(author)
    # The author looking at their own update is not a view.
    assert client.post(reverse("stories:seen", args=[story.pk])).status_code == 204
    page = client.get(reverse("stories:viewers", args=[story.pk])).content.decode()
    assert StoryView.objects.count() == 1
    assert f'data-viewer="{friend.pk}"' in page and "Оля" in page
    assert "Seen by 1 member" in page


def test_a_ring_is_unseen_until_every_update_of_the_member_is_seen(people):
    author, friend = people["author"], people["friend"]
    first, second = text_story(author, "Раз"), text_story(author, "Два")
    [ring] = selectors.rings_for(friend)
    assert ring.unseen and ring.first_unseen == first
    services.record_view(story=first, viewer=friend)
    [ring] = selectors.rings_for(friend)
    assert ring.unseen and ring.first_unseen == second
    services.record_view(story=second, viewer=friend)
    [ring] = selectors.rings_for(friend)
    assert not ring.unseen


def test_the_row_puts_me_first_then_unseen_then_seen(people):
    me, anna, olga = people["friend"], people["author"], people["outsider"]
    seen_one = text_story(anna, "Старое")
    text_story(olga, "Новое")
    text_story(me, "Моё")
    services.record_view(story=seen_one, viewer=me)
    order = [ring.author for ring in selectors.rings_for(me)]
    assert order == [me, olga, anna]


def test_the_feed_row_costs_the_same_queries_for_many_members(
    client, people, django_assert_max_num_queries
):
    me = people["friend"]
    client.force_login(me)
    text_story(people["author"])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("home"))
    for _ in range(6):
        text_story(UserFactory())
        photo_story(UserFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    assert page.count("data-story-author=") == 13


def test_the_author_deletes_an_update_and_its_photo(
    client, people, django_capture_on_commit_callbacks
):
    story = photo_story(people["author"])
    name = story.photo.name
    client.force_login(people["author"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("stories:delete", args=[story.pk])).status_code == 302
    assert not Story.objects.exists()
    assert not default_storage.exists(name)


# --- Expiry ----------------------------------------------------------------------------------


def test_an_expired_update_is_gone_on_every_read_path_without_the_beat(client, people):
    author, friend = people["author"], people["friend"]
    story = photo_story(author)
    client.force_login(friend)
    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)):
        assert Story.objects.filter(pk=story.pk).exists()  # nothing deleted it yet
        assert selectors.rings_for(friend) == []
        assert client.get(reverse("stories:member", args=[author.pk])).status_code == 404
        assert client.post(reverse("stories:seen", args=[story.pk])).status_code == 404
        assert client.get(reverse("media", args=[story.photo.name])).status_code == 404
        assert "data-story-author" not in client.get(reverse("home")).content.decode()
        client.force_login(author)
        assert client.get(reverse("stories:viewers", args=[story.pk])).status_code == 404


def test_an_update_is_still_there_just_before_its_24_hours_end(client, people):
    story = text_story(people["author"])
    client.force_login(people["friend"])
    with time_machine.travel(story.expires_at - timedelta(seconds=5)):
        url = reverse("stories:member", args=[story.author_id])
        assert client.get(url).status_code == 200


def test_the_beat_task_deletes_expired_updates_and_their_files(
    people, django_capture_on_commit_callbacks
):
    old = photo_story(people["author"])
    name = old.photo.name
    with time_machine.travel(timezone.now() + timedelta(hours=12)):
        fresh = photo_story(people["friend"])
    services.record_view(story=old, viewer=people["friend"])
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        with django_capture_on_commit_callbacks(execute=True):
            assert expire_stories() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert expire_stories() == 0  # idempotent
    assert list(Story.objects.all()) == [fresh]
    assert not StoryView.objects.exists()
    assert not default_storage.exists(name)
    assert default_storage.exists(fresh.photo.name)


def test_the_beat_runs_the_expiry_task(settings):
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "feed.expire_stories" in entries
    from toricy.celery import app

    app.loader.import_default_modules()
    assert "feed.expire_stories" in app.tasks


def test_the_viewer_and_the_viewers_list_cost_the_same_queries_for_many(
    client, people, django_assert_max_num_queries
):
    author = people["author"]
    first = text_story(author)
    services.record_view(story=first, viewer=people["friend"])
    client.force_login(author)
    viewer_url = reverse("stories:member", args=[author.pk])
    viewers_url = reverse("stories:viewers", args=[first.pk])
    with django_assert_max_num_queries(12) as few_viewer:
        client.get(viewer_url)
    with django_assert_max_num_queries(12) as few_viewers:
        client.get(viewers_url)
    for _ in range(5):
        text_story(author)
        photo_story(author)
    for _ in range(8):
        services.record_view(story=first, viewer=UserFactory())
    with django_assert_max_num_queries(len(few_viewer.captured_queries)):
        page = client.get(viewer_url).content.decode()
    assert page.count("data-story=") == 11
    with django_assert_max_num_queries(len(few_viewers.captured_queries)):
        page = client.get(viewers_url).content.decode()
    assert page.count("data-viewer=") == 9
