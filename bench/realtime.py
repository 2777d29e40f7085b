"""Time one message from its send to its arrival at the LAST of N open websockets, against a floor.

    python bench/realtime.py                                        # embedded: SQLite, in-memory
    REDIS_URL=redis://127.0.0.1:6379/5 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/toricy_bench \\
        python bench/realtime.py --processes 2                      # PostgreSQL, Redis, 2 daphnes
    python bench/realtime.py --clients 200 --big 10000              # also the 10,000-member chat

For each N (`--clients`, default 2 50 200), on a fresh database and freshly started daphnes:

Toricy: N members in one group chat, one websocket each at /ws/ (session cookie), spread over
the daphne processes; one member sends with HTTP POST /chats/<id>/send/ (the real write path),
the POSTs taking turns over the processes. A sample is the time from the start of the POST until
the last of the N sockets (the sender's own among them) got the `message.created` frame carrying
its client id.

Floor: the same N sockets on a bare Channels relay (bench/floor_relay.py, served by the same
number of daphnes with the same channel layer); one client sends a frame with an id, padded to
the size of Toricy's `message.created` frame, and the relay `group_send`s it to every socket. A
sample is the time from the send until the last of the N sockets got it.

Both run side by side, started together, and their messages alternate (one Toricy message, one
floor message...), so that both see the same load on a shared machine. For each, the very first
message after the servers started (once they are idle after the connects) is the cold one,
printed apart; then `--messages` messages, `--in-flight` at a time (one by default), of which
the first `--warmup` are left out; p50 is the median, p99 the nearest rank (with 95 samples, the largest).
Sockets connect at a bounded rate with a bounded number of handshakes at once, and a refused
handshake is retried. The bench's own client runs in this one process, the same for both.

`--big M` (off by default) seats M members in one chat in bulk, opens `--big-sockets` of them, and
times the send's HTTP response and its arrival on every open socket, against the issue's goals.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import datetime
import json
import math
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RUN_DIR = Path(tempfile.mkdtemp(prefix="toricy-bench-rt-"))
# The servers' own output, kept after the run to read when something failed.
LOG = Path(tempfile.gettempdir()) / "toricy-bench-realtime.log"
SECRET = secrets.token_urlsafe(40)
READY = '"type":"ready"'
CREATED = '"message.created"'
GOAL_P50, GOAL_P99, GOAL_COLD_MS = 2.0, 3.0, 1000.0
GOAL_BIG_POST_MS, GOAL_BIG_ALL_MS = 100.0, 5000.0

# --- Processes ----------------------------------------------------------------------------------
_children: list[subprocess.Popen] = []


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process in _children:
            _children.remove(process)


def _stop_all(*_args) -> None:
    stop(list(_children))
    if _args:  # a signal: leave now (atexit still runs)
        sys.exit(130)


atexit.register(_stop_all)
signal.signal(signal.SIGTERM, _stop_all)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        # Set, even empty, so that a .env file cannot switch the mode under the bench.
        REDIS_URL=os.environ.get("REDIS_URL", ""),
        TORICY_VAR_DIR=str(RUN_DIR / "var"),
        STATIC_ROOT=str(RUN_DIR / "static"),
        MEDIA_ROOT=str(RUN_DIR / "media"),
        SECRET_KEY=SECRET,
        DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_django(args: list[str], env: dict[str, str]) -> str:
    out = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr[-4000:]}")
    return out.stdout


def start_daphnes(count: int, app: str, env: dict[str, str]) -> tuple[list[int], list[int]]:
    """Start `count` daphnes on `app`; return their ports and pids once every one accepts."""
    ports = [free_port() for _ in range(count)]
    started = []
    with LOG.open("ab") as log:
        log.write(f"\n=== {app} on {ports} ===\n".encode())
    for port in ports:
        process = subprocess.Popen(
            [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app],
            cwd=ROOT,
            env={**env, "PUBLIC_URL": f"http://127.0.0.1:{ports[0]}"},
            stdout=LOG.open("ab"),
            stderr=subprocess.STDOUT,
        )
        _children.append(process)
        started.append(process)
    for port, process in zip(ports, started, strict=True):
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                sys.exit(f"daphne on {port} exited: see {LOG}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"daphne on {port} did not start: see {LOG}")
                time.sleep(0.1)
    return ports, [process.pid for process in started]


# --- Databases ----------------------------------------------------------------------------------
class Database:
    """A fresh database for every server start, all made from one migrated template."""

    def __init__(self, url: str | None) -> None:
        self.postgres = bool(url)
        if url:
            parts = urlsplit(url)
            self.name = parts.path.lstrip("/")
            self.template = f"{self.name}_template"
            self.url = url
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.template_url = urlunsplit(parts._replace(path=f"/{self.template}"))
        else:
            self.template_file = RUN_DIR / "template.sqlite3"
            self.file = RUN_DIR / "bench.sqlite3"
            self.url = f"sqlite:///{self.file}"
            self.template_url = f"sqlite:///{self.template_file}"

    def _admin(self, *statements: str) -> list:
        import psycopg

        rows = []
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                cursor = conn.execute(statement)
                if cursor.description:
                    rows.extend(cursor.fetchall())
        return rows

    def create_template(self) -> None:
        if self.postgres:
            self._admin(
                f'DROP DATABASE IF EXISTS "{self.name}"',
                f'DROP DATABASE IF EXISTS "{self.template}"',
                f'CREATE DATABASE "{self.template}"',
            )
        env = base_env(self.template_url)
        run_django(["manage.py", "migrate", "--noinput", "-v0"], env)
        run_django(["manage.py", "collectstatic", "--noinput", "-v0"], env)

    def fresh(self) -> None:
        if self.postgres:
            self._admin(
                f'DROP DATABASE IF EXISTS "{self.name}"',
                f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"',
            )
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)
            with sqlite3.connect(self.template_file) as src, sqlite3.connect(self.file) as dst:
                src.backup(dst)

    def connections_left(self) -> int:
        if not self.postgres:
            return 0
        rows = self._admin(
            "SELECT count(*) FROM pg_stat_activity "  # noqa: S608 (our own database names)
            f"WHERE datname IN ('{self.name}', '{self.template}')"
        )
        return rows[0][0]

    def drop(self) -> None:
        if self.postgres:
            self._admin(
                f'DROP DATABASE IF EXISTS "{self.name}"',
                f'DROP DATABASE IF EXISTS "{self.template}"',
            )


def seed(db: Database, members: int, sockets: int) -> dict:
    out = run_django(
        ["bench/realtime_seed.py", str(members), str(sockets)],
        {**base_env(db.url), "PUBLIC_URL": "http://127.0.0.1"},
    )
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])


# --- Clients ------------------------------------------------------------------------------------
@dataclass
class Track:
    """One message on its way: when it was sent, which sockets have it, when the last got it."""

    marker: str
    expected: int
    sent: float = 0.0
    seen: set[int] = field(default_factory=set)
    last: float = 0.0
    size: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


class Fleet:
    """N open websockets read by one task each; counts the arrival of tracked frames."""

    def __init__(self, kind_marker: str | None) -> None:
        self.kind_marker = kind_marker
        self.sockets: list = []
        self.tasks: list[asyncio.Task] = []
        self.pending: dict[str, Track] = {}
        self.last_frame = time.perf_counter()
        self.retries = 0

    async def connect(
        self, urls: list[str], headers: list[dict], hello: str | None, concurrency: int, rate: float
    ) -> None:
        """Open every socket, at most `concurrency` handshakes at once and `rate` a second."""
        gate = asyncio.Semaphore(concurrency)
        loop = asyncio.get_running_loop()
        next_slot = loop.time()
        self.sockets = [None] * len(urls)

        async def one(index: int) -> None:
            nonlocal next_slot
            for attempt in range(6):
                ws = None
                async with gate:
                    now = loop.time()
                    slot, next_slot = max(now, next_slot), max(now, next_slot) + 1 / rate
                    await asyncio.sleep(slot - now)
                    try:
                        ws = await websockets.connect(
                            urls[index],
                            additional_headers=headers[index],
                            compression=None,
                            max_size=2**24,
                            max_queue=None,
                            open_timeout=30,
                            ping_interval=None,
                        )
                        if hello is not None:
                            await ws.send(hello)
                        while READY not in await asyncio.wait_for(ws.recv(), 30):
                            pass
                    except (OSError, InvalidHandshake, ConnectionClosed, TimeoutError) as refused:
                        self.retries += 1
                        if ws is not None:
                            with contextlib.suppress(Exception):
                                await ws.close()
                        if attempt == 5:
                            raise RuntimeError(f"socket {index}: {refused!r}") from refused
                        ws = None
                if ws is not None:
                    self.sockets[index] = ws
                    self.tasks.append(asyncio.create_task(self.listen(index, ws)))
                    return
                await asyncio.sleep(0.25 * 2**attempt)  # refused: back off, outside the gate

        await asyncio.gather(*(one(index) for index in range(len(urls))))

    async def listen(self, index: int, ws) -> None:
        kind = self.kind_marker
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                now = time.perf_counter()
                self.last_frame = now
                if kind is not None and kind not in raw:
                    continue
                for track in self.pending.values():
                    if track.marker in raw and index not in track.seen:
                        track.seen.add(index)
                        track.size = len(raw.encode())
                        if len(track.seen) == track.expected:
                            track.last = now
                            track.done.set()

    async def settle(self, pids: list[int], quiet: float = 0.5, longest: float = 60.0) -> float:
        """Wait until the servers are idle: no frame for `quiet` s and the daphnes using under 5%
        of a core over that time (presence after the connects, say); return how long it took."""
        started = time.perf_counter()
        deadline = started + longest
        before = cpu_seconds(pids)
        while time.perf_counter() < deadline:
            await asyncio.sleep(quiet)
            after = cpu_seconds(pids)
            busy = (after - before) / quiet
            before = after
            if time.perf_counter() - self.last_frame >= quiet and busy < 0.05:
                break
        return time.perf_counter() - started

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.wait(
            [asyncio.create_task(ws.close()) for ws in self.sockets if ws is not None], timeout=10
        )


@dataclass
class Sample:
    index: int
    total_ms: float | None  # None: not every socket had it within the timeout
    post_ms: float | None = None
    got: int = 0
    size: int = 0


async def drive(
    side: Side, start: int, count: int, in_flight: int, timeout: float, stop_on_loss: bool = False
) -> list[Sample]:
    """Send messages `start`, `start + 1`... (`count` of them), at most `in_flight` on their way;
    `stop_on_loss`: send no more once one timed out (the server may still be busy with it)."""
    fleet, send = side.fleet, side.send
    gate = asyncio.Semaphore(in_flight)
    samples: list[Sample] = []
    stopped = False

    async def one(index: int) -> None:
        nonlocal stopped
        async with gate:
            if stopped:
                return
            marker = f"rt-{secrets.token_hex(6)}-{index}"
            track = Track(marker=marker, expected=len(fleet.sockets))
            fleet.pending[marker] = track
            track.sent = time.perf_counter()
            sample = Sample(index=index, total_ms=None)
            try:
                async with asyncio.timeout(timeout):
                    post = await send(index, marker)
                    if post is not None:
                        sample.post_ms = (post - track.sent) * 1000
                    await track.done.wait()
                sample.total_ms = (track.last - track.sent) * 1000
            except TimeoutError:
                stopped = stop_on_loss
            sample.got, sample.size = len(track.seen), track.size
            del fleet.pending[marker]
            samples.append(sample)

    await asyncio.gather(*(one(index) for index in range(start, start + count)))
    return sorted(samples, key=lambda sample: sample.index)


@dataclass
class Result:
    cold: Sample
    samples: list[Sample]
    retries: int
    settled: float = 0.0
    layer: str = ""

    @property
    def times(self) -> list[float]:
        return sorted(s.total_ms for s in self.samples if s.total_ms is not None)

    @property
    def lost(self) -> int:
        return sum(s.total_ms is None for s in self.samples)

    def p50(self) -> float:
        return statistics.median(self.times) if self.times else math.nan

    def p99(self) -> float:
        times = self.times
        return times[max(0, math.ceil(0.99 * len(times)) - 1)] if times else math.nan

    def post_p50(self) -> float:
        posts = [s.post_ms for s in self.samples if s.post_ms is not None]
        return statistics.median(posts) if posts else math.nan

    def size(self) -> int:
        sizes = [s.size for s in self.samples if s.size]
        return int(statistics.median(sizes)) if sizes else 0


def spread(ports: list[int], count: int) -> list[int]:
    return [ports[n % len(ports)] for n in range(count)]


@dataclass
class Side:
    """One system under test with its sockets open: `send(index, marker)` sends one message."""

    fleet: Fleet
    send: Callable[[int, str], Awaitable[float | None]]


async def open_toricy(
    ports: list[int], chat_id: int, keys: list[str], args, http: aiohttp.ClientSession
) -> Side:
    """A socket per session key (spread over the processes); the first member sends by POST."""
    csrf = secrets.token_hex(16)
    fleet = Fleet(kind_marker=CREATED)
    socket_ports = spread(ports, len(keys))
    await fleet.connect(
        [f"ws://127.0.0.1:{port}/ws/" for port in socket_ports],
        [
            {"Cookie": f"sessionid={key}", "Origin": f"http://127.0.0.1:{port}"}
            for key, port in zip(keys, socket_ports, strict=True)
        ],
        json.dumps({"type": "resume", "since": 10**12}),
        args.connect_concurrency,
        args.connect_rate,
    )

    async def send(index: int, marker: str) -> float:
        # The POSTs take turns over the processes.
        port = ports[index % len(ports)]
        origin = f"http://127.0.0.1:{port}"
        async with http.post(
            f"{origin}/chats/{chat_id}/send/",
            data={"client_id": marker, "text": f"Сообщение {index}"},
            headers={
                "Cookie": f"sessionid={keys[0]}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Origin": origin,
                "Referer": origin + "/",
            },
        ) as response:
            await response.read()
            answered = time.perf_counter()
            if response.status not in (200, 201):
                sys.exit(f"send failed: {response.status} {(await response.text())[:500]}")
        return answered

    return Side(fleet, send)


async def open_floor(ports: list[int], clients: int, args, payload: dict[str, int]) -> Side:
    """N sockets on the relay (spread over the processes); `payload["bytes"]`: a frame's size."""
    fleet = Fleet(kind_marker=None)
    socket_ports = spread(ports, clients)
    await fleet.connect(
        [f"ws://127.0.0.1:{port}/ws/" for port in socket_ports],
        [{"Origin": f"http://127.0.0.1:{port}"} for port in socket_ports],
        None,
        args.connect_concurrency,
        args.connect_rate,
    )

    async def send(index: int, marker: str) -> None:
        # Socket k is on process k % P: the senders take turns over the processes like the POSTs.
        frame = {"type": "bench.relay", "id": marker, "pad": ""}
        frame["pad"] = "x" * max(
            0, payload["bytes"] - len(json.dumps(frame, separators=(",", ":")))
        )
        await fleet.sockets[index % len(ports)].send(json.dumps(frame, separators=(",", ":")))

    return Side(fleet, send)


