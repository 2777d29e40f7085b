"""Every write of the feed: `posts` (posts, likes, comments, favourites, reports, sharing) and
`stories` (status updates).

The post writes are re-exported here (`from feed import services; services.create_post(...)`);
the status-update writes are called as `feed.services.stories`.
"""

from feed.services.posts import (
    add_comment,
    create_folder,
    create_post,
    delete_comment,
    delete_folder,
    delete_post,
    edit_comment,
    edit_post,
    is_owner,
    move_folder,
    rename_folder,
    reorder_folders,
    report,
    resolve_report,
    save_post,
    set_comment_hidden,
    set_like,
    set_post_hidden,
    share_to_chat,
    unsave_post,
)

__all__ = [
    "add_comment",
    "create_folder",
    "create_post",
    "delete_comment",
    "delete_folder",
    "delete_post",
    "edit_comment",
    "edit_post",
    "is_owner",
    "move_folder",
    "rename_folder",
    "reorder_folders",
    "report",
    "resolve_report",
    "save_post",
    "set_comment_hidden",
    "set_like",
    "set_post_hidden",
    "share_to_chat",
    "unsave_post",
]
