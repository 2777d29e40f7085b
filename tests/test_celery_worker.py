"""The real task path: a Celery worker on Redis runs a task against the database."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Connection
from accounts.tasks import sweep_stale_connections
from tests.server import ROOT, Server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.redis,
    pytest.mark.skipif(
        not settings.REDIS_URL or settings.CELERY_TASK_ALWAYS_EAGER,
        reason="needs REDIS_URL (CI runs it with Redis)",
    ),
]


@pytest.fixture
def worker(static_root):
    env = Server(static_root=static_root).env()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "toricy",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_a_queued_task_runs_in_the_worker_and_changes_the_database(member, worker):
    last_ping = timezone.now() - timedelta(hours=1)
    Connection.objects.create(user=member, channel_name="dead-tab", seen_at=last_ping)
    sweep_stale_connections.delay()
    deadline = time.monotonic() + 60
    while Connection.objects.filter(user=member).exists():
        assert worker.poll() is None, worker.stdout.read().decode()
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)
    member.refresh_from_db()
    assert member.last_seen_at == last_ping
