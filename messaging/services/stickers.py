"""Stickers: the built-in pack, packs members upload (checked and converted), sending one.

What the browser plays is one of three formats: Lottie JSON (lottie-web), an animated WebP
(an <img>) or a WebM video (a muted <video>). Uploads are checked before anything is stored:
Lottie JSON and TGS (gzipped Lottie, decompressed with a cap so a gzip bomb stops early), animated
WebP, GIF and APNG (read by Pillow, re-encoded as animated WebP), WebM (probed and re-encoded by
ffmpeg, without sound). A pack with one bad file is refused whole, with the file named.
"""

from __future__ import annotations

import gzip
import json
import secrets
import subprocess
import tempfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageSequence, UnidentifiedImageError

from accounts.models import User
from core import media
from core.errors import Refused
from core.text import search_key
from messaging.models import (
    Chat,
    MemberStickerPack,
    Message,
    RecentSticker,
    Sticker,
    StickerPack,
    StickerSettings,
)

# Limits of one uploaded sticker.
MAX_FILE_BYTES = 512 * 1024  # as uploaded (a TGS, a WebP, a GIF, a WebM)
MAX_LOTTIE_BYTES = 1024 * 1024  # Lottie JSON, after decompressing a TGS
MAX_SIDE = 1024  # larger pictures or animations are refused
SHOWN_SIDE = 512  # what is kept: fitted into this square
MAX_FRAMES = 300
MAX_SECONDS = 10
MAX_STICKERS_PER_PACK = 60
RECENT_KEPT = 24

DEFAULT_PACK = Path(settings.BASE_DIR) / "static" / "stickers" / "toricy" / "pack.json"


class StickerError(media.MediaError):
    """A sticker file Toricy will not keep (a `MediaError`, so an `Invalid`: 400, shown as it is).

    Its own class so that `create_pack` can name the file each refusal is about.
    """


@dataclass
class Prepared:
    """A checked sticker, converted, not yet stored."""

    format: str
    content: bytes
    extension: str
    width: int
    height: int
    frames: int
    duration_ms: int
    poster: bytes = b""
    keywords: str = ""
    stored: list[str] = field(default_factory=list)


# --- The built-in pack -------------------------------------------------------------------------
@transaction.atomic
def ensure_default_pack() -> StickerPack:
    """Toricy's own pack, from the files in static/stickers/toricy (made on first use)."""
    pack = StickerPack.objects.filter(is_default=True, slug="toricy").first()
    if pack is not None:
        return pack
    manifest = json.loads(DEFAULT_PACK.read_text())
    try:
        with transaction.atomic():
            pack = StickerPack.objects.create(
                slug=manifest["slug"], title=manifest["title"], is_default=True
            )
    except IntegrityError:
        return StickerPack.objects.get(slug=manifest["slug"])
    Sticker.objects.bulk_create(
        Sticker(
            pack=pack,
            format=Sticker.Format.LOTTIE,
            static_file=item["file"],
            keywords=search_key(item["keywords"]),
            position=position,
            width=512,
            height=512,
            frames=60,
            duration_ms=2000,
        )
        for position, item in enumerate(manifest["stickers"])
    )
    return pack


