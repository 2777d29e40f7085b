from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

STYLEGUIDE_ICONS = [
    "newspaper",
    "message-circle",
    "phone",
    "video",
    "mic",
    "users",
    "user-round",
    "settings",
    "bell",
    "search",
    "plus",
    "send",
    "paperclip",
    "image",
    "camera",
    "sticker",
    "heart",
    "message-square",
    "bookmark",
    "folder",
    "share-2",
    "pencil",
    "trash-2",
    "pin",
    "archive",
    "lock",
    "moon",
    "sun",
    "palette",
    "qr-code",
    "link",
    "bot",
    "megaphone",
    "calendar",
    "cake",
]


@staff_member_required
def styleguide(request):
    """Every component of the design system in one page, for the owner and developers."""
    return render(request, "toricy/styleguide.html", {"icon_names": STYLEGUIDE_ICONS})


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    return render(request, "toricy/manifest.webmanifest", content_type="application/manifest+json")


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    response = render(request, "toricy/sw.js", content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request):
    return render(request, "toricy/offline.html")
