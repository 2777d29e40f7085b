"""What the chat-management views share: reading ids from a form, where to go back to.

A refused write is not answered here: views let `core.errors.Refused` through to
`core.middleware.RefusalMiddleware`.
"""

from __future__ import annotations

from functools import wraps

from django.http import JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import Refused


def answers_json(view):
    """A refusal of this endpoint is JSON with its status, whoever calls.

    For the endpoints only the chat's scripts call, two of which do not say so in a header (the
    upload XMLHttpRequest of chat.js, the `listened` ping of voice-player.js): the middleware would
    answer them as a plain form, with a redirect the request follows and takes for success.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Refused as refused:
            return JsonResponse({"error": refused.message}, status=refused.status)

    return wrapped


def ids(values) -> list[int]:
    result = []
    for value in values:
        try:
            result.append(int(value))
        except (TypeError, ValueError):
            continue
    return result


def safe_next(request, default: str) -> str:
    """Where a form asked to go back to, if that is on this site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
