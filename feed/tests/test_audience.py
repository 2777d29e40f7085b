"""Who may see what: every feed endpoint, for every audience, as each kind of person.

A member outside a post's audience gets 404 for the post, its media, likes and comments, and for
every action on it; someone signed out is sent to sign in.
"""

import pytest
from django.urls import reverse

from accounts.models import Block, Contact
from accounts.tests.factories import UserFactory
from feed.models import Post
from feed.tests.factories import comment, jpeg, post
from messaging.services import communities

pytestmark = pytest.mark.django_db

ROLES = ["owner", "author", "audience", "outsider", "anonymous"]
AUDIENCES = ["family", "contacts", "community", "me"]


@pytest.fixture
def people(db):
    owner = UserFactory(username="owner", is_superuser=True, is_staff=True)
    author = UserFactory(username="anna")
    audience = UserFactory(username="boris")
    outsider = UserFactory(username="vera")
    Contact.objects.create(owner=author, person=audience)
    return {"owner": owner, "author": author, "audience": audience, "outsider": outsider}


def _post(people, audience):
    community = None
    if audience == "community":
        community = communities.create_community(by=people["author"], title="Дача")
        communities.join_community(user=people["audience"], community=community)
    made = post(
        people["author"], "Фото с дачи", audience=audience, community=community, uploads=[jpeg()]
    )
    comment(people["author"], made, "Первый")
    return made


def _sees(role, audience):
    if role == "anonymous":
        return False
    if role == "author":
        return True
    if audience == "family":
        return True
    return role == "audience" and audience in ("contacts", "community")


# (name, method, url builder, data, who may do it when they see the post)
def _endpoints(made):
    media = made.media.first()
    first_comment = made.comments.first()
    return [
        ("post", "get", reverse("feed:post", args=[made.pk]), None, "all"),
        ("photo", "get", reverse("media", args=[media.file]), None, "all"),
        ("preview", "get", reverse("media", args=[media.preview]), None, "all"),
        ("likers", "get", reverse("feed:likers", args=[made.pk]), None, "all"),
        ("comments", "get", reverse("feed:comments", args=[made.pk]), None, "all"),
        ("share page", "get", reverse("feed:share", args=[made.pk]), None, "all"),
        ("like", "post", reverse("feed:like", args=[made.pk]), {"liked": "1"}, "all"),
        ("save", "post", reverse("feed:save", args=[made.pk]), {}, "all"),
        (
            "comment",
            "post",
            reverse("feed:comment", args=[made.pk]),
            {"text": "Ух ты", "client_id": "matrix-comment-1"},
            "all",
        ),
        ("report page", "get", reverse("feed:report", args=[made.pk]), None, "all"),
        ("edit page", "get", reverse("feed:edit", args=[made.pk]), None, "author"),
        (
            "edit comment page",
            "get",
            reverse("feed:edit_comment", args=[first_comment.pk]),
            None,
            "author",
        ),
        (
            "report comment",
            "get",
            reverse("feed:report_comment", args=[first_comment.pk]),
            None,
            "all",
        ),
        (
            "report post",
            "post",
            reverse("feed:report", args=[made.pk]),
            {"reason": "spam"},
            "not author",
        ),
        (
            "edit comment",
            "post",
            reverse("feed:edit_comment", args=[first_comment.pk]),
            {"text": "Исправлено"},
            "author",
        ),
        (
            "delete comment",
            "post",
            reverse("feed:delete_comment", args=[first_comment.pk]),
            {},
            "author+owner",
        ),
        ("hide", "post", reverse("feed:hide", args=[made.pk]), {}, "owner"),
        ("delete", "post", reverse("feed:delete", args=[made.pk]), {}, "author+owner"),
    ]


