"""Voice messages: a recording checked and re-encoded before the message, and who has played it.

The recording goes the same way as photos (`core.uploads.Staged`, stored only with its message,
a retry of the same client id stores nothing twice). Playing is kept per member: the sender sees
the unplayed dot go once someone else has listened.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audio, realtime
from core.errors import Invalid
from core.media import MediaError
from core.uploads import Staged
from messaging import events
from messaging.models import Attachment, Message, VoiceListen


def _recording_path(upload: UploadedFile, folder: Path) -> Path:
    if hasattr(upload, "temporary_file_path"):
        return Path(upload.temporary_file_path())
    path = folder / "upload"
    upload.seek(0)
    with path.open("wb") as target:
        shutil.copyfileobj(upload, target)
    return path


def prepare(upload: UploadedFile) -> Staged:
    """Check the recording (real audio, not empty, within the size and length limits), store it
    re-encoded and measured. MediaError says why it was refused; then nothing is stored."""
    limit = settings.VOICE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise MediaError(
            _("The recording is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise MediaError(_("The recording is empty."))
    with tempfile.TemporaryDirectory(prefix="toricy-upload-") as folder:
        voice = audio.read_voice(
            _recording_path(upload, Path(folder)), max_seconds=settings.VOICE_MAX_SECONDS
        )
    today = timezone.now()
    name = default_storage.save(
        f"chat-files/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.m4a", ContentFile(voice.data)
    )
    return Staged(
        kind=Attachment.Kind.VOICE,
        file=name,
        name="voice.m4a",
        size=len(voice.data),
        content_type="audio/mp4",
        duration=voice.duration,
        waveform=voice.waveform,
    )


def prepare_once(*, sender: User, client_id: str, upload: UploadedFile) -> list[Staged]:
    """As `prepare`, but a retry of a message already stored re-encodes nothing."""
    if client_id and Message.objects.filter(sender=sender, client_id=client_id).exists():
        return []
    return [prepare(upload)]


@transaction.atomic
def mark_listened(*, user: User, message: Message) -> bool:
    """The member played a voice message; returns whether this is the first time.

    The sender playing their own recording changes nothing.
    """
    if message.is_deleted or not message.attachments.filter(kind=Attachment.Kind.VOICE).exists():
        raise Invalid(_("This is not a voice message."))
    if message.sender_id == user.pk:
        return False
    _listen, created = VoiceListen.objects.get_or_create(message=message, user=user)
    if created:
        # Only the sender (their dot) and the listener's other tabs show anything for it.
        ids = [user.pk] + ([message.sender_id] if message.sender_id else [])
        realtime.publish(
            ids,
            events.voice_listened(chat_id=message.chat_id, message_id=message.pk, user_id=user.pk),
        )
    return created
