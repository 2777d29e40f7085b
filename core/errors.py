"""One way to refuse: services raise `Refused` or `Invalid`, one place turns them into answers.

A service that will not make a write raises before it changes anything; its message is shown to
the member as it is (translated where it is raised). Views do not catch these: the middleware
`core.middleware.RefusalMiddleware` answers JSON `{"error": message}` with the status to fetch
and HTMX callers, and a message on the page the member came from to a plain form. The Bot API maps
the same exceptions to Telegram's envelope in its own single place.
"""

from __future__ import annotations


class Refused(Exception):
    """A write the caller may not make (not allowed, or not now); nothing was changed."""

    status = 403

    def __init__(self, message: object, *, status: int | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if status is not None:
            self.status = status


class Invalid(Refused):
    """Malformed input (a missing client id, an unknown reaction, a file that is not a photo)."""

    status = 400
