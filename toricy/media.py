"""Private media: images re-encoded on the way in, files served only to those who may see them.

No uploaded file has a public URL. Each app registers, for its folder, who may read a file in it
(`register("avatars", can_read)`); `serve` asks that before anything leaves the server. In the
embedded mode Django streams the file; in production the proxy does (X-Accel-Redirect or
X-Sendfile), after the same check.
"""

from __future__ import annotations

import mimetypes
import re
import uuid
from collections.abc import Callable
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Read by Pillow before decoding: a picture with more pixels than this is a decompression bomb.
Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS

ACCEPTED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO", "HEIF"}
SAFE_NAME = re.compile(r"^[a-z0-9_-]+(/[A-Za-z0-9_.-]+)+$")

ReadCheck = Callable[[object, str], bool]
_readers: dict[str, ReadCheck] = {}


class MediaError(ValueError):
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
