"""Sticker files of every kind, good and bad, made on the spot (Pillow, ffmpeg)."""

import json
import subprocess
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

DEFAULT_PACK = Path(settings.BASE_DIR) / "static" / "stickers" / "toricy"


def lottie(**changes) -> bytes:
    animation = json.loads((DEFAULT_PACK / "cat.json").read_text())
    animation.update(changes)
    return json.dumps(animation).encode()


def frames_of(count: int, size=(96, 96)) -> list[Image.Image]:
    colours = [(15, 118, 110, 255), (246, 196, 83, 255), (226, 88, 93, 255)]
    return [Image.new("RGBA", size, colours[i % 3]) for i in range(count)]


def animated(fmt: str, count: int = 6, size=(96, 96)) -> bytes:
    frames = frames_of(count, size)
    out = BytesIO()
    if fmt == "GIF":
        frames = [frame.convert("P") for frame in frames]
    frames[0].save(out, format=fmt, save_all=True, append_images=frames[1:], duration=80, loop=0)
    return out.getvalue()


def webm(size="96x96", frames=30, rate=30) -> bytes:
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc2=s={size}:r={rate}"]
        + ["-frames:v", str(frames), "-c:v", "libvpx-vp9", "-deadline", "realtime"]
        + ["-cpu-used", "8", "-b:v", "200k", "-f", "webm", "-"],
        capture_output=True,
        check=True,
    )
    return result.stdout


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
