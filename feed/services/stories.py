"""Status updates: post, view, delete and expire. Every write of the stories goes through here."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import media, realtime
from core.errors import Invalid, Refused
from core.uploads import Staged, check_client_id, discard, stage
from feed import events
from feed.audience import communities_of
from feed.models.stories import STORY_LIFETIME, STORY_TEXT_MAX, Story, StoryView
from feed.selectors import stories as selectors
from messaging.models import Community

PHOTO_FOLDER = "stories"
# Big enough for a phone held upright on a large screen; the rest is bytes nobody sees.
PHOTO_MAX_SIDE = 1920


def _store_photo(upload: UploadedFile) -> Staged:
    name = media.save_image(upload, folder=PHOTO_FOLDER, max_side=PHOTO_MAX_SIDE)
    return Staged(kind=Story.Kind.PHOTO, file=name, size=upload.size or 0)


def post_story(
    *,
    author: User,
    client_id: str,
    kind: str,
    text: str = "",
    background: str = Story.Background.TEAL,
    photo: UploadedFile | None = None,
    audience: str = Story.Audience.FAMILY,
    community: Community | None = None,
) -> Story:
    """Post a status update once per (author, client_id), seen by its audience for 24 hours.

    Refuses with `Invalid` (a `MediaError` for a photo that is not one) before storing anything.
    """
    client_id = check_client_id(
        client_id, _("Something went wrong: reload the page and try again.")
    )
    existing = Story.objects.filter(author=author, client_id=client_id).first()
    if existing is not None:
        return existing
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > STORY_TEXT_MAX:
        raise Invalid(_("A status update holds at most %(n)d characters.") % {"n": STORY_TEXT_MAX})
    if kind == Story.Kind.TEXT:
        if not text:
            raise Invalid(_("Write something for your status update."))
        if background not in Story.Background.values:
            raise Invalid(_("Choose one of the colours."))
    elif kind == Story.Kind.PHOTO:
        if photo is None:
            raise Invalid(_("Choose a photo for your status update."))
    else:
        raise Invalid(_("A status update is a photo or a text."))
    if audience not in Story.Audience.values:
        raise Invalid(_("Choose who sees your status update."))
    if audience == Story.Audience.COMMUNITY:
        if community is None or not communities_of(author).filter(pk=community.pk).exists():
            raise Invalid(_("Choose one of your communities."))
    else:
        community = None

    staged = stage([photo] if kind == Story.Kind.PHOTO else [], _store_photo, limit=1, too_many="")
    try:
        with transaction.atomic():
            now = timezone.now()
            story = Story.objects.create(
                author=author,
                created_at=now,
                expires_at=now + STORY_LIFETIME,
                client_id=client_id,
                kind=kind,
                text=text,
                background=background if kind == Story.Kind.TEXT else Story.Background.TEAL,
                photo=staged[0].file if staged else "",
                audience=audience,
                community=community,
            )
            realtime.publish(
                selectors.audience_ids(story) + [author.pk],
                events.story_posted(story),
                durable=False,
            )
    except IntegrityError:
        # The same upload twice at once: the other attempt won; keep its update, drop our file.
        discard(staged)
        return Story.objects.get(author=author, client_id=client_id)
    except Exception:
        discard(staged)
        raise
    return story


def record_view(*, story: Story, viewer: User) -> bool:
    """Remember that `viewer` saw the update (once); True the first time."""
    if story.author_id == viewer.pk:
        return False
    try:
        with transaction.atomic():
            _view, created = StoryView.objects.get_or_create(story=story, viewer=viewer)
    except IntegrityError:
        return False
    return created


def delete_story(*, story: Story, by: User) -> None:
    """The author takes an update down; its photo goes with it."""
    if story.author_id != by.pk:
        raise Refused(_("Only the author can delete a status update."))
    audience = selectors.audience_ids(story) + [by.pk]
    _delete([story])
    realtime.publish(audience, events.story_deleted(story), durable=False)


def _delete(stories: list[Story]) -> None:
    names = [story.photo.name for story in stories if story.photo]
    Story.objects.filter(pk__in=[story.pk for story in stories]).delete()
    transaction.on_commit(lambda: [media.delete(name) for name in names])


@transaction.atomic
def expire_stories() -> int:
    """Delete status updates past their 24 hours, and their photos (idempotent)."""
    expired = list(Story.objects.filter(expires_at__lte=timezone.now()).only("pk", "photo"))
    if expired:
        _delete(expired)
    return len(expired)
