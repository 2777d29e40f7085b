"""Reads behind managing chats: members with roles, who may be added, communities, invites."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts import selectors as accounts_selectors
from accounts.models import Audience, User
from core.text import search_key
from messaging.models import Chat, Community, CommunityMember, Membership

ROLE_ORDER = {
    Membership.Role.OWNER: 0,
    Membership.Role.ADMIN: 1,
    Membership.Role.MEMBER: 2,
    Membership.Role.SUBSCRIBER: 3,
}


def members_with_roles(chat: Chat) -> list[Membership]:
    """The chat's current members, owner and admins first, then by name."""
    rows = list(Membership.objects.active().filter(chat=chat).select_related("user"))
    rows.sort(key=lambda row: (ROLE_ORDER.get(row.role, 9), row.user.name.casefold()))
    return rows


@dataclass
class Candidate:
    person: User
    allowed: bool
    reason: str
    in_chat: bool = False


def candidates(adder: User, *, chat: Chat | None = None, query: str = "") -> list[Candidate]:
    """Family members the adder could put into a (new) group, with why some cannot be added.

    One query: privacy, blocks and contacts come annotated by accounts.selectors.members().
    """
    people = accounts_selectors.members(adder).exclude(pk=adder.pk).order_by("display_name")
    if chat is not None:
        people = people.annotate(
            in_chat=Exists(Membership.objects.active().filter(chat=chat, user=OuterRef("pk")))
        )
    key = search_key(query).strip()
    result = []
    for person in people:
        if key and key not in search_key(f"{person.name} {person.username}"):
            continue
        if person.viewer_blocked or person.blocked_viewer:
            allowed, reason = False, _("Blocked")
        elif accounts_selectors.allows(person, adder, person.who_may_add_to_groups):
            allowed, reason = True, ""
        elif person.who_may_add_to_groups == Audience.NOBODY:
            allowed, reason = False, _("Does not allow being added to groups")
        else:
            allowed, reason = False, _("Only their contacts may add them to groups")
        result.append(
            Candidate(
                person=person,
                allowed=allowed,
                reason=reason,
                in_chat=bool(getattr(person, "in_chat", False)),
            )
        )
    return result


def chat_by_invite(code: str) -> Chat:
    """The group or channel an invite link names; 404 for a wrong or revoked code."""
    return get_object_or_404(
        Chat.objects.filter(kind__in=[Chat.Kind.GROUP, Chat.Kind.CHANNEL]), invite_code=code
    )


def listed_channel_for(user: User, chat_id: int) -> Chat:
    """A channel the whole family may subscribe to (or one the member is in); 404 otherwise."""
    return get_object_or_404(
        Chat.objects.filter(kind=Chat.Kind.CHANNEL).filter(
            Q(is_listed=True, community=None)
            | Q(pk__in=Membership.objects.active().filter(user=user).values("chat_id"))
        ),
        pk=chat_id,
    )


def subscriber_counts(chats) -> dict[int, int]:
    ids = [chat.pk for chat in chats]
    return dict(
        Membership.objects.active()
        .filter(chat_id__in=ids)
        .values("chat_id")
        .annotate(n=Count("pk"))
        .values_list("chat_id", "n")
    )


def communities(user: User) -> QuerySet[Community]:
    """Every community of the family (the family is closed), with the member's place in it."""
    mine = CommunityMember.objects.filter(community=OuterRef("pk"), user=user)
    return Community.objects.annotate(
        joined=Exists(mine),
        is_admin=Exists(mine.filter(role=CommunityMember.Role.ADMIN)),
        member_count=Count("members", distinct=True),
    ).order_by("title")


def community_for(user: User, community_id: int) -> Community:
    return get_object_or_404(communities(user), pk=community_id)


def community_chats(user: User, community: Community) -> list[Chat]:
    """The community's chats (announcements first), each with `joined` and `member_count`."""
    seats = Membership.objects.active().filter(chat=OuterRef("pk"))
    counted = seats.order_by().values("chat").annotate(n=Count("pk")).values("n")
    chats = list(
        community.chats.annotate(
            joined=Exists(seats.filter(user=user)),
            member_count=Coalesce(Subquery(counted), 0),
        ).order_by("pk")
    )
    channels = [chat for chat in chats if chat.kind == Chat.Kind.CHANNEL]
    first = channels[0] if channels else None
    for chat in chats:
        chat.is_announcements = chat is first
    return chats


def attachable_chats(user: User, community: Community) -> list[Chat]:
    """Groups and channels the member administers that are in no community yet."""
    return list(
        Chat.objects.filter(
            kind__in=[Chat.Kind.GROUP, Chat.Kind.CHANNEL],
            community=None,
            pk__in=Membership.objects.active()
            .filter(user=user, role__in=[Membership.Role.OWNER, Membership.Role.ADMIN])
            .values("chat_id"),
        ).order_by("title")
    )
