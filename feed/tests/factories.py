"""Posts and pictures for feed tests: real files, made with Pillow."""

from __future__ import annotations

import uuid
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feed import services
from feed.models import Post


def jpeg(
    name="photo.jpg", size=(1200, 900), colour=(200, 120, 40), exif=None
) -> SimpleUploadedFile:
    out = BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, colour).save(out, format="JPEG", **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name="picture.png", size=(64, 64)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGBA", size, (10, 200, 100, 128)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def post(author, text="Привет, семья", audience=Post.Audience.FAMILY, community=None, uploads=()):
    made, _created = services.create_post(
        author=author,
        client_id=uuid.uuid4().hex,
        text=text,
        audience=audience,
        community=community,
        uploads=list(uploads),
    )
    return made


def comment(author, on, text="Как здорово", parent=None):
    made, _created = services.add_comment(
        user=author, post=on, text=text, client_id=uuid.uuid4().hex, parent=parent
    )
    return made
