"""Fixtures for people and the test-wide settings every test shares."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Helper modules that tests import: their asserts explain themselves as a test's do.
pytest.register_assert_rewrite(
    "core.tests.helpers",
    "messaging.tests.helpers",
    "tests.browser.calls",
    "tests.browser.helpers",
    "tests.sockets",
)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.tests.factories import UserFactory  # noqa: E402
from core.tests import shapes  # noqa: E402, F401 (declares the events only tests publish)
from tests.isolation import overrides  # noqa: E402

PASSWORD = "correct horse battery staple"
TEST_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="toricy-media-"))


def pytest_configure(config):
    # In this process events go out right after commit, in the caller's thread; the daphne
    # processes the tests start run the server's deferred fan-out (core.realtime).
    settings.REALTIME_BACKGROUND_FANOUT = False
    # Unit tests render templates without running collectstatic first.
    settings.STORAGES = {
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **settings.STORAGES["default"]["OPTIONS"],
                "location": str(TEST_MEDIA_ROOT),
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = TEST_MEDIA_ROOT
    _apply_test_settings()
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        # Once, before any worker starts: a worker rewriting a .mo file while another reads it
        # would leave that one without its translations.
        call_command("compile_translations", verbosity=0)
        _forget_loaded_translations()


def _apply_test_settings():
    """The fast hasher, and under xdist the worker's own Redis database (tests/isolation.py)."""
    from django.contrib.auth import hashers

    for name, value in overrides(settings).items():
        setattr(settings, name, value)
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


def _forget_loaded_translations():
    """A catalogue loaded at start-up, before the .mo files were compiled, would stay empty."""
    from asgiref.local import Local
    from django.utils.translation import trans_real

    # What Django's own setting_changed handler does when LOCALE_PATHS change.
    trans_real._default = None
    trans_real._active = Local()
    trans_real._translations = {}


def pytest_unconfigure(config):
    shutil.rmtree(TEST_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", display_name="Мама", is_staff=True, is_superuser=True)


@pytest.fixture
def member(db):
    return UserFactory(username="grandma", display_name="Бабушка Валя")


@pytest.fixture
def other_member(db):
    return UserFactory(username="dad", display_name="Папа")


@pytest.fixture
def stranger(db):
    """Someone with an account who is no longer in the family (deactivated)."""
    return UserFactory(username="stranger", display_name="Чужой", is_active=False)


@pytest.fixture(autouse=True)
def _close_connections_of_the_async_test_thread():
    """sync_to_async in an async test runs ORM calls on asgiref's one worker thread, whose
    connection outlives the test; close it so PostgreSQL can drop the test database at the end."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each async test has its own event loop; a Redis layer's locks belong to one loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def is_browser_test(item) -> bool:
    return "tests/browser/" in item.nodeid


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main
    thread until the session ends, which async tests and async_to_sync cannot share.

    Under pytest-xdist every worker collects this same order and the scheduler (`--dist load`)
    hands each worker its tests in it, so each worker too runs its browser tests after the rest;
    pytest_runtest_setup below makes sure of it."""
    items.sort(key=is_browser_test)


_a_browser_test_ran = False


def pytest_runtest_setup(item):
    global _a_browser_test_ran
    if is_browser_test(item):
        _a_browser_test_ran = True
    elif _a_browser_test_ran:
        raise RuntimeError(
            f"{item.nodeid} runs after a browser test in this process, next to Playwright's "
            "event loop: browser tests must come last (see pytest_collection_modifyitems)"
        )


class SmtpInbox:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        inbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import email
                from email import policy

                message = email.message_from_bytes(envelope.content, policy=policy.default)
                inbox.messages.append((envelope.rcpt_tos, message))
                return "250 OK"

        from tests.server import free_port

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self):
        import logging

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def bodies_to(self, address: str) -> list[str]:
        return [
            message.get_body(preferencelist=("plain",)).get_content()
            for recipients, message in self.messages
            if address in recipients
        ]


@pytest.fixture
def smtp_inbox(settings):
    """Mail goes out over real SMTP to a local server the test reads."""
    inbox = SmtpInbox().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    yield inbox
    inbox.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
