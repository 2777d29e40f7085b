"""Bot API parameters: how each arrives (query string, form, multipart, JSON) and what it becomes.

Libraries send every value as text in forms and query strings: numbers as digits, booleans as
`true`/`True`/`1`, objects as JSON text. A JSON body gives them typed. `coerce` accepts all of
these, so a method sees Python values of the declared type or is never called.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from bots.errors import bad_request

INTEGER = re.compile(r"^-?\d{1,20}$")
TRUE = {"true", "1"}
FALSE = {"false", "0"}
ATTACH = "attach://"


@dataclass(frozen=True)
class Param:
    name: str
    # integer | string | boolean | array | object | chat_id (integer or @username) | file
    type: str = "string"
    required: bool = False
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None
    # Telegram's own wording where it has one ("message text is empty").
    empty: str = ""

    def missing(self):
        return bad_request(self.empty or f"{self.name} is empty")


def _integer(param: Param, value: Any) -> int:
    if isinstance(value, bool):
        raise bad_request(f"{param.name} must be an integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and INTEGER.match(value.strip()):
        number = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raise bad_request(f"{param.name} must be an integer")
    if param.minimum is not None and number < param.minimum:
        raise bad_request(f"{param.name} must be at least {param.minimum}")
    if param.maximum is not None and number > param.maximum:
        raise bad_request(f"{param.name} must be at most {param.maximum}")
    return number


def _boolean(param: Param, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        if value.strip().lower() in TRUE:
            return True
        if value.strip().lower() in FALSE:
            return False
    raise bad_request(f"{param.name} must be a boolean")


def _json(param: Param, value: Any, kind: type) -> Any:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {param.name} JSON object") from None
    if not isinstance(value, kind):
        raise bad_request(f"{param.name} must be a JSON {'array' if kind is list else 'object'}")
    return value


def _file(param: Param, value: Any, files: Mapping[str, UploadedFile]) -> UploadedFile | str:
    if isinstance(value, UploadedFile):
        return value
    if isinstance(value, str) and value.startswith(ATTACH):
        attached = files.get(value[len(ATTACH) :])
        if attached is None:
            raise bad_request(f"file {value} is not found in the request")
        return attached
    if isinstance(value, str) and value:
        return value  # a file_id of a file the bot has seen
    raise bad_request(f"{param.name} must be a file or a file_id")


def coerce(param: Param, value: Any, files: Mapping[str, UploadedFile]) -> Any:
    if param.type == "integer":
        return _integer(param, value)
    if param.type == "boolean":
        return _boolean(param, value)
    if param.type == "array":
        return _json(param, value, list)
    if param.type == "object":
        return _json(param, value, dict)
    if param.type == "file":
        return _file(param, value, files)
    if param.type == "chat_id":
        if isinstance(value, str) and value.startswith("@") and len(value) > 1:
            return value
        return _integer(param, value)
    if isinstance(value, (dict, list, UploadedFile)):
        raise bad_request(f"{param.name} must be a string")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse(params: tuple[Param, ...], raw: Mapping[str, Any], files: Mapping[str, Any]):
    """The declared parameters as Python values; unknown ones are ignored, as Telegram does."""
    values: dict[str, Any] = {}
    for param in params:
        value = raw.get(param.name)
        if value is None and param.name in files:
            value = files[param.name]
        if value is None or value == "":
            if param.required:
                raise param.missing()
            continue
        values[param.name] = coerce(param, value, files)
    return values


def collect(query: Mapping[str, Any], data: Any, files: Mapping[str, Any]) -> dict[str, Any]:
    """One mapping of every parameter: the query string, then the body's fields over it."""
    raw: dict[str, Any] = {key: query.get(key) for key in query}
    if hasattr(data, "getlist"):
        raw.update({key: data.get(key) for key in data if key not in files})
    elif isinstance(data, dict):
        raw.update(data)
    elif data:
        raise bad_request("the JSON body must be an object")
    return raw
