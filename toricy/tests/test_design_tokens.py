"""The palettes keep text readable (WCAG AA) in both themes, and "system" dark equals dark."""

import re
from pathlib import Path

import pytest

TOKENS = (Path(__file__).resolve().parents[2] / "static/css/tokens.css").read_text()
PAIRS = [
    ("text", "bg-app"),
    ("text", "bg-surface"),
    ("text", "bg-element"),
    ("text-muted", "bg-app"),
    ("text-muted", "bg-surface"),
    ("text-muted", "bg-subtle"),
    ("accent-contrast", "accent"),
    ("accent-text", "bg-surface"),
    ("accent-text", "bg-app"),
    ("accent-text", "accent-subtle"),
    ("danger-contrast", "danger"),
    ("danger-text", "bg-surface"),
    ("danger-text", "danger-subtle"),
    ("success-contrast", "success"),
    ("success-text", "success-subtle"),
    ("warning-text", "warning-subtle"),
    *[("avatar-text", f"avatar-{n}") for n in range(8)],
]


def block(selector_start: str) -> dict[str, str]:
    start = TOKENS.index(selector_start)
    body = TOKENS[TOKENS.index("{", start) + 1 : TOKENS.index("}", start)]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", body))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = block(':root,\n[data-theme="light"]')
DARK = block('[data-theme="dark"] {')
SYSTEM_DARK = block(':root[data-theme="system"]')


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize(("fore", "back"), PAIRS)
def test_text_meets_wcag_aa(palette, fore, back):
    ratio = contrast(palette[fore], palette[back])
    assert ratio >= 4.5, f"{fore} on {back}: {ratio:.2f}"


def test_following_the_system_gives_exactly_the_dark_palette():
    shared = {k: v for k, v in DARK.items() if not k.startswith("avatar")}
    assert {k: SYSTEM_DARK[k] for k in shared} == shared


def test_the_contrast_check_would_catch_a_pale_pair():
    assert contrast("#ffffff", "#0f766e") > 4.5
    assert contrast("#ffffff", "#14b8a6") < 4.5


ACCENTS = (Path(__file__).resolve().parents[2] / "static/css/accents.css").read_text()
ACCENT_PAIRS = [
    ("accent-contrast", "accent"),
    ("accent-contrast", "accent-hover"),
    ("accent-text", "bg-surface"),
    ("accent-text", "bg-app"),
    ("accent-text", "accent-subtle"),
    ("accent-text", "accent-subtle-hover"),
]


def accent_sets() -> list[tuple[str, dict, dict]]:
    sets = []
    for match in re.finditer(
        r':root\[data-accent="(\w+)"\](\[data-theme="(\w+)"\])? \{([^}]*)\}', ACCENTS
    ):
        name, theme, body = match.group(1), match.group(3), match.group(4)
        colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", body))
        base = DARK if theme in ("dark", "system") else LIGHT
        sets.append((f"{name}-{theme or 'light'}", base, colours))
    return sets


def test_every_accent_the_settings_offer_has_light_and_dark_sets():
    from accounts.models import Accent

    names = {label.rsplit("-", 1)[0] for label, _, _ in accent_sets()}
    assert names == {a.value for a in Accent} - {"teal"}
    assert len(accent_sets()) == 3 * len(names)


@pytest.mark.parametrize(
    ("label", "base", "colours"), accent_sets(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_accent_meets_wcag_aa(label, base, colours):
    palette = base | colours
    for fore, back in ACCENT_PAIRS:
        ratio = contrast(palette[fore], palette[back])
        assert ratio >= 4.5, f"{label}: {fore} on {back}: {ratio:.2f}"