# --- Checking and converting one upload ----------------------------------------------------------
def _too_big(limit: int) -> StickerError:
    return StickerError(_("The file is too large: at most %(kb)d KB.") % {"kb": limit // 1024})


def _check_motion(width: float, height: float, frames: float, seconds: float) -> None:
    if width < 1 or height < 1:
        raise StickerError(_("The sticker has no size."))
    if width > MAX_SIDE or height > MAX_SIDE:
        raise StickerError(
            _("The sticker is too large: at most %(n)d×%(n)d pixels.") % {"n": MAX_SIDE}
        )
    if frames > MAX_FRAMES:
        raise StickerError(
            _("The animation has too many frames: at most %(n)d.") % {"n": MAX_FRAMES}
        )
    if seconds > MAX_SECONDS:
        raise StickerError(
            _("The animation is too long: at most %(n)d seconds.") % {"n": MAX_SECONDS}
        )


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def prepare_lottie(data: bytes) -> Prepared:
    """A Lottie animation as JSON: parsed, checked, written back compact."""
    if len(data) > MAX_LOTTIE_BYTES:
        raise _too_big(MAX_LOTTIE_BYTES)
    try:
        animation = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise StickerError(_("This is not a Lottie animation: the file is not JSON.")) from exc
    if not isinstance(animation, dict) or not isinstance(animation.get("layers"), list):
        raise StickerError(_("This is not a Lottie animation: it has no layers."))
    numbers = [animation.get(key) for key in ("w", "h", "fr", "ip", "op")]
    if not all(_number(value) for value in numbers):
        raise StickerError(_("This is not a Lottie animation: its size or frames are missing."))
    width, height, rate, first, last = numbers
    if rate <= 0 or last <= first:
        raise StickerError(_("This is not a Lottie animation: its size or frames are missing."))
    frames = last - first
    _check_motion(width, height, frames, frames / rate)
    for asset in animation.get("assets") or []:
        # Pictures inside the animation must be inline: a sticker fetches nothing from outside.
        if isinstance(asset, dict) and "p" in asset and not str(asset["p"]).startswith("data:"):
            raise StickerError(_("The animation refers to files outside it."))
    content = json.dumps(animation, separators=(",", ":")).encode()
    return Prepared(
        format=Sticker.Format.LOTTIE,
        content=content,
        extension="json",
        width=round(width),
        height=round(height),
        frames=round(frames),
        duration_ms=round(frames / rate * 1000),
    )


def prepare_tgs(data: bytes) -> Prepared:
    """A Telegram TGS: gzipped Lottie, decompressed no further than the Lottie limit."""
    try:
        with gzip.GzipFile(fileobj=BytesIO(data)) as unzipped:
            inflated = unzipped.read(MAX_LOTTIE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise StickerError(_("This TGS file is damaged.")) from exc
    if len(inflated) > MAX_LOTTIE_BYTES:
        raise _too_big(MAX_LOTTIE_BYTES)
    return prepare_lottie(inflated)


def prepare_picture(data: bytes) -> Prepared:
    """An animated (or still) WebP, GIF or APNG, re-encoded as animated WebP fitted into 512."""
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise StickerError(_("This file is not a picture, or it is damaged.")) from exc
    if kind not in ("WEBP", "GIF", "PNG"):
        raise StickerError(_("Stickers are Lottie, TGS, WebP, GIF, APNG or WebM files."))
    _check_motion(width, height, frames, 0)
    stills, durations = [], []
    try:
        with Image.open(BytesIO(data)) as image:
            for frame in ImageSequence.Iterator(image):
                still = frame.convert("RGBA")
                still.thumbnail((SHOWN_SIDE, SHOWN_SIDE), Image.Resampling.LANCZOS)
                stills.append(still)
                durations.append(max(int(frame.info.get("duration") or 100), 20))
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise StickerError(_("This file is not a picture, or it is damaged.")) from exc
    seconds = sum(durations) / 1000 if len(stills) > 1 else 0
    _check_motion(width, height, len(stills), seconds)
    out = BytesIO()
    stills[0].save(
        out,
        format="WEBP",
        save_all=len(stills) > 1,
        append_images=stills[1:],
        duration=durations,
        loop=0,
        quality=82,
        method=4,
    )
    poster = BytesIO()
    stills[0].save(poster, format="WEBP", quality=82, method=4)
    return Prepared(
        format=Sticker.Format.WEBP,
        content=out.getvalue(),
        extension="webp",
        width=stills[0].width,
        height=stills[0].height,
        frames=len(stills),
        duration_ms=sum(durations),
        poster=poster.getvalue(),
    )


def _run(arguments: list[str], timeout: int = 60) -> subprocess.CompletedProcess:
    # ffmpeg/ffprobe from Debian with fixed arguments; the only outside input is a temp file path.
    return subprocess.run(  # noqa: S603
        arguments, capture_output=True, timeout=timeout, check=False
    )


def prepare_video(data: bytes) -> Prepared:
    """A WebM (VP8/VP9) sticker: probed, then re-encoded as VP9 without sound, fitted into 512."""
    with tempfile.TemporaryDirectory(prefix="toricy-sticker-") as folder:
        source = Path(folder) / "in.webm"
        source.write_bytes(data)
        probe = _run(
            [
                "ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=codec_name,width,height,nb_read_frames:format=format_name,duration",
                "-of",
                "json",
                str(source),
            ]
        )
        try:
            info = json.loads(probe.stdout or b"{}")
            stream = info["streams"][0]
            container = info["format"]["format_name"]
        except (ValueError, KeyError, IndexError) as exc:
            raise StickerError(_("This file is not a video, or it is damaged.")) from exc
        if probe.returncode != 0 or "webm" not in container:
            raise StickerError(_("This file is not a video, or it is damaged."))
        codec = stream.get("codec_name")
        if codec not in ("vp8", "vp9"):
            raise StickerError(_("WebM stickers must be VP8 or VP9 video."))
        width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
        frames = int(stream.get("nb_read_frames") or 0)
        seconds = float(info["format"].get("duration") or 0)
        _check_motion(width, height, frames, seconds)
        if frames < 1:
            raise StickerError(_("This file is not a video, or it is damaged."))
        # libvpx decodes the alpha channel; ffmpeg's own VP8/VP9 decoders drop it.
        decoder = ["-c:v", "libvpx-vp9" if codec == "vp9" else "libvpx"]
        fit = f"scale={SHOWN_SIDE}:{SHOWN_SIDE}:force_original_aspect_ratio=decrease"
        target = Path(folder) / "out.webm"
        poster = Path(folder) / "poster.png"
        encoded = _run(
            ["ffmpeg", "-v", "error", "-y", *decoder, "-i", str(source), "-an", "-vf", fit]
            + ["-c:v", "libvpx-vp9", "-pix_fmt", "yuva420p", "-b:v", "0", "-crf", "34"]
            + ["-deadline", "good", "-cpu-used", "5", str(target)],
            timeout=120,
        )
        still = _run(
            ["ffmpeg", "-v", "error", "-y", *decoder, "-i", str(source), "-vf", fit]
            + ["-frames:v", "1", str(poster)]
        )
        if encoded.returncode != 0 or still.returncode != 0 or not target.exists():
            raise StickerError(_("This file is not a video, or it is damaged."))
        with Image.open(poster) as picture:
            shown = picture.size
            out = BytesIO()
            picture.convert("RGBA").save(out, format="WEBP", quality=82, method=4)
        return Prepared(
            format=Sticker.Format.WEBM,
            content=target.read_bytes(),
            extension="webm",
            width=shown[0],
            height=shown[1],
            frames=frames,
            duration_ms=round(seconds * 1000),
            poster=out.getvalue(),
        )


def prepare(upload) -> Prepared:
    """Check and convert one uploaded file, by what it is (never by its name or Content-Type)."""
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise _too_big(MAX_FILE_BYTES)
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(MAX_FILE_BYTES)
    if not data:
        raise StickerError(_("The file is empty."))
    head = data[:16]
    if head.startswith(b"\x1f\x8b"):
        prepared = prepare_tgs(data)
    elif head.startswith(b"\x1a\x45\xdf\xa3"):
        prepared = prepare_video(data)
    elif head.startswith((b"GIF8", b"\x89PNG")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        prepared = prepare_picture(data)
    elif head.lstrip()[:1] in (b"{", b"["):
        prepared = prepare_lottie(data)
    else:
        raise StickerError(_("Stickers are Lottie, TGS, WebP, GIF, APNG or WebM files."))
    stem = Path(getattr(upload, "name", "") or "").stem.replace("_", " ").replace("-", " ")
    prepared.keywords = search_key(stem)[:120]
    return prepared


def _store(prepared: Prepared) -> tuple[str, str]:
    token = secrets.token_hex(16)
    today = timezone.now()
    base = f"stickers/{today:%Y}/{today:%m}/{token}"
    name = default_storage.save(f"{base}.{prepared.extension}", ContentFile(prepared.content))
    prepared.stored.append(name)
    poster = ""
    if prepared.poster:
        poster = default_storage.save(f"{base}-poster.webp", ContentFile(prepared.poster))
        prepared.stored.append(poster)
    return name, poster


# --- Packs --------------------------------------------------------------------------------------
def may_add_packs(user: User) -> bool:
    """The owner always; members when the owner allows it (Django admin, sticker settings)."""
    if not user.is_active:
        return False
    return user.is_superuser or StickerSettings.current().members_may_add_packs


def create_pack(*, by: User, title: str, uploads) -> StickerPack:
    """A new pack from uploaded files, in the uploader's picker; one bad file refuses them all."""
    if not may_add_packs(by):
        raise Refused(_("Only the owner can add sticker packs."))
    title = (title or "").strip()
    if not title:
        raise StickerError(_("Give the pack a name."))
    uploads = list(uploads)
    if not uploads:
        raise StickerError(_("Choose the sticker files."))
    if len(uploads) > MAX_STICKERS_PER_PACK:
        raise StickerError(_("A pack holds at most %(n)d stickers.") % {"n": MAX_STICKERS_PER_PACK})
    prepared = []
    for upload in uploads:
        try:
            prepared.append(prepare(upload))
        except StickerError as refused:
            raise StickerError(f"{upload.name}: {refused}") from refused
    title_words = search_key(title)
    stored: list[str] = []
    try:
        with transaction.atomic():
            pack = StickerPack.objects.create(
                title=title[:64], slug=secrets.token_hex(8), created_by=by
            )
            for position, item in enumerate(prepared):
                name, poster = _store(item)
                stored += item.stored
                Sticker.objects.create(
                    pack=pack,
                    format=item.format,
                    file=name,
                    poster=poster,
                    keywords=f"{title_words} {item.keywords}".strip()[:300],
                    position=position,
                    width=item.width,
                    height=item.height,
                    frames=item.frames,
                    duration_ms=item.duration_ms,
                )
            add_pack(user=by, pack=pack)
    except Exception:
        for name in stored:
            media.delete(name)
        raise
    return pack


@transaction.atomic
def add_pack(*, user: User, pack: StickerPack) -> MemberStickerPack:
    """Put a pack I can see into my picker (last); adding it again changes nothing."""
    last = MemberStickerPack.objects.filter(user=user).aggregate(top=Max("position"))["top"]
    entry, _created = MemberStickerPack.objects.get_or_create(
        user=user, pack=pack, defaults={"position": (last or 0) + 1}
    )
    return entry


@transaction.atomic
def remove_pack(*, user: User, pack: StickerPack) -> None:
    """Take a pack out of my picker (the built-in pack stays)."""
    MemberStickerPack.objects.filter(user=user, pack=pack).delete()


def send_sticker(
    *, sender: User, chat: Chat, client_id: str, sticker: Sticker
) -> tuple[Message, bool]:
    """Send one sticker as a message, once per client id (a double tap sends one)."""
    from messaging import services

    def attach(message: Message) -> None:
        message.sticker = sticker
        Message.objects.filter(pk=message.pk).update(sticker=sticker)

    message, created = services.send_message(
        sender=sender, chat=chat, client_id=client_id, attach=attach
    )
    if created:
        RecentSticker.objects.update_or_create(
            user=sender, sticker=sticker, defaults={"used_at": timezone.now()}
        )
        stale = RecentSticker.objects.filter(user=sender).order_by("-used_at")[RECENT_KEPT:]
        RecentSticker.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    return message, created
