"""Photos and videos of posts: re-encoded, resized, without location; bad files refused whole."""

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from feed.models import Post, PostMedia
from feed.tests.factories import jpeg, png

pytestmark = pytest.mark.django_db


def _stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "feed"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _publish(client, files, text="", client_id="upload-test-1"):
    return client.post(
        reverse("feed:create"),
        {"text": text, "audience": "family", "client_id": client_id, "files": files},
        HTTP_ACCEPT="application/json",
    )


def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {2: (55.0, 45.0, 0.0), 1: "N"}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    return exif.tobytes()


def test_a_photo_is_stored_resized_with_a_thumbnail_and_without_its_location(client, author):
    client.force_login(author)
    big = jpeg(size=(4000, 3000), exif=_exif_with_gps())
    response = _publish(client, [big], text="Закат")
    assert response.status_code == 200
    item = PostMedia.objects.get()
    with default_storage.open(item.file) as stored, Image.open(stored) as picture:
        assert max(picture.size) == settings.IMAGE_MAX_SIDE
        assert not picture.getexif()
    with default_storage.open(item.preview) as stored, Image.open(stored) as preview:
        assert max(preview.size) == 720
    assert (item.width, item.height) == (720, 540)
    assert 'src="/media/feed/' in response.content.decode()


def _bomb() -> SimpleUploadedFile:
    # A tiny PNG that claims far more pixels than allowed: Pillow must refuse it before decoding.
    out = BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG", optimize=True)
    return SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")


SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"""


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("notes.jpg", b"just some text", content_type="image/jpeg"),
            "not a picture",
        ),
        (_bomb, "too large in pixels"),
        (
            lambda: SimpleUploadedFile(
                "huge.jpg", b"\xff\xd8\xff" + b"0" * (50 * 1024 * 1024), content_type="image/jpeg"
            ),
            "too large",
        ),
        (
            lambda: SimpleUploadedFile("drawing.svg", SVG, content_type="image/svg+xml"),
            "not a picture",
        ),
        (
            lambda: SimpleUploadedFile(
                "film.mp4", b"\x00\x00\x00\x18ftypmp42" + b"0" * 4096, content_type="video/mp4"
            ),
            "not a video",
        ),
    ],
    ids=["not-an-image", "decompression-bomb", "50-mb", "svg-with-script", "broken-video"],
)
def test_a_bad_upload_is_refused_with_a_clear_error_and_nothing_is_kept(
    client, author, upload, message, settings
):
    settings.MAX_IMAGE_PIXELS = 40_000_000
    before = _stored_files()
    client.force_login(author)
    # A good photo first in the same post: it must not survive the refusal either.
    response = _publish(client, [jpeg(), upload()], text="Посмотрите")
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Post.objects.exists()
    assert _stored_files() == before


def test_more_than_ten_files_are_refused(client, author):
    client.force_login(author)
    response = _publish(client, [png(f"p{n}.png") for n in range(11)])
    assert response.status_code == 400
    assert "At most 10" in response.json()["error"]
    assert not Post.objects.exists()


def test_a_retried_upload_makes_one_post(client, author):
    client.force_login(author)
    assert _publish(client, [jpeg()], client_id="same-upload-1").status_code == 200
    files = _stored_files()
    assert _publish(client, [jpeg()], client_id="same-upload-1").status_code == 200
    assert Post.objects.count() == 1
    assert PostMedia.objects.count() == 1
    assert _stored_files() == files


@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="ffmpeg is not installed")
def test_a_video_is_kept_with_a_poster_frame(client, author, tmp_path):
    clip = tmp_path / "clip.mp4"
    subprocess.run(
        [shutil.which("ffmpeg"), "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10",
         "-t", "1", "-pix_fmt", "yuv420p", str(clip)],
        check=True,
    )  # fmt: skip
    client.force_login(author)
    video = SimpleUploadedFile("clip.mp4", clip.read_bytes(), content_type="video/mp4")
    response = _publish(client, [video], text="Кино")
    assert response.status_code == 200
    item = PostMedia.objects.get()
    assert item.kind == "video" and item.file.endswith(".mp4")
    assert (item.width, item.height) == (320, 240)
    with default_storage.open(item.preview) as stored, Image.open(stored) as poster:
        assert poster.size == (320, 240)
    page = response.content.decode()
    assert "<video" in page and "poster=" in page


def test_a_video_over_the_configured_size_is_refused(client, author, settings):
    settings.MAX_POST_VIDEO_BYTES = 1024
    client.force_login(author)
    video = SimpleUploadedFile("clip.mp4", b"0" * 2048, content_type="video/mp4")
    response = _publish(client, [video])
    assert response.status_code == 400
    assert "too large" in response.json()["error"]
