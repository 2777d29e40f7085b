"""A real Toricy server (daphne, the production ASGI app) on the test database, for tests."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.isolation import worker, worker_number

ROOT = Path(__file__).resolve().parent.parent


# Under pytest-xdist each worker takes ports from its own slice of 10000-32767, which lies below
# Linux's ephemeral range (32768-60999): no other worker, and no outgoing connection, takes them.
WORKER_PORTS = range(10000, 32768)
_handed_out: set[int] = set()


def free_port() -> int:
    """A port on loopback that nothing listens on, never the same twice in this process."""
    if not worker():
        while True:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            if port not in _handed_out:
                _handed_out.add(port)
                return port
    count = max(int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")), worker_number() + 1)
    size = len(WORKER_PORTS) // count
    mine = range(
        WORKER_PORTS.start + worker_number() * size,
        WORKER_PORTS.start + (worker_number() + 1) * size,
    )
    offset = random.randrange(size)
    for n in range(size):
        port = mine[(offset + n) % size]
        if port in _handed_out:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port left in {mine}")


def test_database_url() -> str:
    """The URL of the database pytest-django created, for a process started by the test."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{db['NAME']}"


class PortTaken(RuntimeError):
    pass


@dataclass
class Server:
    static_root: Path
    env_overrides: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            # The production settings with the test process's changes (tests/isolation.py).
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=test_database_url(),
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            STATIC_ROOT=str(self.static_root),
            PUBLIC_URL=self.url,
            DEBUG="0",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.env_overrides)
        return env

    def start(self) -> Server:
        for _ in range(3):
            try:
                self._start()
                return self
            except PortTaken:
                # Something else bound the port between free_port() and daphne: take another.
                self.port = free_port()
        self._start()
        return self

    def _start(self) -> None:
        self.log_path = self.static_root.parent / f"daphne-{self.port}.log"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "toricy.asgi:application",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_healthy()

    def wait_until_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                log = self.log()
                if "Address already in use" in log:
                    raise PortTaken(log)
                raise RuntimeError(f"daphne exited:\n{log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"daphne did not become healthy:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path else ""


def collect_static(static_root: Path) -> None:
    env = dict(os.environ, STATIC_ROOT=str(static_root), DEBUG="0")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
