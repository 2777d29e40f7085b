"""What the chat-management views share: how a refusal reaches the member."""

from __future__ import annotations

import segno
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def refuse(request, refused, *, back: str = ""):
    """A refused write: JSON for scripts, a short page for a plain form, with the reason."""
    status = getattr(refused, "status", 403)
    if request.htmx or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": refused.message}, status=status)
    return render(
        request,
        "messaging/refused.html",
        {"reason": refused.message, "back": back},
        status=status,
    )


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


def qr_data_uri(url: str) -> str:
    # Drawn like the family invites' codes (accounts), so both look the same.
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#172020")
