"""Stickers: the built-in pack, uploading packs in every format (and refusing bad files with
nothing stored), sending a sticker once, and who may see a pack, a sticker and its files."""

import gzip
import json
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import UserFactory
from core.errors import Refused
from messaging import services
from messaging.models import (
    MemberStickerPack,
    Message,
    RecentSticker,
    Sticker,
    StickerPack,
    StickerSettings,
)
from messaging.services import stickers
from messaging.tests.factories import group
from messaging.tests.sticker_files import DEFAULT_PACK, animated, lottie, upload, webm

pytestmark = pytest.mark.django_db


# --- Files of every kind, good and bad -----


def stored_files() -> list[str]:
    found, folders = [], ["stickers"]
    while folders and default_storage.exists("stickers"):
        current = folders.pop()
        subfolders, files = default_storage.listdir(current)
        folders += [f"{current}/{name}" for name in subfolders]
        found += [f"{current}/{name}" for name in files]
    return sorted(found)


def new_pack(client, files, title="Наши котики"):
    return client.post(reverse("messaging:new_sticker_pack"), {"title": title, "files": files})


# --- The built-in pack ----------------------------------------------------------------------------
def test_the_built_in_pack_has_two_dozen_original_lottie_stickers_with_words_in_two_languages():
    pack = stickers.ensure_default_pack()
    assert stickers.ensure_default_pack() == pack  # made once
    items = list(pack.stickers.all())
    assert len(items) >= 24
    assert {item.format for item in items} == {"lottie"}
    for item in items:
        source = DEFAULT_PACK / Path(item.static_file).name
        stickers.prepare_lottie(source.read_bytes())  # every one passes our own checks
        assert any("а" <= ch <= "я" for ch in item.keywords)  # Russian words
        assert any("a" <= ch <= "z" for ch in item.keywords)  # English words
    # The source that draws them is in the repository, with the other build scripts.
    assert (Path(settings.BASE_DIR) / "scripts/make_default_sticker_pack.py").exists()


def test_the_prepare_command_makes_the_built_in_pack(db):
    from django.core.management import call_command

    StickerPack.objects.all().delete()
    call_command("prepare", "--no-static", stdout=StringIO())
    assert StickerPack.objects.filter(is_default=True).count() == 1


# --- Uploads: every format accepted -----
@pytest.mark.parametrize(
    ("name", "make", "format"),
    [
        ("hello.json", lambda: lottie(), "lottie"),
        ("hello.tgs", lambda: gzip.compress(lottie()), "lottie"),
        ("dance.webp", lambda: animated("WEBP"), "webp"),
        ("dance.gif", lambda: animated("GIF"), "webp"),
        ("dance.png", lambda: animated("PNG"), "webp"),
        ("dance.webm", lambda: webm(), "webm"),
    ],
)
def test_a_good_sticker_of_each_format_is_accepted_and_converted(
    client, member, name, make, format
):
    client.force_login(member)
    response = new_pack(client, [upload(make(), name)])
    assert response.status_code == 302
    pack = StickerPack.objects.get(created_by=member)
    sticker = pack.stickers.get()
    assert sticker.format == format
    assert "наши" in sticker.keywords and name.split(".")[0] in sticker.keywords
    assert default_storage.exists(sticker.file)
    assert max(sticker.width, sticker.height) <= 512
    assert MemberStickerPack.objects.filter(user=member, pack=pack).exists()
    with default_storage.open(sticker.file) as stored:
        data = stored.read()
    if format == "lottie":
        assert json.loads(data)["layers"]
    elif format == "webp":
        with Image.open(BytesIO(data)) as picture:
            assert picture.format == "WEBP" and picture.n_frames == 6
        assert sticker.poster and default_storage.exists(sticker.poster)
    else:
        assert data[:4] == b"\x1a\x45\xdf\xa3" and sticker.frames == 30 and sticker.poster
    # The uploader plays it; the file is served with its type.
    served = client.get(reverse("media", args=[sticker.file]))
    assert served.status_code == 200
    assert served["Content-Type"].split(";")[0] in {
        "application/json",
        "image/webp",
        "video/webm",
    }


