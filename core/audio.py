"""Voice recordings: checked, measured and re-encoded by ffmpeg (Debian's package), never by hand.

Browsers record in different containers (Opus in WebM or Ogg, AAC in MP4 on Safari); every
recording is re-encoded once into AAC in an .m4a file, which every browser plays. The same ffmpeg
run writes the samples at a low rate to a pipe: their count is the true duration (a WebM from
MediaRecorder states none) and their peaks are the waveform the bubble draws before playing.

Only the container chosen from the file's own first bytes is opened (never ffmpeg's guess, which
could pick a playlist that reads other files), and reading stops one second past the limit, so a
long or crafted file costs a bounded amount of work.
"""

from __future__ import annotations

import array
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import puremagic
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.media import MediaError

FFMPEG = "ffmpeg"
# The samples read for the waveform and the duration: mono, 16-bit, this many per second.
ENVELOPE_RATE = 4000
WAVEFORM_BARS = 48
MIN_SECONDS = 0.3
TIMEOUT_SECONDS = 120
# Container (as puremagic names it by extension) -> the one ffmpeg demuxer allowed to open it.
DEMUXERS = {
    ".webm": "matroska",
    ".mkv": "matroska",
    ".mka": "matroska",
    ".ogg": "ogg",
    ".oga": "ogg",
    ".opus": "ogg",
    ".mp4": "mov",
    ".m4a": "mov",
    ".f4a": "mov",
    ".3gp": "mov",
    ".mov": "mov",
    ".mp3": "mp3",
    ".wav": "wav",
    ".flac": "flac",
    ".aac": "aac",
}


@dataclass(frozen=True)
class Voice:
    """A re-encoded recording: AAC in .m4a bytes, its length and its waveform (0..100 each)."""

    data: bytes
    duration: float
    waveform: list[int]


def _demuxer(head: bytes) -> str | None:
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    for match in matches:
        demuxer = DEMUXERS.get((match.extension or "").lower())
        if demuxer:
            return demuxer
    return None


def waveform(samples: array.array, bars: int = WAVEFORM_BARS) -> list[int]:
    """The loudest sample of each of `bars` equal slices, scaled so the loudest slice is 100."""
    if not samples:
        return [0] * bars
    peaks = []
    for index in range(bars):
        chunk = samples[len(samples) * index // bars : len(samples) * (index + 1) // bars]
        peaks.append(max(max(chunk), -min(chunk)) if chunk else 0)
    loudest = max(peaks) or 1
    return [round(100 * peak / loudest) for peak in peaks]


def _too_long(max_seconds: float) -> str:
    if max_seconds >= 60:
        minutes = round(max_seconds / 60)
        return ngettext(
            "The recording is too long: at most %(n)d minute.",
            "The recording is too long: at most %(n)d minutes.",
            minutes,
        ) % {"n": minutes}
    seconds = round(max_seconds)
    return ngettext(
        "The recording is too long: at most %(n)d second.",
        "The recording is too long: at most %(n)d seconds.",
        seconds,
    ) % {"n": seconds}


def read_voice(path: Path, *, max_seconds: float) -> Voice:
    """Check that the file at `path` is a recording Toricy keeps, and re-encode it.

    Raises MediaError with a message for the member: not audio, empty, or too long.
    """
    with path.open("rb") as source:
        head = source.read(8192)
    demuxer = _demuxer(head)
    if demuxer is None:
        raise MediaError(_("This file is not a voice recording."))
    with tempfile.TemporaryDirectory(prefix="toricy-voice-") as folder:
        out = Path(folder) / "voice.m4a"
        # fmt: off
        command = [
            FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-threads", "1",
            "-protocol_whitelist", "file,pipe", "-f", demuxer, "-t", str(max_seconds + 1),
            "-i", str(path),
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1", "-ac", "1",
            "-c:a", "aac", "-b:a", "48k", "-movflags", "+faststart", "-f", "ipod", str(out),
            "-map", "0:a:0", "-ac", "1", "-ar", str(ENVELOPE_RATE), "-f", "s16le", "pipe:1",
        ]
        # fmt: on
        try:
            done = subprocess.run(  # noqa: S603 (fixed arguments; the path is ours)
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise MediaError(_("This recording could not be read.")) from exc
        if done.returncode != 0 or not out.exists():
            raise MediaError(_("This file is not a voice recording."))
        samples = array.array("h")
        samples.frombytes(done.stdout[: len(done.stdout) // 2 * 2])
        if sys.byteorder == "big":
            samples.byteswap()
        duration = len(samples) / ENVELOPE_RATE
        if duration > max_seconds:
            raise MediaError(_too_long(max_seconds))
        if duration < MIN_SECONDS:
            raise MediaError(_("The recording is empty."))
        return Voice(data=out.read_bytes(), duration=round(duration, 2), waveform=waveform(samples))
