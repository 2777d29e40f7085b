"""Making chats: the family chat, saved messages, direct chats, groups and channels."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import selectors as accounts_selectors
from accounts.models import User
from core.errors import Refused
from messaging.models import Chat, Community, Membership
from messaging.services.members import add_members, admin_membership, seat
from messaging.services.publishing import chat_changed, system_message


def _pair_key(a: User, b: User) -> str:
    low, high = sorted((a.pk, b.pk))
    return f"{low}:{high}"


@transaction.atomic
def family_chat() -> Chat:
    """The chat everyone in the family is in; made on first use."""
    chat, _created = Chat.objects.get_or_create(
        kind=Chat.Kind.FAMILY, defaults={"title": str(gettext_lazy("Family"))}
    )
    return chat


@transaction.atomic
def join_family_chat(*, user: User) -> Membership:
    """Every member is in the family chat; joining again changes nothing."""
    membership, _seated = seat(chat=family_chat(), user=user)
    return membership


@transaction.atomic
def saved_chat(*, user: User) -> Chat:
    """The member's own notes ('Saved messages')."""
    chat, created = Chat.objects.get_or_create(
        pair_key=f"{user.pk}:{user.pk}", defaults={"kind": Chat.Kind.SAVED, "created_by": user}
    )
    if created:
        Membership.objects.create(chat=chat, user=user, role=Membership.Role.OWNER)
    return chat


@transaction.atomic
def direct_chat(*, user: User, other: User) -> Chat:
    """The one direct chat between two members, made when first opened."""
    if other.pk == user.pk:
        return saved_chat(user=user)
    if not other.is_active:
        raise Http404
    chat = Chat.objects.filter(pair_key=_pair_key(user, other)).first()
    if chat is not None:
        return chat
    if accounts_selectors.is_blocked_between(user, other):
        raise Refused(_("You cannot write to this member."))
    try:
        with transaction.atomic():
            chat = Chat.objects.create(
                kind=Chat.Kind.DIRECT, pair_key=_pair_key(user, other), created_by=user
            )
    except IntegrityError:
        return Chat.objects.get(pair_key=_pair_key(user, other))
    Membership.objects.bulk_create(
        [Membership(chat=chat, user=user), Membership(chat=chat, user=other)]
    )
    return chat


@transaction.atomic
def create_group(
    *,
    by: User,
    title: str,
    description: str = "",
    members: Iterable[User] = (),
    kind: str = Chat.Kind.GROUP,
    community: Community | None = None,
) -> Chat:
    """A new group (or channel) with its creator as owner and the members they may add."""
    title = (title or "").strip()
    if not title:
        raise Refused(_("Give the chat a name."))
    if kind not in (Chat.Kind.GROUP, Chat.Kind.CHANNEL):
        raise Refused(_("Unknown kind of chat."))
    chat = Chat.objects.create(
        kind=kind,
        title=title[:80],
        description=(description or "").strip()[:300],
        created_by=by,
        community=community,
        invite_code=secrets.token_urlsafe(12),
    )
    Membership.objects.create(chat=chat, user=by, role=Membership.Role.OWNER)
    added = add_members(by=by, chat=chat, people=members, announce=False)
    system_message(chat, by, _("%(name)s created the chat") % {"name": by.name})
    chat_changed(chat, [by.pk, *(person.pk for person in added)])
    return chat


@transaction.atomic
def update_chat(*, by: User, chat: Chat, title: str, description: str = "") -> Chat:
    """An admin renames the chat or changes its description."""
    admin_membership(by, chat)
    title = (title or "").strip()
    if not title:
        raise Refused(_("Give the chat a name."))
    chat.title = title[:80]
    chat.description = (description or "").strip()[:300]
    chat.save(update_fields=["title", "description"])
    chat_changed(chat)
    return chat
