"""Status updates as the asking member may see them: audience, blocks and the 24 hours in one place.

Every read filters `expires_at > now`, so the embedded mode (no beat to delete them) is as correct
as production.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from feed.audience import members_who_see, seen_by
from feed.models.stories import Story, StoryView


def live() -> QuerySet[Story]:
    return Story.objects.filter(expires_at__gt=timezone.now())


def visible_to(viewer: User) -> QuerySet[Story]:
    """Live status updates `viewer` may see: their own, and others' they are the audience of."""
    return live().filter(seen_by(viewer) & (Q(author=viewer) | Q(author__is_active=True)))


def story_for(viewer: User, story_id: int) -> Story:
    return get_object_or_404(visible_to(viewer).select_related("author"), pk=story_id)


def own_story(author: User, story_id: int) -> Story:
    """A live status update of the author's own; 404 for anyone else's."""
    return get_object_or_404(live().filter(author=author), pk=story_id)


def can_read_photo(viewer: User, name: str) -> bool:
    return viewer.is_active and visible_to(viewer).filter(photo=name).exists()


@dataclass
class Ring:
    """One member's avatar in the row, with their current updates in order."""

    author: User
    stories: list[Story] = field(default_factory=list)

    @property
    def unseen(self) -> bool:
        return any(not story.seen for story in self.stories)

    @property
    def first_unseen(self) -> Story:
        return next((story for story in self.stories if not story.seen), self.stories[0])


def rings_for(viewer: User) -> list[Ring]:
    """The row at the top of the feed, in one query: my own ring first, then members with
    updates I have not seen (newest first), then those I have seen."""
    seen = StoryView.objects.filter(story=OuterRef("pk"), viewer=viewer)
    stories = (
        visible_to(viewer)
        .select_related("author")
        .annotate(seen=Exists(seen))
        .order_by("created_at", "pk")
    )
    rings: dict[int, Ring] = {}
    for story in stories:
        if story.author_id == viewer.pk:
            # My own updates never wait for me to "see" them.
            story.seen = True
        rings.setdefault(story.author_id, Ring(author=story.author)).stories.append(story)
    mine = rings.pop(viewer.pk, None)
    others = sorted(rings.values(), key=lambda ring: ring.stories[-1].created_at, reverse=True)
    others.sort(key=lambda ring: not ring.unseen)
    return ([mine] if mine else []) + others


def stories_of(viewer: User, author_id: int) -> list[Story]:
    """The live updates of one member that `viewer` may see, oldest first, with `seen`."""
    seen = StoryView.objects.filter(story=OuterRef("pk"), viewer=viewer)
    return list(
        visible_to(viewer)
        .filter(author_id=author_id)
        .select_related("author")
        .annotate(seen=Exists(seen))
        .order_by("created_at", "pk")
    )


def viewers_of(story: Story) -> QuerySet[StoryView]:
    """Who saw the author's update, and when, most recent first (only the author asks)."""
    return (
        story.views.filter(viewer__is_active=True)
        .select_related("viewer")
        .order_by("-viewed_at", "-pk")
    )


def audience_ids(story: Story) -> list[int]:
    """The members who may see this update (its author excluded): who is told it is there."""
    return list(members_who_see(story).exclude(pk=story.author_id).values_list("pk", flat=True))