async def compare(toricy_ports, floor_ports, pids, chat_id, keys, args) -> tuple[Result, Result]:
    """Both systems up side by side; their messages alternate, so both see the same machine.

    The cold message of each first (Toricy's, then the floor's), then `--messages` each: one
    Toricy message, one floor message, and so on (with `--in-flight` k > 1, 5k at a time). A
    floor frame is padded to the size of the Toricy frame just measured (or `--floor-bytes`).
    """
    payload = {"bytes": max(args.floor_bytes, 0)}
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), timeout=timeout) as http:
        toricy = await open_toricy(toricy_ports, chat_id, keys, args, http)
        floor = await open_floor(floor_ports, len(keys), args, payload)
        try:
            settled = (await toricy.fleet.settle(pids), await floor.fleet.settle(pids))

            async def both(start: int, count: int, in_flight: int) -> tuple[list, list]:
                mine = await drive(toricy, start, count, in_flight, args.timeout)
                if args.floor_bytes < 0:
                    sizes = [sample.size for sample in mine if sample.size]
                    payload["bytes"] = sizes[-1] if sizes else payload["bytes"]
                return mine, await drive(floor, start, count, in_flight, args.timeout)

            (cold_t,), (cold_f,) = await both(0, 1, 1)
            chunk = 1 if args.in_flight == 1 else 5 * args.in_flight
            rest_t, rest_f = [], []
            for start in range(1, args.messages + 1, chunk):
                mine, theirs = await both(
                    start, min(chunk, args.messages + 1 - start), args.in_flight
                )
                rest_t += mine
                rest_f += theirs
        finally:
            await toricy.fleet.close()
            await floor.fleet.close()
    return (
        Result(cold_t, rest_t[args.warmup :], toricy.fleet.retries, settled[0]),
        Result(cold_f, rest_f[args.warmup :], floor.fleet.retries, settled[1]),
    )