# --- Uploads: bad files refused with a clear error, nothing stored -----
@pytest.mark.parametrize(
    ("name", "make", "error"),
    [
        ("broken.json", lambda: b'{"v": "5.7", "layers": [', "not JSON"),
        ("list.json", lambda: b"[1, 2, 3]", "no layers"),
        ("huge.json", lambda: lottie(nm="x" * 600_000), "too large"),
        ("long.json", lambda: lottie(op=5000), "too many frames"),
        ("slow.json", lambda: lottie(fr=1, op=60), "too long"),
        ("wide.json", lambda: lottie(w=4000, h=4000), "too large: at most 1024"),
        (
            "remote.json",
            lambda: lottie(assets=[{"id": "a", "u": "https://x/", "p": "a.png"}]),
            "outside",
        ),
        ("bomb.tgs", lambda: gzip.compress(b" " * (8 * 1024 * 1024)), "too large"),
        ("broken.tgs", lambda: b"\x1f\x8b" + b"not gzip at all", "damaged"),
        ("notjson.tgs", lambda: gzip.compress(b"hello, this is text"), "not JSON"),
        ("many.gif", lambda: animated("GIF", count=301, size=(8, 8)), "too many frames"),
        ("many.webp", lambda: animated("WEBP", count=301, size=(8, 8)), "too many frames"),
        ("wide.png", lambda: animated("PNG", count=2, size=(1500, 200)), "too large: at most 1024"),
        (
            "wide.webp",
            lambda: animated("WEBP", count=2, size=(2000, 2000)),
            "too large: at most 1024",
        ),
        ("fake.gif", lambda: b"GIF89a" + b"\x00garbage" * 40, "damaged"),
        ("fake.webp", lambda: b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"junk" * 20, "damaged"),
        ("fake.png", lambda: b"\x89PNG\r\n\x1a\n" + b"junk" * 20, "damaged"),
        ("fake.webm", lambda: b"\x1a\x45\xdf\xa3" + b"junk" * 50, "damaged"),
        ("wide.webm", lambda: webm(size="1100x200", frames=3), "too large: at most 1024"),
        ("many.webm", lambda: webm(size="16x16", frames=320, rate=60), "too many frames"),
        ("text.webp", lambda: b"just some text, renamed", "Lottie, TGS, WebP, GIF, APNG or WebM"),
        ("photo.jpg", lambda: Image.new("RGB", (10, 10)).tobytes(), "Lottie, TGS, WebP"),
        ("big.gif", lambda: b"GIF89a" + b"\x00" * (600 * 1024), "too large: at most 512 KB"),
        ("empty.json", lambda: b"", "empty"),
    ],
)
def test_a_bad_sticker_file_is_refused_with_a_clear_error_and_nothing_is_stored(
    client, member, name, make, error
):
    member.language = "en"  # the errors are checked in English (Russian is the default)
    member.save(update_fields=["language"])
    client.force_login(member)
    before = stored_files()
    good = upload(lottie(), "good.json")
    response = new_pack(client, [good, upload(make(), name)])
    assert response.status_code == 400
    page = response.content.decode()
    assert name in page and error in page
    assert not StickerPack.objects.exists()
    assert not Sticker.objects.exists()
    assert stored_files() == before


def test_a_jpeg_is_not_a_sticker(client, member):
    out = BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(out, format="JPEG")
    member.language = "en"
    member.save(update_fields=["language"])
    client.force_login(member)
    response = new_pack(client, [upload(out.getvalue(), "photo.webp")])
    assert response.status_code == 400
    assert "Lottie, TGS, WebP, GIF, APNG or WebM" in response.content.decode()
    assert not StickerPack.objects.exists()


