"""Open the family feed of a long-lived family and scroll deep: every page should cost the same.

    python bench/feed.py [--posts 100000] [--likes 1000000] [--comments 300000]
                         [--photos 20000] [--members 50] [--requests 50]

Seeds (once) a family of members with years of posts, likes, comments and small photo files into
the configured database (DATABASE_URL, or the embedded SQLite file) and media storage, then
prints, for the first feed page and pages deep in the history, the median and p95 server time and
the number of SQL queries. Requests go through Django's whole stack in this process.

Audiences are mixed as a family would: most posts to the whole family, some to contacts, some to a
community, a few only for oneself; two members blocked one another.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toricy.settings")

import django

django.setup()

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from accounts.models import Block, Contact, User
from feed.models import Comment, Like, Post, PostMedia
from messaging.models import Community, CommunityMember

BATCH = 20_000
TEXTS = [
    "Доброе утро, семья! Как спалось?",
    "Первые **яблоки** с дачи: https://example.org/garden",
    "Кто едет в субботу? @bench_00, возьми, пожалуйста, рассаду.",
    "Испекла пирог к приезду внуков.\nРецепт пришлю вечером.",
    "С днём рождения, дорогой! Здоровья и радости.",
]
COMMENTS = ["Как здорово!", "Молодцы!", "@bench_01 смотри", "Приеду в воскресенье", "Спасибо!"]


def members(count: int) -> list[User]:
    people = []
    for n in range(count):
        person, _ = User.objects.get_or_create(
            username=f"bench_{n:02d}", defaults={"display_name": f"Родственник {n}"}
        )
        people.append(person)
    return people


def seed_family(people: list[User]) -> Community:
    community, _ = Community.objects.get_or_create(title="Дача", defaults={"created_by": people[0]})
    for person in people[::2]:
        CommunityMember.objects.get_or_create(community=community, user=person)
    for n, person in enumerate(people):
        for other in people[n + 1 : n + 6]:
            Contact.objects.get_or_create(owner=person, person=other)
            Contact.objects.get_or_create(owner=other, person=person)
    Block.objects.get_or_create(blocker=people[-1], blocked=people[-2])
    return community


def small_jpeg(n: int) -> bytes:
    out = BytesIO()
    Image.new("RGB", (96, 72), (n * 37 % 255, n * 91 % 255, n * 53 % 255)).save(out, "JPEG")
    return out.getvalue()


def seed_posts(people: list[User], community: Community, total: int, photos: int) -> None:
    have = Post.objects.count()
    if have >= total:
        return
    print(f"seeding {total - have:,} posts ...", flush=True)
    started = time.perf_counter()
    base = timezone.now() - timezone.timedelta(hours=total)
    rng = random.Random(have)
    n = have
    photo_every = max(1, total // max(1, photos))
    pictures = [small_jpeg(k) for k in range(16)]
    while n < total:
        rows = []
        for _ in range(min(BATCH, total - n)):
            n += 1
            roll = rng.random()
            audience = (
                Post.Audience.FAMILY
                if roll < 0.8
                else Post.Audience.CONTACTS
                if roll < 0.9
                else Post.Audience.COMMUNITY
                if roll < 0.95
                else Post.Audience.ME
            )
            rows.append(
                Post(
                    author=people[n % len(people)],
                    client_id=f"bench-{n}",
                    text=TEXTS[n % len(TEXTS)],
                    audience=audience,
                    community=community if audience == Post.Audience.COMMUNITY else None,
                    created_at=base + timezone.timedelta(hours=n),
                )
            )
        with transaction.atomic():
            made = Post.objects.bulk_create(rows)
            if not made[0].pk:  # backends that do not return ids from bulk inserts
                made = list(Post.objects.order_by("-pk")[: len(rows)])[::-1]
            media = []
            for post in made:
                if post.pk % photo_every == 0:
                    data = pictures[post.pk % len(pictures)]
                    name = default_storage.save(f"feed/bench/{post.pk}.jpg", ContentFile(data))
                    media.append(
                        PostMedia(
                            post=post,
                            kind=PostMedia.Kind.PHOTO,
                            file=name,
                            preview=name,
                            width=96,
                            height=72,
                            size=len(data),
                        )
                    )
            PostMedia.objects.bulk_create(media)
        print(f"  {n:,} posts ({time.perf_counter() - started:.0f} s)", flush=True)


def seed_likes(people: list[User], total: int) -> None:
    have = Like.objects.count()
    if have >= total:
        return
    print(f"seeding {total - have:,} likes ...", flush=True)
    started = time.perf_counter()
    first, last = Post.objects.aggregate(a=django.db.models.Min("pk"), b=Max("pk")).values()
    # Like (post, member) pairs walk the members first: unique, and spread over every post.
    width = len(people)
    k = have
    while k < total:
        rows = []
        for _ in range(min(BATCH, total - k)):
            post_id = first + (k // width) * 7 % (last - first + 1)
            rows.append(Like(post_id=post_id, user=people[k % width]))
            k += 1
        with transaction.atomic():
            Like.objects.bulk_create(rows, ignore_conflicts=True)
        print(f"  {k:,} likes ({time.perf_counter() - started:.0f} s)", flush=True)


def seed_comments(people: list[User], total: int) -> None:
    have = Comment.objects.count()
    if have >= total:
        return
    print(f"seeding {total - have:,} comments ...", flush=True)
    started = time.perf_counter()
    first, last = Post.objects.aggregate(a=django.db.models.Min("pk"), b=Max("pk")).values()
    span = last - first + 1
    k = have
    while k < total:
        rows = []
        for _ in range(min(BATCH, total - k)):
            rows.append(
                Comment(
                    post_id=first + (k * 13) % span,
                    author=people[(k * 7) % len(people)],
                    client_id=f"bench-{k}",
                    text=COMMENTS[k % len(COMMENTS)],
                )
            )
            k += 1
        with transaction.atomic():
            Comment.objects.bulk_create(rows)
        print(f"  {k:,} comments ({time.perf_counter() - started:.0f} s)", flush=True)


def recount() -> None:
    """Put the stored like and comment counts right after the bulk inserts."""
    print("counting likes and comments per post ...", flush=True)
    # One UPDATE per counter: a CASE per row (bulk_update) takes minutes on PostgreSQL here.
    with transaction.atomic():
        for model, field in ((Like, "like_count"), (Comment, "comment_count")):
            per_post = (
                model.objects.filter(post=OuterRef("pk"))
                .order_by()
                .values("post")
                .annotate(n=Count("pk"))
                .values("n")
            )
            Post.objects.update(**{field: Coalesce(Subquery(per_post), 0)})


def measure(client: Client, url: str, repeats: int) -> tuple[float, float, int, int]:
    timings = []
    queries = 0
    response = client.get(url)  # warm caches (templates, the session row)
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    cards = response.content.decode().count("data-post-id=")
    return statistics.median(timings), p95, queries, cards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--likes", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=300_000)
    parser.add_argument("--photos", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    people = members(args.members)
    community = seed_family(people)
    before = Post.objects.count()
    seed_posts(people, community, args.posts, args.photos)
    seed_likes(people, args.likes)
    seed_comments(people, args.comments)
    if Post.objects.count() != before or not Post.objects.filter(like_count__gt=0).exists():
        recount()
    # A live database has planner statistics (autovacuum gathers them); freshly bulk-loaded
    # tables have none until then, and PostgreSQL plans the feed as if they were empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    reader = people[3]
    client = Client(HTTP_HOST=urlsplit(settings.PUBLIC_URL).netloc)
    client.force_login(reader)
    newest = Post.objects.aggregate(m=Max("pk"))["m"]
    oldest = Post.objects.order_by("pk").values_list("pk", flat=True).first()
    print(
        f"\n{connection.vendor}: {Post.objects.count():,} posts, {Like.objects.count():,} likes, "
        f"{Comment.objects.count():,} comments, {PostMedia.objects.count():,} photos, "
        f"{len(people)} members; {args.requests} requests each"
    )
    print(f"{'what':<30}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'posts':>7}")
    rows = [
        ("feed: first page", "/"),
        ("feed: next page (HTMX)", f"/feed/?before={newest - 19}"),
        ("feed: 50% back", f"/feed/?before={oldest + (newest - oldest) // 2}"),
        ("feed: 90% back", f"/feed/?before={oldest + (newest - oldest) // 10}"),
        ("a member's posts, 90% back", f"/feed/members/{people[7].pk}/posts/?before="
                                       f"{oldest + (newest - oldest) // 10}"),
        ("a post with its comments", f"/feed/posts/{newest - 3}/"),
    ]  # fmt: skip
    for label, url in rows:
        extra = {"HTTP_HX_REQUEST": "true"} if "before=" in url else {}
        client.defaults.update(extra)
        median, p95, queries, cards = measure(client, url, args.requests)
        for key in extra:
            client.defaults.pop(key, None)
        print(f"{label:<30}{median:>10.1f}{p95:>10.1f}{queries:>9}{cards:>7}")


if __name__ == "__main__":
    main()
