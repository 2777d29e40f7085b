"""The shapes of feed events sent to browsers, written once.

The feed page keeps itself true from these: a new post lights the "new posts" pill (the page
fetches the cards itself, so each member gets them in their own language and audience), and
count events update the like and comment numbers in place.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from feed.models import Post


class PostCreated(TypedDict):
    type: Literal["post.created"]
    post_id: int
    author_id: int


class PostCounts(TypedDict):
    type: Literal["post.counts"]
    post_id: int
    likes: int
    comments: int


class PostRemoved(TypedDict):
    type: Literal["post.removed"]
    post_id: int


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
