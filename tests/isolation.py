"""What the test processes change in the production settings, in one place.

The test process applies these in pytest_configure (conftest.py); the daphne and Celery processes
a test starts get them through tests/settings.py (tests/server.py points them there). Both compute
them from the same environment, so they agree:

- every published realtime event is checked against its declaration (core.events);
- passwords are hashed with MD5: PBKDF2 at a million iterations costs ~0.4 s per test user;
  the production hashers stay listed after it, so a stored PBKDF2 hash still verifies;
- under pytest-xdist each worker (PYTEST_XDIST_WORKER=gw0, gw1, ...) has its own Redis database
  (the cache is cleared with FLUSHDB before every test, the Celery queue lives there) and its
  own channel-layer prefix (Redis pub/sub channels are shared by all databases of a server).
"""

from __future__ import annotations

import copy
import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import global_settings

MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
REDIS_DATABASES = 16  # a stock Redis server's `databases`


def worker() -> str:
    """The xdist worker's id ("gw0", "gw1", ...), or "" outside xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_number() -> int:
    name = worker()
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


def redis_url_for_worker(url: str) -> str:
    """The worker's own database on the same Redis server: the base number plus the worker's."""
    if not url or not worker():
        return url
    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path.isdigit() else 0
    number = base + worker_number()
    if number >= REDIS_DATABASES:
        raise RuntimeError(
            f"xdist worker {worker()} needs Redis database {number} (base {base}); "
            f"a stock Redis has {REDIS_DATABASES}: lower it in REDIS_URL or use fewer workers"
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


def channel_prefix() -> str:
    """The channel layer's prefix: channels_redis's default, with the worker's id under xdist."""
    return f"asgi-{worker()}-" if worker() else "asgi"


def overrides(base: Any) -> dict[str, Any]:
    """The settings to change, given the production settings (a module or django.conf.settings)."""
    production = getattr(base, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    hashers = [MD5_HASHER, *(h for h in production if h != MD5_HASHER)]
    # Every published event is checked against its declaration (core.events): a misshapen or
    # undeclared event fails the test, or the request in a server the test started, that sent it.
    changed: dict[str, Any] = {"PASSWORD_HASHERS": hashers, "REALTIME_CHECK_EVENTS": True}
    redis_url = getattr(base, "REDIS_URL", "")
    if not redis_url or not worker():
        return changed
    mine = redis_url_for_worker(redis_url)
    changed["REDIS_URL"] = mine
    if getattr(base, "CELERY_BROKER_URL", "") == redis_url:
        changed["CELERY_BROKER_URL"] = mine

    caches = copy.deepcopy(base.CACHES)
    for cache in caches.values():
        if cache.get("LOCATION") == redis_url:
            cache["LOCATION"] = mine
    changed["CACHES"] = caches

    layers = copy.deepcopy(base.CHANNEL_LAYERS)
    for layer in layers.values():
        config = layer.get("CONFIG")
        if not config:
            continue
        for host in config.get("hosts", []):
            if isinstance(host, dict) and host.get("address") == redis_url:
                host["address"] = mine
        config["prefix"] = channel_prefix()
    changed["CHANNEL_LAYERS"] = layers
    return changed