async def big_run(ports, pids, chat_id, keys, args) -> tuple[list[Sample], float]:
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), timeout=timeout) as http:
        toricy = await open_toricy(ports, chat_id, keys, args, http)
        try:
            settled = await toricy.fleet.settle(pids)
            count = 1 + args.big_messages
            samples = await drive(toricy, 0, count, 1, args.big_timeout, stop_on_loss=True)
        finally:
            await toricy.fleet.close()
    return samples, settled


# --- Runs ---------------------------------------------------------------------------------------
def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}; load {load}"


def ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    return "timed out" if math.isinf(value) else f"{value:.1f}"


def with_unit(value: float) -> str:
    return ms(value) if math.isinf(value) else f"{ms(value)} ms"


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def one_n(db: Database, clients: int, args) -> tuple[Result, Result]:
    db.fresh()
    info = seed(db, clients, clients)
    try:
        toricy_ports, toricy_pids = start_daphnes(
            args.processes, "toricy.asgi:application", base_env(db.url)
        )
        floor_env = {**base_env(db.url), "DJANGO_SETTINGS_MODULE": "bench.floor_settings"}
        floor_ports, floor_pids = start_daphnes(
            args.processes, "bench.floor_relay:application", floor_env
        )
        toricy, floor = asyncio.run(
            compare(
                toricy_ports,
                floor_ports,
                toricy_pids + floor_pids,
                info["chat"],
                info["keys"],
                args,
            )
        )
    finally:
        stop(list(_children))
    toricy.layer = info["layer"]
    return toricy, floor


