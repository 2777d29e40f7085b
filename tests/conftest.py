import pytest
from django.test import Client

from tests.server import Server, collect_static


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


@pytest.fixture(scope="session")
def site(django_db_setup, django_db_blocker, static_root):
    """One real daphne server for the session; tests write through `transactional_db`."""
    server = Server(static_root=static_root).start()
    yield server
    server.stop()


@pytest.fixture
def session_cookie():
    """A signed-in session for a member, as the browser would hold it after signing in."""

    def make(user, url: str) -> dict:
        client = Client()
        client.force_login(user)
        return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}

    return make
