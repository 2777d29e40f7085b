"""The shapes of feed events sent to browsers, written once and registered with core.events.

The feed page keeps itself true from these: a new post lights the "new posts" pill (the page
fetches the cards itself, so each member gets them in their own language and audience), count
events update the like and comment numbers in place, and a status update posted or taken down
makes the page fetch its row of rings again.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from core.events import register
from feed.models import Post, Story


@register
class PostCreated(TypedDict):
    type: Literal["post.created"]
    post_id: int
    author_id: int


@register
class PostCounts(TypedDict):
    type: Literal["post.counts"]
    post_id: int
    likes: int
    comments: int


@register
class PostRemoved(TypedDict):
    type: Literal["post.removed"]
    post_id: int


@register
class StoryChanged(TypedDict):
    type: Literal["story.posted", "story.deleted"]
    story_id: int
    author_id: int


def post_created(post: Post) -> PostCreated:
    return {"type": "post.created", "post_id": post.pk, "author_id": post.author_id}


def post_counts(post: Post) -> PostCounts:
    return {
        "type": "post.counts",
        "post_id": post.pk,
        "likes": post.like_count,
        "comments": post.comment_count,
    }


def post_removed(post_id: int) -> PostRemoved:
    return {"type": "post.removed", "post_id": post_id}


def story_posted(story: Story) -> StoryChanged:
    return {"type": "story.posted", "story_id": story.pk, "author_id": story.author_id}


def story_deleted(story: Story) -> StoryChanged:
    return {"type": "story.deleted", "story_id": story.pk, "author_id": story.author_id}