def big(db: Database, args) -> None:
    db.fresh()
    print(f"\nbig: {args.big} members in one chat, {args.big_sockets} sockets open")
    info = seed(db, args.big, args.big_sockets)
    print(f"  seeded in {info['seconds']:.1f} s")
    ports, pids = start_daphnes(args.processes, "toricy.asgi:application", base_env(db.url))
    try:
        samples, settled = asyncio.run(big_run(ports, pids, info["chat"], info["keys"], args))
    finally:
        stop(list(_children))
    print(f"  servers idle {settled:.1f} s after the connects")
    print(f"  {'message':<9}{'POST ms':>10}{'all sockets ms':>16}")
    for sample in samples:
        label = "cold" if sample.index == 0 else str(sample.index)
        if sample.total_ms is None:
            every = (
                f"  timed out after {args.big_timeout:g} s "
                f"({sample.got} of {args.big_sockets} sockets had it)"
            )
        else:
            every = ms(sample.total_ms)
        print(f"  {label:<9}{ms(sample.post_ms):>10}{every:>16}")
    if len(samples) < 1 + args.big_messages:
        print(f"  (sent no more after the time-out: {len(samples)} of {1 + args.big_messages})")
    warm = samples[1:] or samples
    posts = [s.post_ms if s.post_ms is not None else math.inf for s in warm]
    alls = [s.total_ms if s.total_ms is not None else math.inf for s in warm]
    post, every = statistics.median(posts), statistics.median(alls)
    which = "the warm messages" if samples[1:] else "the cold message only"
    print(
        f"  goal: POST < {GOAL_BIG_POST_MS:.0f} ms: "
        f"{'met' if post < GOAL_BIG_POST_MS else 'not met'} (median {with_unit(post)}); "
        f"every open socket < {GOAL_BIG_ALL_MS / 1000:.0f} s: "
        f"{'met' if every < GOAL_BIG_ALL_MS else 'not met'} (median {with_unit(every)}); "
        f"over {which}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="*", default=[2, 50, 200])
    parser.add_argument("--messages", type=int, default=100, help="after the cold one")
    parser.add_argument("--warmup", type=int, default=5, help="of --messages, left out")
    parser.add_argument("--in-flight", type=int, default=1)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="per message, seconds")
    parser.add_argument("--connect-concurrency", type=int, default=10)
    parser.add_argument("--connect-rate", type=float, default=50.0, help="connects a second")
    parser.add_argument(
        "--floor-bytes",
        type=int,
        default=-1,
        help="size of the floor's frame (default: the median size of Toricy's frame at that N)",
    )
    parser.add_argument("--big", type=int, default=0, help="members in the big chat (off: 0)")
    parser.add_argument("--big-sockets", type=int, default=200)
    parser.add_argument("--big-messages", type=int, default=5, help="after the cold one")
    parser.add_argument("--big-timeout", type=float, default=120.0, help="per message, seconds")
    args = parser.parse_args()
    if args.warmup >= args.messages:
        parser.error("--warmup must be smaller than --messages")
    redis = bool(os.environ.get("REDIS_URL"))
    database_url = os.environ.get("DATABASE_URL", "")
    if args.processes > 1 and not redis:
        sys.exit("several daphne processes need REDIS_URL (the in-memory layer is per process)")
    if redis != bool(database_url):
        sys.exit("the Redis mode needs both REDIS_URL and DATABASE_URL (PostgreSQL); or neither")

    if redis:
        mode = f"Redis: PostgreSQL + Redis pub/sub layer, {args.processes} daphne processes"
    else:
        mode = "embedded: SQLite + in-memory layer, 1 daphne process"
    print(f"mode     {mode}")
    print(f"machine  {machine()}")
    print(f"date     {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    if args.clients:
        print(
            f"runs     1 cold + {args.messages} messages ({args.warmup} warm-up left out), "
            f"{args.in_flight} in flight; fresh database and daphnes for every N, Toricy and floor alternating"
        )
    print(f"logs     {LOG}")

    db = Database(database_url or None)
    db.create_template()
    rows = []
    try:
        for clients in args.clients:
            toricy, floor = one_n(db, clients, args)
            rows.append((clients, toricy, floor))
        if rows:
            report(rows, args)
        if args.big:
            big(db, args)
    finally:
        stop(list(_children))
        left = db.connections_left()
        db.drop()
        if db.postgres:
            print(f"\nPostgreSQL connections to the bench databases left: {left}")
        shutil.rmtree(RUN_DIR, ignore_errors=True)


def report(rows, args) -> None:
    layers = {toricy.layer for _, toricy, _ in rows}
    print(f"layer    Toricy: {', '.join(sorted(layers))}; floor: bench/floor_settings.py")
    print()
    print(
        f"{'N':>5} {'floor p50':>10} {'p99':>8} {'Toricy p50':>11} {'p99':>8} "
        f"{'ratio p50':>10} {'p99':>6} {'Toricy cold':>12} {'floor cold':>11}"
    )
    for clients, toricy, floor in rows:
        print(
            f"{clients:>5} {ms(floor.p50()):>10} {ms(floor.p99()):>8} {ms(toricy.p50()):>11} "
            f"{ms(toricy.p99()):>8} {ratio(toricy.p50(), floor.p50()):>10.2f} "
            f"{ratio(toricy.p99(), floor.p99()):>6.2f} {ms(toricy.cold.total_ms):>12} "
            f"{ms(floor.cold.total_ms):>11}"
        )
    print("(ms; ratio = Toricy / floor; cold = the first message after the servers started)")
    print()
    for clients, toricy, floor in rows:
        print(
            f"N={clients}: {len(toricy.times)}+{len(floor.times)} samples (Toricy+floor); "
            f"Toricy POST p50 {ms(toricy.post_p50())} ms, cold POST {ms(toricy.cold.post_ms)} ms; "
            f"frame {toricy.size()} B, floor frame {floor.size()} B; "
            f"lost {toricy.lost + (toricy.cold.total_ms is None)}/"
            f"{floor.lost + (floor.cold.total_ms is None)}; "
            f"handshake retries {toricy.retries}/{floor.retries}; "
            f"servers idle {toricy.settled:.1f}/{floor.settled:.1f} s after the connects"
        )
    at = [row for row in rows if row[0] == 200]
    print()
    if not at:
        print("goal: p50 within 2x, p99 within 3x, cold < 1 s at N=200: not measured (no N=200)")
        return
    _, toricy, floor = at[0]
    checks = [
        ratio(toricy.p50(), floor.p50()) <= GOAL_P50,
        ratio(toricy.p99(), floor.p99()) <= GOAL_P99,
        toricy.cold.total_ms is not None and toricy.cold.total_ms < GOAL_COLD_MS,
        toricy.lost == 0,
    ]
    parts = ["p50", "p99", "cold", "nothing lost"]
    detail = ", ".join(
        f"{p} {'met' if ok else 'not met'}" for p, ok in zip(parts, checks, strict=True)
    )
    print(
        f"goal: p50 within 2x, p99 within 3x, cold < 1 s at N=200: "
        f"{'met' if all(checks) else 'not met'} ({detail})"
    )


if __name__ == "__main__":
    main()
