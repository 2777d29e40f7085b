"""Private media: what is kept is a clean re-encoded picture; what is served is checked."""

import io

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image

from accounts import services
from core import media
from core.tests.helpers import photo_bytes, upload


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def stored_files() -> list[str]:
    found = []
    for folder in ("avatars",):
        if default_storage.exists(folder):
            dirs = [folder]
            while dirs:
                current = dirs.pop()
                subdirs, files = default_storage.listdir(current)
                dirs += [f"{current}/{d}" for d in subdirs]
                found += [f"{current}/{f}" for f in files]
    return found


def test_a_photo_is_re_encoded_without_its_location_and_resized(member):
    original = photo_bytes(size=(3000, 2000))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    services.set_avatar(user=member, upload=upload(original))
    with default_storage.open(member.avatar.name) as stored:
        kept = Image.open(stored)
        kept.load()
    assert kept.format == "JPEG"
    assert max(kept.size) == 512
    assert not kept.getexif().get_ifd(0x8825)
    assert not kept.getexif()


def test_a_transparent_png_stays_transparent(member):
    out = io.BytesIO()
    Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(out, format="PNG")
    services.set_avatar(user=member, upload=upload(out.getvalue(), "dot.png", "image/png"))
    assert member.avatar.name.endswith(".webp")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just some text pretending", "photo.jpg", "not a picture"),
        (b"", "photo.jpg", "empty"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "photo.svg",
            "not a picture",
        ),
        (b"%PDF-1.4 fake", "photo.jpg", "not a picture"),
    ],
)
def test_a_fake_picture_is_refused_and_nothing_is_stored(member, data, name, message):
    before = stored_files()
    with pytest.raises(media.MediaError, match=message):
        services.set_avatar(user=member, upload=upload(data, name))
    member.refresh_from_db()
    assert not member.avatar
    assert stored_files() == before


def test_a_truncated_photo_is_refused(member):
    data = photo_bytes()
    with pytest.raises(media.MediaError):
        services.set_avatar(user=member, upload=upload(data[: len(data) // 3]))


def test_an_oversized_file_is_refused_before_it_is_read(member, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1024 * 1024
    big = upload(b"\xff" * (1024 * 1024 + 1))
    with pytest.raises(media.MediaError, match="too large"):
        services.set_avatar(user=member, upload=big)


@pytest.mark.parametrize("side", [10_000, 40_000])
def test_a_decompression_bomb_is_refused(member, side):
    # A tiny file that claims side x side pixels: a few KB that would take gigabytes to decode.
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(media.MediaError, match="too large in pixels"):
        services.set_avatar(user=member, upload=upload(out.getvalue(), "bomb.png", "image/png"))


@pytest.fixture
def avatar_owner(member):
    return services.set_avatar(user=member, upload=upload(photo_bytes()))


def test_a_member_of_the_family_can_see_an_avatar(client, other_member, avatar_owner):
    client.force_login(other_member)
    response = client.get(avatar_owner.avatar.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_the_anonymous_get_404_for_an_avatar(client, avatar_owner):
    assert client.get(avatar_owner.avatar.url).status_code == 404


def test_a_deactivated_account_gets_404_for_an_avatar(client, stranger, avatar_owner):
    client.force_login(stranger)
    assert client.get(avatar_owner.avatar.url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "avatars/2026/01/nothere.jpg",
        "avatars/../secret_key",
        "secrets/file.txt",
        "avatars/%2e%2e/x",
    ],
)
def test_unknown_or_forged_paths_get_404(client, other_member, avatar_owner, path):
    client.force_login(other_member)
    assert client.get(f"/media/{path}").status_code == 404


def test_in_production_the_proxy_sends_the_checked_file(
    client, other_member, avatar_owner, settings
):
    settings.MEDIA_SERVE = "x-accel"
    client.force_login(other_member)
    response = client.get(avatar_owner.avatar.url)
    assert response["X-Accel-Redirect"] == "/protected-media/" + avatar_owner.avatar.name
    assert response.content == b""


def test_a_replaced_avatar_file_is_deleted(member, django_capture_on_commit_callbacks):
    services.set_avatar(user=member, upload=upload(photo_bytes()))
    first = member.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        services.set_avatar(user=member, upload=upload(photo_bytes(size=(300, 300))))
    assert member.avatar.name != first
    assert not default_storage.exists(first)
