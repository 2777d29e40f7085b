"""Private media: images re-encoded on the way in, files served only to those who may see them.

No uploaded file has a public URL. Each app registers, for its folder, who may read a file in it
(`register("avatars", can_read)`); `serve` asks that before anything leaves the server. In the
embedded mode Django streams the file; in production the proxy does (X-Accel-Redirect or
X-Sendfile), after the same check.
"""

from __future__ import annotations

import json
import mimetypes
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import puremagic
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import Invalid

# Read by Pillow before decoding: a picture with more pixels than this is a decompression bomb.
Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS

ACCEPTED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO", "HEIF"}
SAFE_NAME = re.compile(r"^[a-z0-9_-]+(/[A-Za-z0-9_.-]+)+$")

ReadCheck = Callable[[object, str], bool]
_readers: dict[str, ReadCheck] = {}


class MediaError(Invalid):
    """An upload Toricy will not keep; the message is shown to the member as it is."""


def register(folder: str, can_read: ReadCheck) -> None:
    """Say who may read files under `folder/`: `can_read(user, name)` -> bool."""
    _readers[folder] = can_read


def _new_name(folder: str, extension: str) -> str:
    today = timezone.now()
    return f"{folder}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{extension}"


def save_image(
    upload: UploadedFile, *, folder: str, max_side: int | None = None, square: bool = False
) -> str:
    """Check, re-encode and store an uploaded picture; return its storage name.

    Re-encoding is what strips EXIF (GPS location included): Pillow writes none unless asked.
    """
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise MediaError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise MediaError(_("The file is empty."))
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_IMAGE_FORMATS:
                raise MediaError(_("This is not a photo Toricy can show (JPEG, PNG, WebP, GIF)."))
            width, height = probe.size
            if width * height > settings.MAX_IMAGE_PIXELS or width < 1 or height < 1:
                raise MediaError(_("The picture is too large in pixels."))
            probe.verify()
        with Image.open(BytesIO(data)) as image:
            image.load()
            picture = ImageOps.exif_transpose(image)
    except MediaError:
        raise
    except Image.DecompressionBombError as exc:
        raise MediaError(_("The picture is too large in pixels.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MediaError(_("This file is not a picture, or it is damaged.")) from exc

    side = max_side or settings.IMAGE_MAX_SIDE
    if square:
        # The middle square, as the browser's crop would choose by default.
        edge = min(side, *picture.size)
        picture = ImageOps.fit(picture, (edge, edge), Image.Resampling.LANCZOS)
    else:
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    out = BytesIO()
    if has_alpha:
        picture.convert("RGBA").save(out, format="WEBP", quality=90, method=4)
        extension = "webp"
    else:
        picture.convert("RGB").save(out, format="JPEG", quality=86, optimize=True, progressive=True)
        extension = "jpg"
    return default_storage.save(_new_name(folder, extension), ContentFile(out.getvalue()))


def image_size(name: str) -> tuple[int, int]:
    with default_storage.open(name, "rb") as stored, Image.open(stored) as picture:
        return picture.size


@dataclass
class Photo:
    """A stored photo: the display size and a small preview, with the preview's pixel size."""

    file: str
    preview: str
    width: int
    height: int
    size: int


def save_photo(upload: UploadedFile, *, folder: str, preview_side: int = 720) -> Photo:
    """Store a photo twice (display size and preview), both re-encoded, or neither."""
    display = save_image(upload, folder=folder)
    try:
        upload.seek(0)
        preview = save_image(upload, folder=folder, max_side=preview_side)
    except Exception:
        delete(display)
        raise
    try:
        width, height = image_size(preview)
    except Exception:
        delete(display)
        delete(preview)
        raise
    return Photo(display, preview, width, height, default_storage.size(display))


VIDEO_EXTENSIONS = {"mp4": "mp4", "mov": "mp4", "webm": "webm", "matroska": "webm"}


@dataclass
class Video:
    file: str
    poster: str
    width: int | None
    height: int | None
    size: int


def _probe(ffprobe: str, path: str) -> dict | None:
    """What ffprobe sees in a file: None if it is not a video it can read."""
    try:
        done = subprocess.run(  # noqa: S603 (fixed arguments, the path is ours)
            [
                ffprobe,
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                path,
            ],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        info = json.loads(done.stdout)
    except ValueError:
        return None
    videos = [s for s in info.get("streams", []) if s.get("codec_type") == "video"]
    if not videos:
        return None
    return {"format": info.get("format", {}).get("format_name", ""), "video": videos[0]}


def _sniffed_container(data: bytes) -> str | None:
    """Without ffprobe: the container by its signature (puremagic), never the file name."""
    try:
        found = puremagic.from_string(data)
    except puremagic.PureError:
        return None
    return {".mp4": "mp4", ".m4v": "mp4", ".mov": "mp4", ".webm": "webm", ".mkv": "webm"}.get(found)


def save_video(upload: UploadedFile, *, folder: str, max_bytes: int) -> Video:
    """Check and store an uploaded video, with a poster frame when ffmpeg is present."""
    if upload.size is None or upload.size > max_bytes:
        raise MediaError(
            _("The video is too large: at most %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    if upload.size == 0:
        raise MediaError(_("The file is empty."))
    with tempfile.TemporaryDirectory(prefix="toricy-video-") as work:
        source = Path(work) / "upload"
        with source.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        width = height = None
        if ffprobe := shutil.which("ffprobe"):
            probe = _probe(ffprobe, str(source))
            if probe is None:
                raise MediaError(_("This file is not a video Toricy can play, or it is damaged."))
            formats = probe["format"].split(",")
            extension = "webm" if "webm" in formats or "matroska" in formats else "mp4"
            if not ({"mp4", "mov", "webm", "matroska"} & set(formats)):
                raise MediaError(_("This file is not a video Toricy can play, or it is damaged."))
            width = probe["video"].get("width")
            height = probe["video"].get("height")
        else:
            with source.open("rb") as head:
                extension = _sniffed_container(head.read(4096))
            if extension is None:
                raise MediaError(_("This file is not a video Toricy can play, or it is damaged."))
        poster = ""
        if ffmpeg := shutil.which("ffmpeg"):
            frame = Path(work) / "poster.jpg"
            subprocess.run(  # noqa: S603 (fixed arguments, the paths are ours)
                [
                    ffmpeg,
                    "-v",
                    "error",
                    "-y",
                    "-i",
                    str(source),
                    "-frames:v",
                    "1",
                    "-vf",
                    "scale='min(720,iw)':-2",
                    str(frame),
                ],
                capture_output=True,
                timeout=60,
                check=False,
            )
            if frame.exists() and frame.stat().st_size:
                poster = default_storage.save(
                    _new_name(folder, "jpg"), ContentFile(frame.read_bytes())
                )
        with source.open("rb") as stored:
            name = default_storage.save(_new_name(folder, extension), File(stored))
    return Video(name, poster, width, height, upload.size)


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)


def serve(request: HttpRequest, name: str) -> HttpResponse:
    """Send one stored file to a member allowed to read it; everyone else gets 404."""
    if not request.user.is_authenticated or not SAFE_NAME.match(name) or ".." in name:
        raise Http404
    can_read = _readers.get(name.split("/", 1)[0])
    if can_read is None or not can_read(request.user, name) or not default_storage.exists(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if settings.MEDIA_SERVE == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_INTERNAL_URL + name
    elif settings.MEDIA_SERVE == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = default_storage.path(name)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    # Private to this browser; the name changes whenever the content does.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