def test_only_the_owner_adds_packs_when_the_owner_says_so(client, owner, member):
    settings_row = StickerSettings.current()
    settings_row.members_may_add_packs = False
    settings_row.save()
    client.force_login(member)
    assert new_pack(client, [upload(lottie(), "a.json")]).status_code == 403
    assert "только владелец" in client.get(reverse("messaging:new_sticker_pack")).content.decode()
    assert not StickerPack.objects.exists()
    client.force_login(owner)
    assert new_pack(client, [upload(lottie(), "a.json")]).status_code == 302
    assert StickerPack.objects.filter(created_by=owner).exists()


# --- Sending -----
def send_sticker(client, chat, sticker, client_id="sticker-tap-0001"):
    return client.post(
        reverse("messaging:send_sticker", args=[chat.pk]),
        {"client_id": client_id, "sticker": sticker.pk},
    )


def test_a_sticker_is_sent_once_however_often_the_tap_is_retried(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    sticker = stickers.ensure_default_pack().stickers.first()
    client.force_login(member)
    first = send_sticker(client, chat, sticker)
    again = send_sticker(client, chat, sticker)
    assert first.status_code == 201 and again.status_code == 200
    assert first["X-Message-Id"] == again["X-Message-Id"]
    message = Message.objects.get(chat=chat)
    assert message.sticker == sticker and message.text == ""
    assert 'data-sticker="lottie"' in first.content.decode()
    assert "msg--sticker" in first.content.decode()
    assert RecentSticker.objects.filter(user=member, sticker=sticker).count() == 1
    # The chat list says what it is (in Russian, the default).
    client.force_login(other_member)
    assert "Стикер" in client.get(reverse("messaging:index")).content.decode()
    # It cannot be edited into a text.
    with pytest.raises(Refused):
        services.edit_message(user=member, message=message, text="ой")


def test_a_sticker_can_be_forwarded(member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    sticker = stickers.ensure_default_pack().stickers.first()
    message, _ = stickers.send_sticker(
        sender=member, chat=chat, client_id="s-fwd-001", sticker=sticker
    )
    saved = services.saved_chat(user=member)
    copy = services.forward_message(
        user=member, message=message, to_chat=saved, client_id="fwd-0001"
    )
    assert copy.sticker == sticker


def test_recent_stickers_come_first_in_the_picker_and_search_finds_both_languages(
    client, member, other_member, django_assert_max_num_queries
):
    chat = services.direct_chat(user=member, other=other_member)
    pack = stickers.ensure_default_pack()
    cat = pack.stickers.get(static_file__endswith="/cat.json")
    client.force_login(member)
    send_sticker(client, chat, cat)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("messaging:sticker_picker")).content.decode()
    assert page.index('id="sticker-pane-recent"') < page.index(f'id="sticker-pane-{pack.pk}"')
    assert page.count(f'data-send-sticker="{cat.pk}"') == 2  # recent and in its pack
    for query in ("кот", "Cat", "КОШКА", "ki"):
        found = client.get(reverse("messaging:sticker_picker"), {"q": query}).content.decode()
        assert f'data-send-sticker="{cat.pk}"' in found, query
    nothing = client.get(reverse("messaging:sticker_picker"), {"q": "zzzz"}).content.decode()
    assert "data-send-sticker" not in nothing and "Стикеров по запросу" in nothing


def test_the_picker_costs_the_same_with_more_packs(client, member, django_assert_max_num_queries):
    client.force_login(member)
    stickers.ensure_default_pack()
    for index in range(4):
        stickers.create_pack(by=member, title=f"Пак {index}", uploads=[upload(lottie(), "a.json")])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("messaging:sticker_picker")).status_code == 200


