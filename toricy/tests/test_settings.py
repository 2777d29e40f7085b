"""The settings a family's server starts with: safe in production, simple when embedded."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests; a deployment never has it.
    unset = ("DEBUG", "PUBLIC_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", PUBLIC_URL="https://family.example"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_public_url_drives_hosts_origins_and_the_https_callbacks():
    code = (
        "from django.conf import settings as s;"
        "print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.ACCOUNT_DEFAULT_HTTP_PROTOCOL,"
        " s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)"
    )
    result = run_manage("shell", "-v", "0", "-c", code, PUBLIC_URL="https://family.example")
    assert result.stdout.strip() == (
        "['family.example'] ['https://family.example'] https "
        "('HTTP_X_FORWARDED_PROTO', 'https') True"
    )


def test_a_missing_secret_key_is_generated_once_and_kept_private(tmp_path):
    code = "from django.conf import settings as s; print(s.SECRET_KEY)"
    env = {"TORICY_VAR_DIR": str(tmp_path), "SECRET_KEY": ""}
    first = run_manage("shell", "-v", "0", "-c", code, **env).stdout.strip()
    again = run_manage("shell", "-v", "0", "-c", code, **env).stdout.strip()
    assert len(first) >= 50
    assert first == again
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.django_db
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="embedded mode only"
)
def test_the_embedded_database_runs_in_wal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_without_redis_the_embedded_mode_is_in_process():
    code = (
        "from django.conf import settings as s;"
        "print(s.CHANNEL_LAYERS['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.DATABASES['default']['ENGINE'])"
    )
    result = run_manage("shell", "-v", "0", "-c", code, REDIS_URL="", DATABASE_URL="")
    assert result.stdout.split() == [
        "core.layers.InMemoryChannelLayer",
        "True",
        "django.db.backends.sqlite3",
    ]


def test_with_redis_the_layer_cache_and_broker_use_it():
    code = (
        "from django.conf import settings as s;"
        "print(s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND'],"
        " s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run_manage("shell", "-v", "0", "-c", code, REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.stdout.split() == [
        "core.layers.RedisPubSubChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
        "False",
    ]
