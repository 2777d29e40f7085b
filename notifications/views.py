"""The notifications list, opening one (which marks it read), and "mark all read"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications import selectors, services


@login_required
def index(request):
    try:
        before = int(request.GET["before"])
    except (KeyError, ValueError):
        before = None
    items, next_before = selectors.page_for(request.user, before=before)
    context = {"items": items, "next_before": next_before}
    if request.htmx and before is not None:
        return render(request, "notifications/_items.html", context)
    return render(request, "notifications/index.html", context)


@login_required
def open_notification(request, notification_id: int):
    """Follow a notification to what it is about; it counts as read from now."""
    notification = selectors.notification_for(request.user, notification_id)
    if notification.read_at is None:
        services.mark_read(request.user, [notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:index")


@login_required
@require_POST
def read_all(request):
    services.mark_read(request.user)
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("notifications:index")


@login_required
def count(request):
    """The bell asks again after a reconnect: the live count is not replayed."""
    return JsonResponse({"unread": services.unread_count(request.user)})
