"""A bot's formatted text (parse_mode HTML) as the markup Toricy's safe renderer shows.

Toricy stores a message as plain text with a small markup (`**bold**`, `_italic_`,
`` `code` ``, bare links) that `core.text.render` turns into sanitised HTML. Telegram's HTML tags
map onto it where Toricy has the formatting; the rest keep their text. A tag Telegram does not
know, or a tag left open, is refused as Telegram refuses it.
"""

from __future__ import annotations

from html.parser import HTMLParser

from bots.errors import bad_request

MARKS = {"b": "**", "strong": "**", "i": "_", "em": "_", "code": "`"}
TEXT_ONLY = {
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
    "pre",
}
KNOWN = set(MARKS) | TEXT_ONLY | {"a"}


class _Telegram(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.plain: list[str] = []
        self.open: list[tuple[str, str, int]] = []  # (tag, href, where its text starts)

    def handle_starttag(self, tag, attrs):
        if tag not in KNOWN:
            raise bad_request(f'can\'t parse entities: Unsupported start tag "{tag}"')
        href = (dict(attrs).get("href") or "") if tag == "a" else ""
        inside_code = any(name in ("code", "pre") for name, _href, _at in self.open)
        if tag in MARKS and not inside_code:
            self.out.append(MARKS[tag])
        self.open.append((tag, href, len(self.out)))

    def handle_endtag(self, tag):
        if not self.open or self.open[-1][0] != tag:
            raise bad_request(f'can\'t parse entities: Unmatched end tag "{tag}"')
        _tag, href, start = self.open.pop()
        inside_code = any(name in ("code", "pre") for name, _href, _at in self.open)
        if tag in MARKS and not inside_code:
            self.out.append(MARKS[tag])
        if tag == "a" and href:
            text = "".join(self.out[start:])
            if text.strip() != href:
                self.out.append(f" ({href})")
                self.plain.append(f" ({href})")

    def handle_data(self, data):
        self.out.append(data)
        self.plain.append(data)

    def close(self):
        super().close()
        if self.open:
            tag = self.open[-1][0]
            raise bad_request(
                f"can't parse entities: Can't find end tag corresponding to start tag \"{tag}\""
            )


def from_html(text: str) -> tuple[str, str]:
    """(what Toricy stores, the plain text Telegram would count) of a parse_mode=HTML text."""
    parser = _Telegram()
    parser.feed(text)
    parser.close()
    return "".join(parser.out), "".join(parser.plain)
