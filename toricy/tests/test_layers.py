"""The apps stand in layers (docs: ARCHITECTURE.md): an app imports only from the apps below it.

    bots                      (the highest app)
    feed, calls               (side by side: neither imports the other)
    messaging
    notifications
    accounts
    core                      (imports no app)

toricy, the roof (settings, urls, asgi and routing, the Celery app, management commands), wires
them together and may import anything; no app imports it. Tests may import anything: files
under tests/, test_*.py and conftest.py are not read, and neither are migrations.

Every import counts, also one inside a function or under TYPE_CHECKING: a late import hides a
cycle, it does not remove it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Higher number, higher layer; apps of one number may not import each other.
LAYERS = {
    "core": 0,
    "accounts": 1,
    "notifications": 2,
    "messaging": 3,
    "feed": 4,
    "calls": 4,
    "bots": 5,
    "toricy": 6,
}
APPS = [app for app in LAYERS if app != "toricy"]


def app_files(app: str) -> list[Path]:
    """The app's own code: not its tests, not its migrations."""
    files = []
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.name.startswith("test_") or path.name == "conftest.py":
            continue
        files.append(path)
    return files


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the file; relative ones are resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    # The package a relative import starts from: the file's folder (also for an __init__.py).
    package = list(path.relative_to(root).parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def violations(app: str) -> list[str]:
    mine = LAYERS[app]
    found = []
    for path in app_files(app):
        for line, module in imported_modules(path):
            other = module.split(".")[0]
            if other == app or other not in LAYERS:
                continue
            if LAYERS[other] >= mine:
                where = path.relative_to(ROOT)
                found.append(f"{where}:{line} imports {module} ({other} is not below {app})")
    return found


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_from_the_apps_below_it(app):
    assert app_files(app), f"{app}/ has no code to check: is the list of layers out of date?"
    found = violations(app)
    assert not found, "\n".join(["", *found])


def test_every_app_has_a_layer():
    """A new app gets its place in LAYERS (and in ARCHITECTURE.md) before it is imported."""
    apps = {
        path.parent.name for path in ROOT.glob("*/apps.py") if not path.parent.name.startswith(".")
    }
    assert apps <= set(LAYERS), f"apps without a layer: {sorted(apps - set(LAYERS))}"


def test_the_reader_resolves_relative_imports_and_counts_late_ones(tmp_path):
    module = tmp_path / "feed" / "services" / "posts.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from django.db import transaction\n"
        "from .. import models\n"
        "from ..selectors import visible_to\n"
        "from . import likes\n"
        "import messaging.services\n"
        "def share():\n"
        "    from calls import services\n"
    )
    assert imported_modules(module, root=tmp_path) == [
        (1, "django.db"),
        (2, "feed"),
        (3, "feed.selectors"),
        (4, "feed.services"),
        (5, "messaging.services"),
        (7, "calls"),
    ]
