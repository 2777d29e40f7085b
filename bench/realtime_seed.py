"""Seat members in one group chat for bench/realtime.py; run by it, in its own process.

    python bench/realtime_seed.py MEMBERS SOCKETS

Creates MEMBERS members in bulk (one `bulk_create` of users, one of memberships), makes the first
of them the owner of a new group through `services.create_group` and seats the others in it as
plain members (`Membership` rows with their defaults, what `services.add_members` writes), and
makes a signed-in session for only the first SOCKETS members. Prints one line, RESULT and JSON:
the chat id, the session keys (the sender's first) and Toricy's channel layer backend.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toricy.settings")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections, transaction

from accounts.models import User
from messaging import services
from messaging.models import Membership


def main() -> None:
    members, sockets = int(sys.argv[1]), int(sys.argv[2])
    started = time.perf_counter()
    password = make_password(None)  # unusable: these members sign in by session only
    with transaction.atomic():
        User.objects.bulk_create(
            (
                User(username=f"rt_bench_{n}", display_name=f"Участник {n}", password=password)
                for n in range(members)
            ),
            batch_size=2000,
        )
        people = list(User.objects.filter(username__startswith="rt_bench_").order_by("pk"))
        owner = people[0]
        chat = services.create_group(by=owner, title=f"bench {members}")
        Membership.objects.bulk_create(
            (
                Membership(chat=chat, user=person, role=Membership.Role.MEMBER)
                for person in people[1:]
            ),
            batch_size=2000,
        )
    keys = []
    for user in people[:sockets]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    connections.close_all()
    result = {
        "chat": chat.pk,
        "keys": keys,
        "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
        "seconds": time.perf_counter() - started,
    }
    print("RESULT" + json.dumps(result))


if __name__ == "__main__":
    main()
