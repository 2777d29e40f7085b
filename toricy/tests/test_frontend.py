"""The front end asks only for what exists: icons in the sprite, events the server declares."""

import importlib
import re
from pathlib import Path

from django.apps import apps

from core import events

ROOT = Path(__file__).resolve().parents[2]
SPRITE = ROOT / "static" / "vendor" / "lucide-1.62.0" / "sprite.svg"
TEMPLATES = ROOT / "templates"
SCRIPTS = ROOT / "static" / "js"

# {% icon "name" %}, an include's icon="name", a sprite reference "#i-name" (templates and JS),
# and the JS helper icon(...) from static/js/dom.js (every string literal among its arguments,
# so icon(done ? "check" : "check-check") names both).
TEMPLATE_ICON = re.compile(r"""\{%\s*icon\s+["']([\w-]+)["']|\bicon=["']([\w-]+)["']|#i-([\w-]+)""")
SCRIPT_ICON_CALL = re.compile(r"""\bicon\(([^()]*)\)""")
SCRIPT_SPRITE_REF = re.compile(r"""#i-([a-z][\w-]*)""")
# A string that is a value of the argument (first, or after ? : ||), not one it is compared with.
STRING = re.compile(r"""(?:^|[?:]|\|\|)\s*["']([\w-]+)["']""")
REALTIME_ON = re.compile(r"""\b(?:realtime\.)?on\(\s*["']([\w.*-]+)["']""")
# Names the browser makes up for itself (realtime.js emits them), never sent by the server.
CLIENT_SIDE = re.compile(r"^realtime\.|^\*$")


def sprite_icons() -> set[str]:
    return set(re.findall(r'<symbol id="i-([\w-]+)"', SPRITE.read_text(encoding="utf-8")))


def icons_asked_for() -> dict[str, set[str]]:
    """Every icon name a template or script asks for, with where it is asked."""
    asked: dict[str, set[str]] = {}

    def add(name: str, where: str) -> None:
        asked.setdefault(name, set()).add(where)

    for path in TEMPLATES.rglob("*.html"):
        for match in TEMPLATE_ICON.finditer(path.read_text(encoding="utf-8")):
            add(next(group for group in match.groups() if group), str(path.relative_to(ROOT)))
    for path in SCRIPTS.rglob("*.js"):
        source = path.read_text(encoding="utf-8")
        names = set(SCRIPT_SPRITE_REF.findall(source))
        for arguments in SCRIPT_ICON_CALL.findall(source):
            names.update(STRING.findall(arguments))
        for name in names:
            add(name, str(path.relative_to(ROOT)))
    # Icons named by data, not by a literal: the choices templates pass to {% icon value %}.
    from accounts.models import StatusIcon
    from calls import views as call_views
    from feed.templatetags.feed import AUDIENCE_ICONS
    from messaging.models import Reaction
    from toricy.views import STYLEGUIDE_ICONS

    for name in Reaction.Icon.values:
        add(name, "messaging.models.Reaction.Icon")
    for name in StatusIcon.values:
        if name:
            add(name, "accounts.models.StatusIcon")
    for name in AUDIENCE_ICONS.values():
        add(name, "feed.templatetags.feed.AUDIENCE_ICONS")
    for name in STYLEGUIDE_ICONS:
        add(name, "toricy.views.STYLEGUIDE_ICONS")
    source = Path(call_views.__file__).read_text(encoding="utf-8")
    for name in re.findall(r'icon, label = "([\w-]+)"', source):
        add(name, "calls.views (history rows)")
    return asked


def test_the_icon_scan_sees_icons_in_templates_scripts_and_data():
    asked = icons_asked_for()
    assert "templates/base.html" in asked["newspaper"]
    assert any(where.startswith("static/js/") for where in asked["check-check"])
    assert "messaging.models.Reaction.Icon" in asked["heart"]
    assert len(sprite_icons()) > 100


def test_every_icon_asked_for_is_in_the_sprite():
    have = sprite_icons()
    missing = {name: sorted(where) for name, where in icons_asked_for().items() if name not in have}
    assert missing == {}


def realtime_handlers() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SCRIPTS.rglob("*.js"):
        for name in REALTIME_ON.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def declared_events() -> frozenset[str]:
    # Each app declares its events in its events.py; import them all, whatever ready() does.
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.events")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.events":
                raise
    return events.names()


def test_the_handler_scan_sees_the_pages_handlers():
    handlers = realtime_handlers()
    assert any(where.startswith("static/js/chat") for where in handlers["message.created"])
    assert "realtime.ready" in handlers
    assert "presence.changed" in handlers


def test_every_realtime_handler_listens_for_a_declared_event():
    declared = declared_events()
    undeclared = {
        name: sorted(where)
        for name, where in realtime_handlers().items()
        if not CLIENT_SIDE.match(name) and name not in declared
    }
    assert undeclared == {}


def test_every_realtime_handler_is_registered_under_a_written_name():
    # on(kind, ...) in a loop would hide its names from the test above.
    unnamed = re.compile(r"""(?:(?<![\w.$])|realtime\.)on\(\s*(?!["'])""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in SCRIPTS.rglob("*.js")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if unnamed.search(line) and "function on(" not in line
    ]
    assert found == []


def test_no_script_sits_in_the_css_block():
    css_block = re.compile(r"\{%\s*block css\s*%\}(.*?)\{%\s*endblock", re.S)
    found = [
        str(path.relative_to(ROOT))
        for path in TEMPLATES.rglob("*.html")
        for block in css_block.findall(path.read_text(encoding="utf-8"))
        if "<script" in block
    ]
    assert found == []
