"""The registry of realtime event types: every event is declared once, as a TypedDict.

Each app describes its events in its own `events.py` as TypedDicts whose `type` key is a
`Literal` of the event's name(s) and registers them with `@register`. `core.realtime.publish`
checks every event it is given against the registry while `REALTIME_CHECK_EVENTS` is on (the
tests and DEBUG): an unknown type, a missing or an extra key, or a value of the wrong kind fails
the caller at once, so the shape a browser receives is the shape written here. The front end
registers handlers for these names only (a test compares the two).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin, get_type_hints

# Added by realtime itself, not by the builder: the member's event sequence.
TRANSPORT_KEYS = frozenset({"seq"})

_shapes: dict[str, type] = {}


class MisshapenEvent(TypeError):
    """An event that does not match its declaration (or has none)."""


def register(shape: type) -> type:
    """Declare a TypedDict as the shape of the event type(s) named by its `type` Literal."""
    hints = get_type_hints(shape)
    names = get_args(hints.get("type"))
    if get_origin(hints.get("type")) is not Literal or not names:
        raise MisshapenEvent(f"{shape.__name__}.type must be a Literal of event names")
    for name in names:
        if name in _shapes and _shapes[name] is not shape:
            raise MisshapenEvent(f"{name} is declared twice")
        _shapes[name] = shape
    return shape


def names() -> frozenset[str]:
    """Every registered event type."""
    return frozenset(_shapes)


def _fits(value: Any, hint: Any) -> bool:
    origin = get_origin(hint)
    if hint is Any:
        return True
    if origin is Literal:
        return value in get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arg) for arg in get_args(hint))
    if hint is type(None):
        return value is None
    if origin is not None:
        return isinstance(value, origin)
    if isinstance(hint, type) and typing.is_typeddict(hint):
        return isinstance(value, Mapping)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, hint)


def check(event: Mapping[str, Any]) -> None:
    """Raise MisshapenEvent unless `event` matches its registered declaration exactly."""
    name = event.get("type")
    shape = _shapes.get(name)  # type: ignore[arg-type]
    if shape is None:
        raise MisshapenEvent(f"unregistered event type {name!r}")
    hints = get_type_hints(shape)
    required = set(shape.__required_keys__) - TRANSPORT_KEYS  # type: ignore[attr-defined]
    allowed = set(hints) | TRANSPORT_KEYS
    keys = set(event)
    if missing := required - keys:
        raise MisshapenEvent(f"{name} lacks {sorted(missing)}")
    if extra := keys - allowed:
        raise MisshapenEvent(f"{name} has undeclared {sorted(extra)}")
    for key, value in event.items():
        if key in hints and not _fits(value, hints[key]):
            raise MisshapenEvent(f"{name}.{key} = {value!r} is not {hints[key]}")
