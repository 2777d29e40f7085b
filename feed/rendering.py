"""Members' text on feed pages as safe HTML, with @mentions linked in one query per page."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.urls import reverse

from accounts.models import User
from toricy import text as toricy_text


def prepare(posts: Iterable, comments: Iterable = ()) -> None:
    """Give every post and comment (and each reply) an `html` attribute ready for the page."""
    posts = list(posts)
    everything = list(posts)
    for comment in comments:
        everything.append(comment)
        everything.extend(comment.replies.all())
    names = toricy_text.usernames_in(item.text for item in everything)
    known: dict[str, int] = {}
    if names:
        pattern = r"^(" + "|".join(map(re.escape, sorted(names))) + r")$"
        known = {
            username.lower(): pk
            for pk, username in User.objects.filter(
                username__iregex=pattern, is_active=True
            ).values_list("pk", "username")
        }

    def mention_url(username: str):
        pk = known.get(username.lower())
        return reverse("accounts:member", args=[pk]) if pk else None

    for item in everything:
        item.html = toricy_text.render(item.text, mention_url=mention_url)
