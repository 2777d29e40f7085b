"""Staging uploads: check and store every file of one write, or none of them.

A post's photos, a message's attachments and a voice note are stored before the row that names
them, so a refused or failed write must take its files away again. `stage` stores each upload with
the caller's `store_one` and, if any of them is refused (`core.media.MediaError`) or fails,
deletes what it already stored before re-raising; `discard` does the same for a write that was
refused after staging. `check_client_id` is the one rule for the ids browsers give their writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile

from core import media
from core.errors import Invalid

# What browsers send for photos; anything else is stored as a file (chats) or refused (feed).
PHOTO_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif"}
)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def check_client_id(client_id: str | None, message: str) -> str:
    """The id a browser gave its write (so a retry is recognised), or Invalid(message)."""
    if not CLIENT_ID.match(client_id or ""):
        raise Invalid(message)
    return str(client_id)


def is_photo(upload: UploadedFile) -> bool:
    return (upload.content_type or "").lower() in PHOTO_TYPES


@dataclass
class Staged:
    """One stored upload, not yet named by any row: its files go if the write does not happen."""

    kind: str
    file: str
    size: int
    name: str = ""
    content_type: str = ""
    preview: str = ""
    width: int | None = None
    height: int | None = None
    # Voice notes (messaging.services.voice).
    duration: float | None = None
    waveform: list[int] = field(default_factory=list)

    @property
    def stored(self) -> list[str]:
        return [name for name in (self.file, self.preview) if name]


def stage(
    uploads: Sequence[UploadedFile],
    store_one: Callable[[UploadedFile], Staged],
    *,
    limit: int,
    too_many: str,
) -> list[Staged]:
    """Store every upload with `store_one`, or none: a refusal removes what was stored first."""
    if len(uploads) > limit:
        raise media.MediaError(too_many)
    staged: list[Staged] = []
    try:
        for upload in uploads:
            staged.append(store_one(upload))
    except BaseException:
        discard(staged)
        raise
    return staged


def discard(staged: Sequence[Staged]) -> None:
    """Remove the files of uploads that did not end up in a row."""
    for item in staged:
        for name in item.stored:
            media.delete(name)
