"""Members' text on feed pages as safe HTML, with @mentions linked in one query per page."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.selectors import mention_links
from core import text as core_text


def prepare(posts: Iterable, comments: Iterable = ()) -> None:
    """Give every post and comment (and each reply) an `html` attribute ready for the page."""
    everything = list(posts)
    for comment in comments:
        everything.append(comment)
        everything.extend(comment.replies.all())
    mention_url = mention_links(item.text for item in everything)
    for item in everything:
        item.html = core_text.render(item.text, mention_url=mention_url)
