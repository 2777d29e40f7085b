"""The feed's shared reads, which already know who is asking: `posts` and `stories`.

The post readers are re-exported here (`from feed import selectors; selectors.post_for(...)`);
the status-update readers are read as `feed.selectors.stories`.
"""

from feed.selectors.posts import (
    audience_ids,
    comment_for,
    comments_page,
    favourites_page,
    feed_page,
    folder_of,
    folders_of,
    likers,
    may_see,
    newer_than,
    post_for,
    posts_for,
    visible_comments,
    with_everything,
)

__all__ = [
    "audience_ids",
    "comment_for",
    "comments_page",
    "favourites_page",
    "feed_page",
    "folder_of",
    "folders_of",
    "likers",
    "may_see",
    "newer_than",
    "post_for",
    "posts_for",
    "visible_comments",
    "with_everything",
]
