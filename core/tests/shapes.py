"""Event shapes that only the tests publish (core.events checks every published event)."""

from typing import Literal, NotRequired, TypedDict

from core import events


@events.register
class TestHappened(TypedDict):
    type: Literal["test.happened", "test.ephemeral"]
    n: NotRequired[int]
    text: NotRequired[str]
