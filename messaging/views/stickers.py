"""Stickers over HTTP: the picker, sending one, a pack's sheet, adding packs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import Invalid
from messaging import selectors
from messaging.models import Message, StickerPack
from messaging.selectors import stickers as sticker_selectors
from messaging.services import stickers


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def picker(request):
    """The sticker panel of the composer: recent first, then a tab per pack; or search results."""
    stickers.ensure_default_pack()
    query = request.GET.get("q", "").strip()
    if "q" in request.GET:
        found = sticker_selectors.search_stickers(request.user, query) if query else None
        return render(
            request, "messaging/partials/_sticker_results.html", {"found": found, "query": query}
        )
    context = {
        "recent": sticker_selectors.recent_stickers(request.user),
        "packs": sticker_selectors.picker_packs(request.user),
        "may_add_packs": stickers.may_add_packs(request.user),
    }
    return render(request, "messaging/partials/_sticker_picker.html", context)


@login_required
@require_POST
def send(request, chat_id: int):
    """Send a sticker (once per client id) and answer with its bubble."""
    chat = selectors.chat_for(request.user, chat_id)
    sticker_id = _int(request.POST.get("sticker"))
    if sticker_id is None:
        raise Invalid(_("Choose a sticker."))
    sticker = sticker_selectors.sticker_for(request.user, sticker_id)
    message, created = stickers.send_sticker(
        sender=request.user, chat=chat, client_id=request.POST.get("client_id", ""), sticker=sticker
    )
    message = selectors.with_everything(Message.objects.filter(pk=message.pk)).get()
    response = render(
        request, "messaging/partials/_message.html", {"message": message, "chat": chat}
    )
    response.status_code = 201 if created else 200
    response["X-Message-Id"] = str(message.pk)
    response["X-Chat-Seq"] = str(message.seq)
    return response


def _pack_context(request, pack: StickerPack) -> dict:
    return {
        "pack": pack,
        "pack_stickers": list(pack.stickers.all()),
        "in_picker": pack.is_default or pack.members.filter(user=request.user).exists(),
    }


@login_required
@require_GET
def pack(request, pack_id: int):
    """A pack: its stickers and an Add button (a sheet in a chat, a page when opened alone)."""
    found = sticker_selectors.pack_for(request.user, pack_id)
    template = (
        "messaging/partials/_sticker_pack.html" if request.htmx else "messaging/sticker_pack.html"
    )
    return render(request, template, _pack_context(request, found))


@login_required
@require_POST
def add_pack(request, pack_id: int):
    found = sticker_selectors.pack_for(request.user, pack_id)
    if request.POST.get("remove") == "1":
        stickers.remove_pack(user=request.user, pack=found)
    else:
        stickers.add_pack(user=request.user, pack=found)
    if request.htmx:
        return render(
            request, "messaging/partials/_sticker_pack.html", _pack_context(request, found)
        )
    return redirect("messaging:sticker_pack", found.pk)


@login_required
def new_pack(request):
    """Upload a pack: Lottie JSON, TGS, animated WebP, GIF, APNG or WebM files."""
    allowed = stickers.may_add_packs(request.user)
    title = request.POST.get("title", "")
    status = 200
    if request.method == "POST" and allowed:
        try:
            created = stickers.create_pack(
                by=request.user, title=title, uploads=request.FILES.getlist("files")
            )
        except stickers.StickerError as refused:
            # Shown above the form, which keeps the pack's name.
            messages.error(request, refused.message)
            status = 400
        else:
            return redirect("messaging:sticker_pack", created.pk)
    elif request.method == "POST":
        status = 403
    context = {
        "title": title,
        "allowed": allowed,
        "limits": {
            "kb": stickers.MAX_FILE_BYTES // 1024,
            "side": stickers.MAX_SIDE,
            "frames": stickers.MAX_FRAMES,
            "seconds": stickers.MAX_SECONDS,
        },
    }
    return render(request, "messaging/new_sticker_pack.html", context, status=status)
