"""Sticker reads that already know who is asking.

A member sees a pack when it is built in, when they made it, when it is in their picker, or when
a sticker of it is in a message they may read (`Message.objects.visible_to`: that is how a pack
travels through the family). Everything else is 404, the files included.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from core.text import search_key
from messaging.models import (
    MemberStickerPack,
    Message,
    RecentSticker,
    Sticker,
    StickerPack,
)


def packs_for(user: User) -> QuerySet[StickerPack]:
    if not user.is_authenticated or not user.is_active:
        return StickerPack.objects.none()
    seen = (
        Message.objects.visible_to(user)
        .filter(
            sticker__isnull=False,
            deleted_at=None,
        )
        .values("sticker__pack_id")
    )
    return StickerPack.objects.filter(
        Q(is_default=True) | Q(created_by=user) | Q(members__user=user) | Q(pk__in=seen)
    ).distinct()


def pack_for(user: User, pack_id: int) -> StickerPack:
    return get_object_or_404(packs_for(user), pk=pack_id)


def sticker_for(user: User, sticker_id: int) -> Sticker:
    return get_object_or_404(
        Sticker.objects.select_related("pack"), pk=sticker_id, pack__in=packs_for(user)
    )


def may_read_file(user: User, name: str) -> bool:
    """Media check for `stickers/...`: the file (or its poster) of a sticker the member may see."""
    return Sticker.objects.filter(Q(file=name) | Q(poster=name), pack__in=packs_for(user)).exists()


def picker_packs(user: User) -> list[StickerPack]:
    """The packs in my picker: the built-in ones first, then mine in my order, with stickers."""
    mine = MemberStickerPack.objects.filter(user=user).values("pack_id")
    packs = (
        StickerPack.objects.filter(Q(is_default=True) | Q(pk__in=mine))
        .prefetch_related(Prefetch("stickers", queryset=Sticker.objects.order_by("position")))
        .order_by("-is_default", "pk")
    )
    order = dict(MemberStickerPack.objects.filter(user=user).values_list("pack_id", "position"))
    return sorted(packs, key=lambda pack: (not pack.is_default, order.get(pack.pk, 0), pack.pk))


def recent_stickers(user: User, limit: int = 24) -> list[Sticker]:
    """What I sent last, newest first (only stickers I may still see)."""
    rows = (
        RecentSticker.objects.filter(user=user, sticker__pack__in=packs_for(user))
        .select_related("sticker")
        .order_by("-used_at")[:limit]
    )
    return [row.sticker for row in rows]


def search_stickers(user: User, query: str, limit: int = 60) -> list[Sticker]:
    """Stickers of my picker whose words start with what I typed (any language)."""
    words = search_key(query).split()
    if not words:
        return []
    mine = MemberStickerPack.objects.filter(user=user).values("pack_id")
    found = Sticker.objects.filter(Q(pack__is_default=True) | Q(pack__in=mine))
    for word in words:
        found = found.filter(Q(keywords__startswith=word) | Q(keywords__contains=f" {word}"))
    return list(found.order_by("pack_id", "position")[:limit])