def test_a_chat_full_of_stickers_loads_in_a_fixed_number_of_queries(
    client, member, other_member, django_assert_max_num_queries
):
    chat = services.direct_chat(user=member, other=other_member)
    pack = stickers.ensure_default_pack()
    for index, sticker in enumerate(pack.stickers.all()[:20]):
        stickers.send_sticker(
            sender=member, chat=chat, client_id=f"s-many-{index:04}", sticker=sticker
        )
    client.force_login(other_member)
    with django_assert_max_num_queries(40):
        page = client.get(chat.get_absolute_url()).content.decode()
    assert page.count('data-sticker="lottie"') == 20


# --- Who may see what -----
def test_a_pack_travels_through_the_chats_it_is_sent_in(client, member, other_member):
    third = UserFactory(display_name="Тётя")
    family = group(member, other_member, title="Мы")
    pack = stickers.create_pack(
        by=member, title="Котики", uploads=[upload(animated("GIF"), "cat.gif")]
    )
    sticker = pack.stickers.get()
    pack_url = reverse("messaging:sticker_pack", args=[pack.pk])
    # Nobody else sees it yet: the pack, its files, sending it and adding it are 404.
    client.force_login(other_member)
    assert client.get(pack_url).status_code == 404
    assert client.get(reverse("media", args=[sticker.file])).status_code == 404
    assert client.get(reverse("media", args=[sticker.poster])).status_code == 404
    assert send_sticker(client, family, sticker).status_code == 404
    assert client.post(reverse("messaging:add_sticker_pack", args=[pack.pk])).status_code == 404
    assert not Message.objects.filter(chat=family, sticker__isnull=False).exists()
    # Sent in a chat, it is seen by that chat's members, who may add it to their picker.
    stickers.send_sticker(sender=member, chat=family, client_id="s-share-001", sticker=sticker)
    assert client.get(pack_url).status_code == 200
    assert client.get(reverse("media", args=[sticker.file])).status_code == 200
    sheet = client.get(pack_url, headers={"HX-Request": "true"}).content.decode()
    assert "Добавить в мои стикеры" in sheet
    added = client.post(
        reverse("messaging:add_sticker_pack", args=[pack.pk]), headers={"HX-Request": "true"}
    )
    assert "В ваших стикерах" in added.content.decode()
    assert MemberStickerPack.objects.filter(user=other_member, pack=pack).exists()
    picker = client.get(reverse("messaging:sticker_picker")).content.decode()
    assert f'data-send-sticker="{sticker.pk}"' in picker
    # Someone outside that chat still sees nothing of it.
    client.force_login(third)
    assert client.get(pack_url).status_code == 404
    assert client.get(reverse("media", args=[sticker.file])).status_code == 404


def test_strangers_and_non_members_get_404(client, member, other_member, stranger):
    chat = services.direct_chat(user=member, other=other_member)
    sticker = stickers.ensure_default_pack().stickers.first()
    outsider = UserFactory()
    client.force_login(outsider)
    assert send_sticker(client, chat, sticker).status_code == 404
    assert (
        client.post(
            reverse("messaging:send_sticker", args=[chat.pk]),
            {"client_id": "sticker-tap-0002", "sticker": 999999},
        ).status_code
        == 404
    )
    client.logout()
    assert client.get(reverse("messaging:sticker_pack", args=[sticker.pack_id])).status_code == 302
    assert not Message.objects.filter(chat=chat).exists()


def test_the_owner_manages_packs_and_the_switch_in_the_admin(client, owner, member):
    stickers.create_pack(by=member, title="Котики", uploads=[upload(lottie(), "a.json")])
    client.force_login(owner)
    assert client.get(reverse("admin:messaging_stickerpack_changelist")).status_code == 200
    pack = StickerPack.objects.get(created_by=member)
    assert (
        client.get(reverse("admin:messaging_stickerpack_change", args=[pack.pk])).status_code == 200
    )
    StickerSettings.current()
    assert client.get(reverse("admin:messaging_stickersettings_changelist")).status_code == 200
