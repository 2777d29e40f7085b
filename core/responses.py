"""How a refusal reaches the caller: the one renderer of `core.errors.Refused`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import Refused


def wants_json(request: HttpRequest) -> bool:
    """Scripts (fetch, HTMX) want JSON; a plain form submission wants a page."""
    return bool(
        getattr(request, "htmx", False)
        or "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.content_type == "application/json"
    )


def safe_back(request: HttpRequest, default: str = "") -> str:
    """Where the member came from (a `next` field, else the Referer), if it is on this site."""
    for target in (request.POST.get("next"), request.headers.get("Referer")):
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
    return default or reverse("home")


def refusal(request: HttpRequest, refused: Refused) -> HttpResponse:
    """JSON with the status for scripts; the reason as a toast on the previous page otherwise."""
    if wants_json(request):
        return JsonResponse({"error": refused.message}, status=refused.status)
    messages.error(request, refused.message)
    return redirect(safe_back(request))
