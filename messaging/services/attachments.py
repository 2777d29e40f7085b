"""Photos and files in chat messages: checked and stored before the message, kept only with it.

Photos are re-encoded by Pillow (EXIF and location gone) at display size plus a small preview.
Other files are stored as opaque `.bin` blobs under `chat-files/`: the original name is kept in
the row and used only for the download, so a file can never be served as a page of Toricy.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from core import media
from messaging.models import Attachment, Message

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif"}
PREVIEW_SIDE = 720
UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


@dataclass
class Prepared:
    kind: str
    file: str
    name: str
    size: int
    content_type: str = ""
    preview: str = ""
    width: int | None = None
    height: int | None = None
    stored: list[str] = field(default_factory=list)
    # Voice messages (messaging.services.voice).
    duration: float | None = None
    waveform: list[int] = field(default_factory=list)


def _clean_name(name: str) -> str:
    cleaned = UNSAFE_NAME.sub("_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip()
    return cleaned[:120] or "file"


def _store_file(upload: UploadedFile) -> Prepared:
    if upload.size is None or upload.size > settings.MAX_CHAT_FILE_BYTES:
        raise media.MediaError(
            _("The file is too large: at most %(mb)d MB.")
            % {"mb": settings.MAX_CHAT_FILE_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise media.MediaError(_("The file is empty."))
    today = timezone.now()
    name = default_storage.save(f"chat-files/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.bin", upload)
    return Prepared(
        kind=Attachment.Kind.FILE,
        file=name,
        name=_clean_name(upload.name),
        size=upload.size,
        content_type="application/octet-stream",
        stored=[name],
    )


def _store_photo(upload: UploadedFile) -> Prepared:
    photo = media.save_photo(upload, folder="chat-files", preview_side=PREVIEW_SIDE)
    return Prepared(
        kind=Attachment.Kind.IMAGE,
        file=photo.file,
        preview=photo.preview,
        name=_clean_name(upload.name),
        size=photo.size,
        content_type="image/jpeg",
        width=photo.width,
        height=photo.height,
        stored=[photo.file, photo.preview],
    )


def prepare(uploads: list[UploadedFile]) -> list[Prepared]:
    """Check and store every upload, or none of them (MediaError says why)."""
    if len(uploads) > settings.MAX_CHAT_ATTACHMENTS:
        raise media.MediaError(
            _("At most %(n)d files in one message.") % {"n": settings.MAX_CHAT_ATTACHMENTS}
        )
    prepared: list[Prepared] = []
    try:
        for upload in uploads:
            if (upload.content_type or "").lower() in PHOTO_TYPES:
                prepared.append(_store_photo(upload))
            else:
                prepared.append(_store_file(upload))
    except Exception:
        discard(prepared)
        raise
    return prepared


def discard(prepared: list[Prepared]) -> None:
    """Remove stored files that did not end up in a message."""
    for item in prepared:
        for name in item.stored:
            media.delete(name)


def attach(message: Message, prepared: list[Prepared]) -> None:
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            kind=item.kind,
            file=item.file,
            preview=item.preview,
            name=item.name,
            size=item.size,
            content_type=item.content_type,
            width=item.width,
            height=item.height,
            duration=item.duration,
            waveform=item.waveform,
            position=position,
        )
        for position, item in enumerate(prepared)
    )
