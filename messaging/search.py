# The SQL below is built from this module's constants only; the query text goes in as a parameter.
# ruff: noqa: S608, S611
"""Message search: only what the member may read now, in the chats they are in now.

Production (PostgreSQL) matches with full-text search in the `russian` configuration, so word forms
meet ("бабушке" finds "бабушка"), over a GIN index on `to_tsvector('russian', text)`. The embedded
mode (SQLite) matches with FTS5 over the casefolded `search_text` (unicode61, diacritics removed),
each word as a prefix of its rough Russian stem. Both indexes are made by migration 0002; the SQLite
table is kept in step with messages by triggers, which `install_sqlite_fts` puts back if a later
migration rebuilt the messages table (SQLite drops a table's triggers with it).
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from core.text import search_key
from messaging.models import Chat, Message

MAX_WORDS = 8
FTS_TABLE = "messaging_message_fts"
WORD = re.compile(r"\w+", re.UNICODE)

# Rough Russian endings, longest first: enough for FTS5 prefixes to meet most word forms.
ENDINGS = sorted(
    [
        "а",
        "я",
        "о",
        "е",
        "ы",
        "и",
        "у",
        "ю",
        "ь",
        "й",
        "ой",
        "ей",
        "ий",
        "ый",
        "ая",
        "яя",
        "ое",
        "ее",
        "ые",
        "ие",
        "ую",
        "юю",
        "ого",
        "его",
        "ому",
        "ему",
        "ым",
        "им",
        "ом",
        "ем",
        "ах",
        "ях",
        "ам",
        "ям",
        "ами",
        "ями",
        "ов",
        "ев",
        "ей",
        "ию",
        "ия",
        "ие",
        "иям",
        "иях",
        "иями",
        "ость",
        "ости",
        "остью",
        "ться",
        "тся",
        "ешь",
        "ет",
        "ем",
        "ете",
        "ут",
        "ют",
        "ит",
        "им",
        "ите",
        "ат",
        "ят",
        "ал",
        "ала",
        "али",
        "ало",
        "ил",
        "ила",
        "или",
        "ило",
        "ел",
        "ела",
        "ели",
        "ело",
    ],
    key=len,
    reverse=True,
)


def words_of(query: str) -> list[str]:
    return WORD.findall(search_key(query))[:MAX_WORDS]


def stem(word: str) -> str:
    """The word without a common Russian ending, never shorter than three letters."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _fts5_query(words: list[str]) -> str:
    # Each word quoted (no FTS5 syntax gets through) and matched as a prefix of its stem.
    return " ".join('"' + stem(word).replace('"', "") + '"*' for word in words)


def visible_messages(user: User, chat: Chat | None = None) -> QuerySet[Message]:
    """Text messages the member may read (`Message.objects.visible_to`), not deleted."""
    messages = Message.objects.visible_to(user).filter(deleted_at=None, kind=Message.Kind.TEXT)
    if chat is not None:
        messages = messages.filter(chat=chat)
    return messages


def messages(user: User, query: str, chat: Chat | None = None) -> QuerySet[Message]:
    """Messages containing every word of `query`, newest first."""
    words = words_of(query)
    if not words:
        return Message.objects.none()
    found = visible_messages(user, chat)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        found = found.annotate(document=SearchVector("text", config="russian")).filter(
            document=SearchQuery(" ".join(words), config="russian", search_type="plain")
        )
    elif connection.vendor == "sqlite":
        found = found.filter(
            pk__in=RawSQL(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
                [_fts5_query(words)],
            )
        )
    else:
        for word in words:
            found = found.filter(search_text__contains=word)
    return found.select_related("chat", "sender").order_by("-created_at", "-pk")


def highlight(text: str, query: str, *, around: int = 60) -> SafeString:
    """A short piece of `text` around the first match, with the matched words in <mark>."""
    stems = [stem(word) for word in words_of(query)]
    flat = " ".join((text or "").split())
    spans = []
    for match in WORD.finditer(flat):
        key = search_key(match.group())
        if any(key.startswith(s) for s in stems):
            spans.append(match.span())
    if not spans:
        return escape(flat[: around * 2])
    start = max(0, spans[0][0] - around)
    end = min(len(flat), spans[0][1] + around * 2)
    if start:
        # Begin at a word boundary.
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    out, cursor = [], start
    for left, right in spans:
        if left < start or right > end:
            continue
        out.append(escape(flat[cursor:left]))
        out.append(f"<mark>{escape(flat[left:right])}</mark>")
        cursor = right
    out.append(escape(flat[cursor:end]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(flat) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece is escaped


# --- Indexes (called by migration 0002 and after every migrate) --------------------------------
SQLITE_FTS = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        search_text, content='messaging_message', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON messaging_message BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON messaging_message BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text
        ON messaging_message BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
]
SQLITE_TRIGGERS = {f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au"}
POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS message_text_russian_fts ON messaging_message "
    "USING gin (to_tsvector('russian'::regconfig, COALESCE(text, '')))"
)


def install_sqlite_fts(conn) -> None:
    """Make the FTS5 table and its triggers if any is missing, and refill it if it was stale."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master"
            " WHERE type = 'trigger' AND tbl_name = 'messaging_message'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if present >= SQLITE_TRIGGERS:
            return
        for statement in SQLITE_FTS:
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def install(conn) -> None:
    if conn.vendor == "sqlite":
        install_sqlite_fts(conn)
    elif conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(POSTGRES_INDEX)


def uninstall(conn) -> None:
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for trigger in sorted(SQLITE_TRIGGERS):
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif conn.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS message_text_russian_fts")