def _allowed(rule, role):
    return rule == "all" or rule == role or (rule == "author+owner" and role in ("author", "owner"))


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_by_audience(client, people, role, audience):
    made = _post(people, audience)
    if role != "anonymous":
        client.force_login(people[role])
    for name, method, url, data, rule in _endpoints(made):
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data, HTTP_ACCEPT="application/json")
        status = response.status_code
        if role == "anonymous":
            expected = {302, 404} if name in ("photo", "preview") else {302}
            assert status in expected, (name, status)
            if status == 302:
                assert "login" in response["Location"], name
        elif not _sees(role, audience):
            assert status == 404, (name, role, audience, status)
        elif _allowed(rule, role):
            assert status in (200, 302), (name, role, audience, status)
        elif rule == "not author":
            assert status in (302, 400), (name, role, audience, status)  # refused: own post
        else:
            assert status in (403, 404), (name, role, audience, status)
        if name == "delete" and role != "anonymous" and status in (200, 302):
            assert not Post.objects.filter(pk=made.pk).exists()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_feed_lists_a_post_only_for_its_audience(client, people, audience):
    made = _post(people, audience)
    for role in ("owner", "author", "audience", "outsider"):
        client.force_login(people[role])
        page = client.get(reverse("home")).content.decode()
        assert (f'data-post-id="{made.pk}"' in page) == _sees(role, audience), role
        profile = client.get(reverse("feed:member_posts", args=[people["author"].pk]))
        assert (f'data-post-id="{made.pk}"' in profile.content.decode()) == _sees(role, audience)


@pytest.mark.parametrize("blocker", ["author", "viewer"])
def test_a_block_either_way_hides_posts_and_their_media(client, people, blocker):
    made = _post(people, "family")
    author, viewer = people["author"], people["audience"]
    if blocker == "author":
        Block.objects.create(blocker=author, blocked=viewer)
    else:
        Block.objects.create(blocker=viewer, blocked=author)
    client.force_login(viewer)
    assert f'data-post-id="{made.pk}"' not in client.get(reverse("home")).content.decode()
    assert client.get(made.get_absolute_url()).status_code == 404
    assert client.get(reverse("media", args=[made.media.first().file])).status_code == 404
    assert client.post(reverse("feed:like", args=[made.pk])).status_code == 404


def test_a_hidden_post_is_seen_only_by_its_author(client, people):
    from feed import services

    made = _post(people, "family")
    services.set_post_hidden(user=people["owner"], post=made, hidden=True)
    client.force_login(people["audience"])
    assert client.get(made.get_absolute_url()).status_code == 404
    client.force_login(people["author"])
    page = client.get(made.get_absolute_url()).content.decode()
    assert "only you see this post" in page or "только вы" in page


def test_a_member_who_leaves_a_community_no_longer_sees_its_posts(client, people):
    from messaging.models import CommunityMember

    made = _post(people, "community")
    client.force_login(people["audience"])
    assert client.get(made.get_absolute_url()).status_code == 200
    CommunityMember.objects.filter(user=people["audience"]).delete()
    assert client.get(made.get_absolute_url()).status_code == 404


def test_only_the_author_may_edit_and_the_post_shows_it_was_edited(client, people):
    made = _post(people, "family")
    url = reverse("feed:edit", args=[made.pk])
    client.force_login(people["audience"])
    assert client.post(url, {"text": "Чужая правка"}).status_code == 404
    client.force_login(people["author"])
    assert client.post(url, {"text": "Фото с дачи, **лето**"}).status_code == 302
    made.refresh_from_db()
    assert made.text == "Фото с дачи, **лето**" and made.edited_at is not None
    page = client.get(made.get_absolute_url()).content.decode()
    assert "<b>лето</b>" in page


def test_a_members_profile_page_loads_their_posts(client, people):
    _post(people, "family")
    client.force_login(people["audience"])
    page = client.get(reverse("accounts:member", args=[people["author"].pk])).content.decode()
    assert reverse("feed:member_posts", args=[people["author"].pk]) in page
    own = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("feed:member_posts", args=[people["audience"].pk]) in own


def test_the_owner_hides_a_post_sees_it_marked_and_shows_it_again(client, people):
    made = _post(people, "family")
    client.force_login(people["owner"])
    client.post(reverse("feed:hide", args=[made.pk]))
    made.refresh_from_db()
    assert made.hidden_at is not None
    page = client.get(reverse("home")).content.decode()
    assert f'data-post-id="{made.pk}"' in page and 'name="hidden" value="0"' in page
    client.force_login(people["audience"])
    assert f'data-post-id="{made.pk}"' not in client.get(reverse("home")).content.decode()
    client.force_login(people["owner"])
    client.post(reverse("feed:hide", args=[made.pk]), {"hidden": "0"})
    client.force_login(people["audience"])
    assert client.get(made.get_absolute_url()).status_code == 200
