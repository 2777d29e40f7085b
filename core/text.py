"""Members' text to safe HTML: line breaks kept, links clickable, a small formatting subset.

`**bold**`, `_italic_`, `` `code` ``, links and `@username` mentions. Everything else is escaped;
nh3 then keeps only the tags this module makes, so a bug here cannot let markup through.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

import nh3
from django.utils.safestring import SafeString, mark_safe

URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{3,32})\b")
CODE = re.compile(r"`([^`\n]+)`")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
ITALIC = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")

ALLOWED_TAGS = {"a", "b", "i", "code", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "class", "data-mention"}}


def mentioned_usernames(text: str) -> set[str]:
    return {name.lower() for name in MENTION.findall(text or "")}


def render(text: str, *, mention_url: Callable[[str], str | None] | None = None) -> SafeString:
    """Turn plain member text into safe HTML; `mention_url(username)` links known members."""
    if not text:
        return mark_safe("")
    pieces: list[str] = []
    # Code spans first: nothing inside them is formatted or linked.
    last = 0
    for match in CODE.finditer(text):
        pieces.append(_inline(text[last : match.start()], mention_url))
        pieces.append(f"<code>{html.escape(match.group(1))}</code>")
        last = match.end()
    pieces.append(_inline(text[last:], mention_url))
    joined = "".join(pieces).replace("\r\n", "\n").replace("\n", "<br>")
    cleaned = nh3.clean(
        joined,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3 just above)


def _inline(part: str, mention_url) -> str:
    out: list[str] = []
    last = 0
    for match in URL.finditer(part):
        out.append(_formatted(part[last : match.start()], mention_url))
        url = match.group(0)
        out.append(
            f'<a href="{html.escape(url, quote=True)}" target="_blank">{html.escape(url)}</a>'
        )
        last = match.end()
    out.append(_formatted(part[last:], mention_url))
    return "".join(out)


def _formatted(part: str, mention_url) -> str:
    escaped = html.escape(part, quote=False)
    escaped = BOLD.sub(r"<b>\1</b>", escaped)
    escaped = ITALIC.sub(r"<i>\1</i>", escaped)
    if mention_url is not None:

        def link(match: re.Match) -> str:
            url = mention_url(match.group(1))
            if not url:
                return match.group(0)
            return (
                f'<a class="mention" href="{html.escape(url, quote=True)}" '
                f'data-mention="{html.escape(match.group(1).lower())}">{match.group(0)}</a>'
            )

        escaped = MENTION.sub(link, escaped)
    return escaped


def search_key(text: str) -> str:
    """What search compares: casefolded, ё read as е (SQLite's LIKE does not fold Cyrillic)."""
    return (text or "").casefold().replace("ё", "е")


def snippet(text: str, limit: int = 90) -> str:
    """One plain line for chat lists and notifications."""
    flat = " ".join((text or "").split())
    flat = CODE.sub(r"\1", BOLD.sub(r"\1", flat))
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def usernames_in(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        found |= mentioned_usernames(text)
    return found
