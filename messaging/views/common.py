"""What the chat-management views share: reading ids from a form, where to go back to.

A refused write is not answered here: views let `core.errors.Refused` through to
`core.middleware.RefusalMiddleware`.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


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
