"""Send messages through the real HTTP write path and time their arrival on N open websockets.

    python bench/realtime.py [--clients 2 50 200] [--messages 200]            # embedded mode
    REDIS_URL=redis://127.0.0.1:6379/5 DATABASE_URL=postgres://... \\
        python bench/realtime.py --processes 2                               # Redis, 2 daphnes

For each N it starts daphne (one process in the embedded mode; with REDIS_URL, `--processes`
processes on the same database and Redis), seats N members in one group chat, opens one websocket
per member (spread over the processes), and sends messages as one member over HTTP POST. It
prints the median and p99 time from the start of the POST to the frame's arrival at the *last*
client, and the sustained rate when `--in-flight` sends run at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


STATIC_ROOT = Path(tempfile.mkdtemp(prefix="toricy-bench-static-"))
# The servers' own output, to read when a run fails.
LOG = STATIC_ROOT.parent / "toricy-bench-daphne.log"


def django_env(database_url: str, public_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(STATIC_ROOT),
        PUBLIC_URL=public_url,
        DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare(database_url: str, public_url: str, clients: int) -> tuple[int, list[str]]:
    """Migrate, seat `clients` members in one group, return (chat id, session keys)."""
    script = f"""
import django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from accounts.models import User
from messaging import services
from messaging.models import Chat
people = []
for n in range({clients}):
    user, _ = User.objects.get_or_create(username=f"rt_bench_{{n}}", defaults={{"display_name": f"Участник {{n}}"}})
    people.append(user)
chat = services.create_group(by=people[0], title="bench {secrets.token_hex(4)}", members=people[1:])
keys = []
for user in people:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
import json
print("RESULT" + json.dumps({{"chat": chat.pk, "keys": keys}}))
"""
    env = django_env(database_url, public_url)
    env["DJANGO_SETTINGS_MODULE"] = "toricy.settings"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.exit(out.stderr)
    line = next(line for line in out.stdout.splitlines() if line.startswith("RESULT"))
    data = json.loads(line[len("RESULT") :])
    return data["chat"], data["keys"]


def start_daphnes(count: int, database_url: str) -> tuple[list[subprocess.Popen], list[int]]:
    ports = [free_port() for _ in range(count)]
    processes = []
    for port in ports:
        env = django_env(database_url, f"http://127.0.0.1:{ports[0]}")
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "toricy.asgi:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=LOG.open("ab"),
                stderr=subprocess.STDOUT,
            )
        )
    for port in ports:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"daphne on {port} did not start")
                time.sleep(0.2)
    return processes, ports


async def run(
    clients: int, messages: int, in_flight: int, ports: list[int], chat_id: int, keys: list[str]
) -> dict[str, float]:
    origin = f"http://127.0.0.1:{ports[0]}"
    sent_at: dict[str, float] = {}
    arrivals: dict[str, int] = {}
    last_arrival: dict[str, float] = {}
    done = asyncio.Event()

    async def listen(key: str, port: int, ready: asyncio.Event) -> None:
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/ws/",
            additional_headers={"Cookie": f"sessionid={key}", "Origin": origin},
            max_size=2**22,
        ) as ws:
            await ws.send(json.dumps({"type": "resume", "since": 10**12}))
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") == "ready":
                    ready.set()
                elif frame.get("type") == "message.created" and frame.get("chat_id") == chat_id:
                    cid = frame["client_id"]
                    arrivals[cid] = arrivals.get(cid, 0) + 1
                    if arrivals[cid] == clients:
                        last_arrival[cid] = time.perf_counter()
                        if len(last_arrival) == messages:
                            done.set()
                if done.is_set():
                    return

    readies = [asyncio.Event() for _ in keys]
    listeners = [
        asyncio.create_task(listen(key, ports[n % len(ports)], readies[n]))
        for n, key in enumerate(keys)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 120)

    csrf = secrets.token_hex(16)
    cookies = {"sessionid": keys[0], "csrftoken": csrf}
    headers = {"X-CSRFToken": csrf, "Origin": origin, "Referer": origin + "/"}
    semaphore = asyncio.Semaphore(in_flight)
    async with aiohttp.ClientSession(cookies=cookies, headers=headers) as http:

        async def send(n: int) -> None:
            async with semaphore:
                cid = f"bench-{secrets.token_hex(8)}-{n}"
                sent_at[cid] = time.perf_counter()
                port = ports[n % len(ports)]
                async with http.post(
                    f"http://127.0.0.1:{port}/chats/{chat_id}/send/",
                    data={"client_id": cid, "text": f"Сообщение {n}"},
                ) as response:
                    if response.status not in (200, 201):
                        sys.exit(f"send failed: {response.status} {await response.text()}")

        started = time.perf_counter()
        await asyncio.gather(*(send(n) for n in range(messages)))
        await asyncio.wait_for(done.wait(), 300)
        elapsed = time.perf_counter() - started
    for task in listeners:
        task.cancel()
    latencies = sorted((last_arrival[c] - sent_at[c]) * 1000 for c in last_arrival)
    return {
        "median": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "rate": messages / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[2, 50, 200])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--in-flight", type=int, default=4)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    redis = bool(os.environ.get("REDIS_URL"))
    if args.processes > 1 and not redis:
        sys.exit("several daphne processes need REDIS_URL (the in-memory layer is per process)")
    database_url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp(prefix='toricy-bench-')}/bench.sqlite3"
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=django_env(database_url, "http://127.0.0.1"),
        check=True,
    )
    print(f"daphne writes to {LOG}")
    mode = f"Redis, {args.processes} daphne" if redis else "embedded, 1 daphne"
    print(f"{mode}; {args.messages} messages, {args.in_flight} sends in flight")
    print(f"{'clients':>8}{'median ms':>11}{'p99 ms':>9}{'msg/s':>8}")
    for clients in args.clients:
        processes, ports = start_daphnes(args.processes, database_url)
        try:
            chat_id, keys = prepare(database_url, f"http://127.0.0.1:{ports[0]}", clients)
            result = asyncio.run(run(clients, args.messages, args.in_flight, ports, chat_id, keys))
        finally:
            for process in processes:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
        print(f"{clients:>8}{result['median']:>11.1f}{result['p99']:>9.1f}{result['rate']:>8.1f}")


if __name__ == "__main__":
    main()
