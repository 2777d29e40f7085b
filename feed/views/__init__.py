"""The feed over HTTP: `posts` (the feed, posts, comments, favourites, reports), `stories`
(status updates) and `share` (a post into a chat). The feed page is also the home page."""

from feed.views.posts import index

__all__ = ["index"]
