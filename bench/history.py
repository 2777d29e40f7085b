"""Open a chat with a long history and page back through it: every page should cost the same.

    python bench/history.py [--messages 1000000] [--requests 30]

Seeds (once) a direct chat between two bench members with N messages into the configured database
(DATABASE_URL, or the embedded SQLite file), then prints, for opening the chat and for history
pages at several depths, the median and p95 server time and the number of SQL queries. Requests go
through Django's whole stack (middleware, session, views, templates) in this process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toricy.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from core.text import search_key
from messaging import services
from messaging.models import Chat, Membership, Message

BATCH = 10_000


def seed(total: int) -> Chat:
    reader, _ = User.objects.get_or_create(
        username="bench_reader", defaults={"display_name": "Читатель"}
    )
    writer, _ = User.objects.get_or_create(
        username="bench_writer", defaults={"display_name": "Писатель"}
    )
    chat = services.direct_chat(user=reader, other=writer)
    have = chat.last_seq
    if have >= total:
        return chat
    print(f"seeding {total - have:,} messages ...", flush=True)
    started = time.perf_counter()
    base = timezone.now() - timezone.timedelta(seconds=total)
    texts = [
        "Доброе утро! Как спалось?",
        "Купи, пожалуйста, хлеба и молока по дороге домой.",
        "Смотри, какие **яблоки** выросли в этом году: https://example.org/garden",
        "Созвонимся вечером, после ужина.",
    ]
    seq = have
    while seq < total:
        rows = []
        for _ in range(min(BATCH, total - seq)):
            seq += 1
            text = texts[seq % len(texts)]
            rows.append(
                Message(
                    chat=chat,
                    seq=seq,
                    sender=writer if seq % 3 else reader,
                    client_id=f"bench-{seq}",
                    text=text,
                    search_text=search_key(text),
                    created_at=base + timezone.timedelta(seconds=seq),
                )
            )
        with transaction.atomic():
            Message.objects.bulk_create(rows)
            Chat.objects.filter(pk=chat.pk).update(last_seq=seq)
        print(f"  {seq:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    last = Message.objects.get(chat=chat, seq=seq)
    Chat.objects.filter(pk=chat.pk).update(last_message=last, last_activity_at=last.created_at)
    # The reader has read everything: opening the chat shows the newest page.
    Membership.objects.filter(chat=chat).update(last_read_seq=seq, last_delivered_seq=seq)
    chat.refresh_from_db()
    return chat


def measure(client: Client, url: str, repeats: int) -> tuple[float, float, int]:
    timings = []
    queries = 0
    client.get(url)  # warm caches (templates, the session row)
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    settings.DEBUG = False
    # Static URLs without a collectstatic manifest: the bench measures views, not file hashing.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    chat = seed(args.messages)
    reader = User.objects.get(username="bench_reader")
    client = Client(HTTP_HOST=urlsplit(settings.PUBLIC_URL).netloc)
    client.force_login(reader)
    engine = connection.vendor
    print(f"\n{engine}: a chat of {chat.last_seq:,} messages, {args.requests} requests each")
    print(f"{'what':<34}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    rows = [("open the chat", chat.get_absolute_url())]
    history = f"/chats/{chat.pk}/messages/"
    for label, fraction in [
        ("page: newest", 1.0),
        ("page: 50% back", 0.5),
        ("page: 90% back", 0.1),
    ]:
        rows.append((label, f"{history}?before={max(2, int(chat.last_seq * fraction))}"))
    rows.append(("page: the oldest", f"{history}?before=51"))
    for label, url in rows:
        median, p95, queries = measure(client, url, args.requests)
        print(f"{label:<34}{median:>10.1f}{p95:>10.1f}{queries:>9}")


if __name__ == "__main__":
    main()
