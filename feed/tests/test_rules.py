"""The rules posts and status updates share, each written once: who sees a row (and whom its
events go to), the browser's client id, how a refusal is answered, staged uploads, event shapes."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from accounts.models import Block, Contact
from accounts.tests.factories import UserFactory
from core import events as core_events
from core.errors import Invalid, Refused
from core.media import MediaError
from feed import events, selectors, services
from feed.audience import Audience, members_who_see, seen_by
from feed.models import Post, PostMedia, Story
from feed.selectors import stories as story_selectors
from feed.services import stories
from feed.tests.factories import comment, jpeg, post
from messaging.services import communities


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def family(db):
    """An author, a contact of theirs, a community member, a bystander, one who blocked the
    author, one the author blocked, and a member who left."""
    people = {
        name: UserFactory(username=name)
        for name in ("anna", "boris", "vera", "gleb", "dina", "egor", "zoya")
    }
    anna = people["anna"]
    Contact.objects.create(owner=anna, person=people["boris"])
    Contact.objects.create(owner=anna, person=people["dina"])
    Block.objects.create(blocker=people["dina"], blocked=anna)
    Block.objects.create(blocker=anna, blocked=people["egor"])
    people["zoya"].is_active = False
    people["zoya"].save(update_fields=["is_active"])
    dacha = communities.create_community(by=anna, title="Дача")
    for name in ("vera", "egor"):
        communities.join_community(user=people[name], community=dacha)
    people["dacha"] = dacha
    return people


def _rows(family):
    anna, dacha = family["anna"], family["dacha"]
    made = []
    for audience in Audience.values:
        community = dacha if audience == Audience.COMMUNITY else None
        made.append(post(anna, f"Пост: {audience}", audience=audience, community=community))
        made.append(
            stories.post_story(
                author=anna,
                client_id=uuid.uuid4().hex,
                kind="text",
                text=f"Статус: {audience}",
                audience=audience,
                community=community,
            )
        )
    return made


def test_posts_and_status_updates_share_one_set_of_audience_choices():
    assert Post.Audience is Story.Audience is Audience
    assert Post._meta.get_field("audience").choices == Story._meta.get_field("audience").choices
    with translation.override("en"):
        assert Audience.FAMILY.label == "The whole family"


def test_whom_events_go_to_is_the_audience_rule_read_the_other_way(family):
    members = [person for name, person in family.items() if name != "dacha" and person.is_active]
    for row in _rows(family):
        told = set(members_who_see(row).values_list("pk", flat=True))
        for member in members:
            sees = type(row).objects.filter(seen_by(member), pk=row.pk).exists()
            assert (member.pk in told) == sees, (row, member.username)


def test_a_post_and_a_status_update_tell_the_same_members(family):
    anna = family["anna"]
    for row in _rows(family):
        if isinstance(row, Story):
            told = set(story_selectors.audience_ids(row)) | {anna.pk}
        else:
            told = set(selectors.audience_ids(row))
        assert told == set(members_who_see(row).values_list("pk", flat=True)), row


@pytest.mark.parametrize("client_id", ["", "short", "has spaces in it", "x" * 65, "ид-кириллицей"])
def test_posts_comments_and_stories_refuse_a_client_id_outside_the_one_rule(author, client_id):
    with pytest.raises(Invalid, match="no valid id"):
        services.create_post(author=author, client_id=client_id, text="Привет")
    made = post(author)
    with pytest.raises(Invalid, match="no valid id"):
        services.add_comment(user=author, post=made, text="Ура", client_id=client_id)
    assert Post.objects.count() == 1 and made.comments.count() == 0
    with pytest.raises(Invalid, match="reload the page"):
        stories.post_story(author=author, client_id=client_id, kind="text", text="Дача")
    assert not Story.objects.exists()


def test_a_refused_write_is_answered_by_the_middleware_with_its_status(client, author):
    made = post(author)
    client.force_login(UserFactory(language="en"))
    url = reverse("feed:delete", args=[made.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.json() == {"error": "Only the author can delete a post."}
    # A plain form goes back where it came from, with the reason as a message.
    back = reverse("feed:post", args=[made.pk])
    response = client.post(url, {"next": back}, follow=True)
    assert response.redirect_chain[0] == (back, 302)
    assert "Only the author can delete a post." in [str(m) for m in response.context["messages"]]
    assert Post.objects.filter(pk=made.pk).exists()


def test_invalid_input_is_a_400_and_a_foreign_community_a_404(client, author, viewer):
    client.force_login(author)
    bad_id = client.post(
        reverse("feed:create"), {"client_id": "x", "text": "Привет"}, headers={"HX-Request": "true"}
    )
    assert bad_id.status_code == 400 and bad_id.json() == {"error": "The post has no valid id."}
    theirs = communities.create_community(by=viewer, title="Чужая")
    with pytest.raises(Refused) as refused:
        services.create_post(
            author=author,
            client_id=uuid.uuid4().hex,
            text="Привет",
            audience="community",
            community=theirs,
        )
    assert refused.value.status == 404 and not isinstance(refused.value, Invalid)


def test_only_the_author_deletes_a_status_update(author, viewer):
    story = stories.post_story(author=author, client_id=uuid.uuid4().hex, kind="text", text="Я")
    with pytest.raises(Refused) as refused:
        stories.delete_story(story=story, by=viewer)
    assert refused.value.status == 403
    assert Story.objects.filter(pk=story.pk).exists()


def test_a_post_that_fails_after_its_files_are_staged_leaves_no_file(author, monkeypatch):
    stored = []
    real_save = default_storage.save

    def remember(name, content, **kwargs):
        stored.append(real_save(name, content, **kwargs))
        return stored[-1]

    monkeypatch.setattr(default_storage, "save", remember)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PostMedia.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.create_post(
            author=author, client_id=uuid.uuid4().hex, text="Фото", uploads=[jpeg(), jpeg()]
        )
    assert stored and not any(default_storage.exists(name) for name in stored)
    assert not Post.objects.exists()


def test_a_status_update_photo_that_is_not_one_is_refused_as_invalid(author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(MediaError):
        stories.post_story(author=author, client_id=uuid.uuid4().hex, kind="photo", photo=fake)
    assert issubclass(MediaError, Invalid) and not Story.objects.exists()


def test_every_feed_event_matches_its_registered_shape(author):
    made = post(author)
    comment(author, made)
    made.refresh_from_db()
    story = stories.post_story(author=author, client_id=uuid.uuid4().hex, kind="text", text="Я")
    built = [
        events.post_created(made),
        events.post_counts(made),
        events.post_removed(made.pk),
        events.story_posted(story),
        events.story_deleted(story),
    ]
    for event in built:
        core_events.check(event)
    assert {event["type"] for event in built} <= core_events.names()
    with pytest.raises(core_events.MisshapenEvent):
        core_events.check({**events.story_posted(story), "extra": 1})
