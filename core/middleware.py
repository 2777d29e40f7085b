"""Middleware of the ground floor."""

from __future__ import annotations

from core.errors import Refused
from core.responses import refusal


class RefusalMiddleware:
    """Answer every `Refused` a view lets through, in one way (see `core.responses.refusal`)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refused):
            return refusal(request, exception)
        return None
