"""Likes, comments, mentions, favourites, reports and sharing: what members see happen."""

import pytest
from django.urls import reverse

from accounts.models import Block
from accounts.tests.factories import UserFactory
from core.errors import Refused
from feed import selectors, services
from feed.models import Comment, Favourite, FavouriteFolder, Like, Post, Report
from feed.tests.factories import comment, jpeg, post
from messaging import services as messaging
from messaging.models import Message
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _notes(person, kind=None):
    notes = Notification.objects.filter(recipient=person)
    return notes.filter(kind=kind) if kind else notes


def test_a_like_counts_once_tells_the_author_once_and_an_unlike_takes_it_back(
    client, author, viewer
):
    made = post(author)
    client.force_login(viewer)
    url = reverse("feed:like", args=[made.pk])
    for _ in range(2):
        response = client.post(url, {"liked": "1"}, HTTP_ACCEPT="application/json")
        assert response.json() == {"liked": True, "likes": 1}
    assert Like.objects.count() == 1
    note = _notes(author).get()
    assert note.kind == Notification.Kind.LIKE and note.actor == viewer
    assert note.url == made.get_absolute_url()
    response = client.post(url, {"liked": "0"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"liked": False, "likes": 0}
    assert not _notes(author).exists()
    client.get(reverse("feed:likers", args=[made.pk]))


def test_liking_my_own_post_tells_nobody(author):
    made = post(author)
    services.set_like(user=author, post=made, liked=True)
    assert not Notification.objects.exists()


def test_the_list_of_who_liked(client, author, viewer, outsider):
    made = post(author)
    services.set_like(user=viewer, post=made, liked=True)
    services.set_like(user=outsider, post=made, liked=True)
    client.force_login(author)
    page = client.get(reverse("feed:likers", args=[made.pk])).content.decode()
    assert viewer.name in page and outsider.name in page


def test_a_comment_tells_the_author_once_and_a_retry_adds_nothing(client, author, viewer):
    made = post(author)
    client.force_login(viewer)
    url = reverse("feed:comment", args=[made.pk])
    data = {"text": "Какая красота!\nПравда", "client_id": "comment-retry-1"}
    first = client.post(url, data, HTTP_ACCEPT="application/json")
    again = client.post(url, data, HTTP_ACCEPT="application/json")
    assert first.status_code == again.status_code == 200
    assert "Какая красота!<br>Правда" in first.content.decode()
    assert Comment.objects.count() == 1
    made.refresh_from_db()
    assert made.comment_count == 1
    note = _notes(author).get()
    assert note.kind == Notification.Kind.COMMENT and note.text == "Какая красота! Правда"


def test_a_reply_tells_the_comment_author_and_stays_one_level_deep(author, viewer, outsider):
    made = post(author)
    top = comment(viewer, made, "Где это?")
    reply = comment(outsider, made, "На даче", parent=top)
    deeper = comment(author, made, "Да, у бабушки", parent=reply)
    assert reply.parent == top and deeper.parent == top
    assert _notes(viewer, Notification.Kind.REPLY).count() == 1  # outsider replied to them
    assert _notes(outsider, Notification.Kind.REPLY).count() == 1  # the author replied to them
    assert _notes(author, Notification.Kind.COMMENT).count() == 2  # viewer's and outsider's


def test_a_reply_to_the_post_authors_comment_is_one_notification(author, viewer):
    made = post(author)
    top = comment(author, made, "Кто узнал?")
    comment(viewer, made, "Я!", parent=top)
    assert _notes(author).count() == 1
    assert _notes(author).get().kind == Notification.Kind.REPLY


def test_a_mention_tells_members_who_see_the_post_and_nobody_else(author, viewer, outsider):
    from accounts.models import Contact

    Contact.objects.create(owner=author, person=viewer)
    made = post(author, "С @boris и @vera на речке", audience=Post.Audience.CONTACTS)
    assert _notes(viewer, Notification.Kind.MENTION).count() == 1
    assert not _notes(outsider).exists()  # not in the audience: not told, cannot open it
    comment(viewer, made, "@anna спасибо! @Boris")
    assert _notes(author, Notification.Kind.MENTION).count() == 1
    assert _notes(viewer, Notification.Kind.MENTION).count() == 1  # own mention: silent


def test_editing_a_post_tells_only_newly_mentioned_members(author, viewer, outsider):
    made = post(author, "Привет @boris")
    services.edit_post(user=author, post=made, text="Привет @boris и @vera")
    assert _notes(viewer, Notification.Kind.MENTION).count() == 1
    assert _notes(outsider, Notification.Kind.MENTION).count() == 1


def test_mentions_become_links_to_the_members(client, author, viewer):
    made = post(author, "Смотри, @boris, и **вот** https://example.org/a")
    client.force_login(viewer)
    page = client.get(made.get_absolute_url()).content.decode()
    assert f'href="{reverse("accounts:member", args=[viewer.pk])}"' in page
    assert '<a href="https://example.org/a"' in page and "<b>вот</b>" in page


def test_deleting_a_comment_removes_its_replies_and_their_notifications(author, viewer, outsider):
    made = post(author)
    top = comment(viewer, made, "Где это?")
    comment(outsider, made, "На даче", parent=top)
    services.delete_comment(user=viewer, comment=top)
    made.refresh_from_db()
    assert made.comment_count == 0 and not Comment.objects.exists()
    assert not _notes(author).exists() and not _notes(viewer).exists()


def test_only_the_comment_author_edits_it(client, author, viewer):
    made = post(author)
    mine = comment(viewer, made, "Привет")
    client.force_login(author)
    assert (
        client.post(reverse("feed:edit_comment", args=[mine.pk]), {"text": "x"}).status_code == 404
    )
    client.force_login(viewer)
    client.post(reverse("feed:edit_comment", args=[mine.pk]), {"text": "Привет всем"})
    mine.refresh_from_db()
    assert mine.text == "Привет всем" and mine.edited_at is not None


def test_comments_show_newest_last_with_earlier_ones_on_demand(client, author, viewer):
    made = post(author)
    for n in range(25):
        comment(viewer, made, f"Комментарий номер {n}")
    client.force_login(author)
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Комментарий номер 24" in page and "Комментарий номер 4<" not in page
    assert page.index("номер 23") < page.index("номер 24")
    first_shown = Comment.objects.order_by("pk")[5]
    earlier = client.get(
        reverse("feed:comments", args=[made.pk]), {"before": first_shown.pk}
    ).content.decode()
    assert "Комментарий номер 0<" in earlier and "Комментарий номер 4<" in earlier
    assert "Комментарий номер 5<" not in earlier


def test_a_blocked_members_comment_notification_is_not_sent(author, viewer):
    made = post(author)
    Block.objects.create(blocker=author, blocked=viewer)
    # The viewer cannot see the post any more; the service is not reachable through a page.
    assert not selectors.posts_for(viewer).filter(pk=made.pk).exists()


def test_favourites_in_folders_created_renamed_reordered_moved_and_deleted(client, author, viewer):
    first, second = post(author, "Первый"), post(author, "Второй")
    client.force_login(viewer)
    client.post(reverse("feed:folder_create"), {"name": "Рецепты"})
    client.post(reverse("feed:folder_create"), {"name": "Дети"})
    recipes, kids = FavouriteFolder.objects.order_by("position")
    client.post(reverse("feed:save", args=[first.pk]), {"folder": recipes.pk})
    client.post(reverse("feed:save", args=[second.pk]), {})
    page = client.get(reverse("feed:folder", args=[recipes.pk])).content.decode()
    assert "Первый" in page and "Второй" not in page
    client.post(reverse("feed:save", args=[first.pk]), {"folder": kids.pk})
    assert Favourite.objects.get(post=first).folder == kids
    client.post(reverse("feed:folder_action", args=[kids.pk]), {"action": "up"})
    assert list(FavouriteFolder.objects.order_by("position")) == [kids, recipes]
    client.post(
        reverse("feed:folder_action", args=[kids.pk]), {"action": "rename", "name": "Внуки"}
    )
    kids.refresh_from_db()
    assert kids.name == "Внуки"
    page = client.get(reverse("feed:favourites")).content.decode()
    assert page.index("Внуки") < page.index("Рецепты")
    client.post(reverse("feed:folder_action", args=[kids.pk]), {"action": "delete"})
    assert Favourite.objects.get(post=first).folder is None  # still saved
    client.post(reverse("feed:save", args=[first.pk]), {"saved": "0"})
    assert not Favourite.objects.filter(post=first).exists()


def test_someone_elses_folder_is_404(client, author, viewer):
    made = post(author)
    theirs = services.create_folder(user=author, name="Моё")
    client.force_login(viewer)
    assert client.get(reverse("feed:folder", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("feed:save", args=[made.pk]), {"folder": theirs.pk}).status_code == 404
    )
    response = client.post(reverse("feed:folder_action", args=[theirs.pk]), {"action": "delete"})
    assert response.status_code == 404
    assert FavouriteFolder.objects.filter(pk=theirs.pk).exists()


def test_a_report_reaches_the_owner_who_hides_the_post_and_the_author_is_told(
    client, author, viewer
):
    owner = UserFactory(username="boss", is_superuser=True, is_staff=True)
    made = post(author, "Что-то неприятное")
    client.force_login(viewer)
    client.post(reverse("feed:report", args=[made.pk]), {"reason": "offensive"})
    client.post(reverse("feed:report", args=[made.pk]), {"reason": "offensive"})
    report = Report.objects.get()
    assert report.snapshot == "Что-то неприятное" and report.author == author
    client.force_login(owner)
    admin_list = client.get(reverse("admin:feed_report_changelist")).content.decode()
    assert "Что-то неприятное" in admin_list
    response = client.post(
        reverse("admin:feed_report_changelist"),
        {"action": "hide_content", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.hidden_at is not None
    assert _notes(author, Notification.Kind.MODERATION).count() == 1
    client.force_login(viewer)
    assert client.get(made.get_absolute_url()).status_code == 404


def test_a_reported_comment_deleted_by_the_owner_tells_its_author(author, viewer):
    owner = UserFactory(username="boss", is_superuser=True, is_staff=True)
    made = post(author)
    rude = comment(viewer, made, "Грубость")
    report = services.report(user=author, comment=rude, reason="offensive")
    services.resolve_report(user=owner, report=report, outcome=Report.Outcome.DELETED)
    assert not Comment.objects.exists()
    assert _notes(viewer, Notification.Kind.MODERATION).count() == 1
    report.refresh_from_db()
    assert report.outcome == "deleted" and report.snapshot == "Грубость"


def test_a_member_cannot_act_on_reports(author, viewer):
    made = post(author)
    report = services.report(user=viewer, post=made, reason="spam")
    with pytest.raises(Refused):
        services.resolve_report(user=viewer, report=report, outcome=Report.Outcome.DELETED)
    assert Post.objects.filter(pk=made.pk).exists()


def test_sharing_a_post_into_a_chat_sends_one_link_and_outsiders_get_404(
    client, author, viewer, outsider
):
    from accounts.models import Contact

    Contact.objects.create(owner=author, person=viewer)
    made = post(author, "Для своих", audience=Post.Audience.CONTACTS, uploads=[jpeg()])
    chat = messaging.create_group(by=viewer, title="Двоюродные", members=[outsider])
    client.force_login(viewer)
    assert "Двоюродные" in client.get(reverse("feed:share", args=[made.pk])).content.decode()
    data = {"chat": chat.pk, "client_id": "share-once-1234"}
    assert client.post(reverse("feed:share", args=[made.pk]), data).status_code == 302
    assert client.post(reverse("feed:share", args=[made.pk]), data).status_code == 302
    message = Message.objects.get(chat=chat, sender=viewer, kind="text")
    assert message.text.endswith(made.get_absolute_url())
    client.force_login(outsider)
    assert client.get(made.get_absolute_url()).status_code == 404


def test_a_post_cannot_be_shared_into_someone_elses_chat(client, author, viewer, outsider):
    made = post(author)
    theirs = messaging.create_group(by=author, title="Без меня", members=[outsider])
    client.force_login(viewer)
    data = {"chat": theirs.pk, "client_id": "share-stranger-1"}
    assert client.post(reverse("feed:share", args=[made.pk]), data).status_code == 404
    assert not Message.objects.filter(chat=theirs, sender=viewer).exists()


def test_a_shared_post_shows_as_a_link_card_in_the_chat_without_its_content(client, author, viewer):
    made = post(author, "Секретный рецепт")
    chat = messaging.create_group(by=viewer, title="Кухня", members=[author])
    client.force_login(viewer)
    client.post(reverse("feed:share", args=[made.pk]), {"chat": chat.pk, "client_id": "card-1234"})
    page = client.get(chat.get_absolute_url()).content.decode()
    assert f'class="msg__card" href="{made.get_absolute_url()}"' in page
    assert "Секретный рецепт" not in page
