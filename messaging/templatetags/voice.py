"""How a voice message reads in its bubble: the waveform as SVG bars, its length, who played it."""

from django import template
from django.conf import settings
from django.utils.html import format_html_join

register = template.Library()

BAR_WIDTH = 3
BAR_PITCH = 5
HEIGHT = 32
MIN_BAR = 3


@register.simple_tag
def voice_viewbox(waveform) -> str:
    bars = max(len(waveform or []), 1)
    return f"0 0 {bars * BAR_PITCH - (BAR_PITCH - BAR_WIDTH)} {HEIGHT}"


@register.simple_tag
def voice_bars(waveform):
    """One rounded bar per peak (0..100), centred on the middle line."""
    rows = []
    for index, peak in enumerate(waveform or []):
        level = min(max(int(peak), 0), 100)
        height = MIN_BAR + (HEIGHT - MIN_BAR) * level / 100
        rows.append((index * BAR_PITCH, f"{(HEIGHT - height) / 2:.1f}", BAR_WIDTH, f"{height:.1f}"))
    return format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" rx="1.5"></rect>', rows)


@register.filter
def voice_time(seconds) -> str:
    """0:07, 1:45, 12:03."""
    total = round(float(seconds or 0))
    return f"{total // 60}:{total % 60:02d}"


@register.filter
def listener_ids(message) -> str:
    """Who has played the message, for the page to tell played from unplayed for its viewer."""
    return ",".join(str(listen.user_id) for listen in message.voice_listens.all())


@register.simple_tag
def voice_max_seconds() -> int:
    """The longest recording the server keeps: the recorder stops and sends at it."""
    return settings.VOICE_MAX_SECONDS
