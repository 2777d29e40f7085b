"""The family's rules for the interface: no emoji, no gradients, every string translated."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".git", ".venv", "vendor", "node_modules", "var", "artifacts", "__pycache__", "tests"}
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d\U000e0020-\U000e007f]"
)
GRADIENT = re.compile(r"(linear|radial|conic)-gradient\s*\(|<\s*(linear|radial)Gradient", re.I)
APPS = ["toricy", "accounts", "feed", "messaging", "calls", "bots", "notifications"]


def interface_files():
    for path in ROOT.rglob("*"):
        if any(part in SKIP_DIRS for part in path.relative_to(ROOT).parts):
            continue
        interface = path.suffix in {".html", ".css", ".js", ".svg", ".webmanifest", ".po"}
        in_app_code = path.suffix == ".py" and path.parts[len(ROOT.parts)] in APPS
        if interface or in_app_code:
            yield path


def offending_lines(pattern):
    for path in interface_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                yield f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}"


def test_the_scan_sees_the_interface():
    names = {p.relative_to(ROOT).as_posix() for p in interface_files()}
    assert "templates/base.html" in names
    assert "static/css/tokens.css" in names
    assert "locale/ru/LC_MESSAGES/django.po" in names


def test_no_emoji_anywhere_in_the_interface():
    assert list(offending_lines(EMOJI)) == []


def test_no_gradients_anywhere_in_the_interface():
    assert list(offending_lines(GRADIENT)) == []


def test_the_checks_would_catch_an_emoji_and_a_gradient():
    assert EMOJI.search("Привет \U0001f600")
    assert EMOJI.search("\u2764\ufe0f")
    assert GRADIENT.search("background: linear-gradient(red, blue)")
    assert GRADIENT.search('<radialGradient id="g">')
    assert not EMOJI.search("Привет, бабушка! -> 5 «мин» … ©")


def russian_catalogue() -> polib.POFile:
    return polib.pofile(str(ROOT / "locale/ru/LC_MESSAGES/django.po"))


def test_every_russian_entry_is_translated_and_none_is_fuzzy():
    catalogue = russian_catalogue()
    assert len(catalogue) > 50
    missing = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_string_in_the_code_is_in_the_russian_catalogue(tmp_path):
    """Extract the strings afresh: a string added without a translation fails here."""
    work = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(".git", ".venv", "var", "artifacts", "node_modules", "*.mo"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ru",
            "--no-obsolete",
            "-v",
            "0",
            "--ignore",
            "static/vendor/*",
            "--ignore",
            "tests/*",
            "--ignore",
            "*/tests/*",
        ],
        cwd=work,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(work / "locale/ru/LC_MESSAGES/django.po"))
    translated = {(e.msgctxt, e.msgid) for e in russian_catalogue() if e.translated()}
    untranslated = sorted(
        e.msgid for e in fresh if (e.msgctxt, e.msgid) not in translated and not e.obsolete
    )
    assert untranslated == []
