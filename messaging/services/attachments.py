"""Photos and files in chat messages: checked and stored before the message, kept only with it.

Photos are re-encoded by Pillow (EXIF and location gone) at display size plus a small preview.
Other files are stored as opaque `.bin` blobs under `chat-files/`: the original name is kept in
the row and used only for the download, so a file can never be served as a page of Toricy.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import media, uploads
from core.uploads import Staged
from messaging.models import Attachment, Chat, Message
from messaging.services import voice
from messaging.services.messages import send_message

PREVIEW_SIDE = 720
UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def _clean_name(name: str) -> str:
    cleaned = UNSAFE_NAME.sub("_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip()
    return cleaned[:120] or "file"


def _store_file(upload: UploadedFile) -> Staged:
    if upload.size is None or upload.size > settings.MAX_CHAT_FILE_BYTES:
        raise media.MediaError(
            _("The file is too large: at most %(mb)d MB.")
            % {"mb": settings.MAX_CHAT_FILE_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise media.MediaError(_("The file is empty."))
    today = timezone.now()
    name = default_storage.save(f"chat-files/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.bin", upload)
    return Staged(
        kind=Attachment.Kind.FILE,
        file=name,
        name=_clean_name(upload.name),
        size=upload.size,
        content_type="application/octet-stream",
    )


def _store_one(upload: UploadedFile) -> Staged:
    if not uploads.is_photo(upload):
        return _store_file(upload)
    photo = media.save_photo(upload, folder="chat-files", preview_side=PREVIEW_SIDE)
    return Staged(
        kind=Attachment.Kind.IMAGE,
        file=photo.file,
        preview=photo.preview,
        name=_clean_name(upload.name),
        size=photo.size,
        content_type="image/jpeg",
        width=photo.width,
        height=photo.height,
    )


def prepare(files: Sequence[UploadedFile]) -> list[Staged]:
    """Check and store every upload, or none of them (MediaError says why)."""
    return uploads.stage(
        files,
        _store_one,
        limit=settings.MAX_CHAT_ATTACHMENTS,
        too_many=_("At most %(n)d files in one message.") % {"n": settings.MAX_CHAT_ATTACHMENTS},
    )


def send_with_files(
    *,
    sender: User,
    chat: Chat,
    client_id: str,
    text: str = "",
    reply_to: Message | None = None,
    files: Sequence[UploadedFile] = (),
    recording: UploadedFile | None = None,
) -> tuple[Message, bool]:
    """Send a message with its photos and files, or a voice recording: the files are checked and
    stored first and stay only with the stored message (a refusal, a failure or a retry of a
    message already stored leaves none behind)."""
    if recording is not None:
        staged = voice.prepare_once(sender=sender, client_id=client_id, upload=recording)
    else:
        staged = prepare(files) if files else []
    try:
        message, created = send_message(
            sender=sender,
            chat=chat,
            client_id=client_id,
            text=text,
            reply_to=reply_to,
            attach=(lambda stored: attach(stored, staged)) if staged else None,
        )
    except BaseException:
        uploads.discard(staged)
        raise
    if not created:
        uploads.discard(staged)  # a retry: the first attempt's files are the message's
    return message, created


def attach(message: Message, prepared: Sequence[Staged]) -> None:
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
