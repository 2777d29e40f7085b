"""Communities: a named home for groups and channels, with its own members and admins.

Every community has an announcements channel, made with it (the first channel of the community);
joining the community subscribes to it, and shows the community's other chats to join.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Refused
from messaging import selectors, services
from messaging.models import Chat, Community, CommunityMember, Membership


def announcements(community: Community) -> Chat | None:
    return community.chats.filter(kind=Chat.Kind.CHANNEL).order_by("pk").first()


def _require_admin(user: User, community: Community) -> CommunityMember:
    row = CommunityMember.objects.filter(community=community, user=user).first()
    if row is None or row.role != CommunityMember.Role.ADMIN:
        raise Refused(_("Only the community's admins can do this."))
    return row


@transaction.atomic
def create_community(*, by: User, title: str, description: str = "") -> Community:
    """A new community with its creator as admin and an announcements channel."""
    title = " ".join((title or "").split())
    if not title:
        raise Refused(_("Give the community a name."))
    community = Community.objects.create(
        title=title[:80], description=(description or "").strip()[:300], created_by=by
    )
    CommunityMember.objects.create(community=community, user=by, role=CommunityMember.Role.ADMIN)
    services.create_group(
        by=by,
        title=_("%(title)s: announcements") % {"title": community.title},
        kind=Chat.Kind.CHANNEL,
        community=community,
    )
    return community


@transaction.atomic
def join_community(*, user: User, community: Community) -> CommunityMember:
    """Become a member: subscribed to the announcements, the community's chats open to join."""
    row, _created = CommunityMember.objects.get_or_create(community=community, user=user)
    channel = announcements(community)
    if channel is not None:
        services.join_chat(user=user, chat=channel)
    return row


@transaction.atomic
def leave_community(*, user: User, community: Community) -> None:
    """Leave the community and every chat of it (an only admin hands the role on first)."""
    row = CommunityMember.objects.filter(community=community, user=user).first()
    if row is None:
        raise Http404
    if row.role == CommunityMember.Role.ADMIN:
        others = CommunityMember.objects.filter(community=community).exclude(user=user)
        if not others.filter(role=CommunityMember.Role.ADMIN).exists():
            successor = others.order_by("joined_at").first()
            if successor is not None:
                successor.role = CommunityMember.Role.ADMIN
                successor.save(update_fields=["role"])
    row.delete()
    seats = Membership.objects.active().filter(user=user, chat__community=community)
    for chat in Chat.objects.filter(pk__in=seats.values("chat_id")):
        services.leave_chat(user=user, chat=chat)


@transaction.atomic
def create_community_chat(
    *, by: User, community: Community, title: str, kind: str, description: str = ""
) -> Chat:
    """A community admin opens a new group or channel inside it."""
    _require_admin(by, community)
    return services.create_group(
        by=by, title=title, description=description, kind=kind, community=community
    )


@transaction.atomic
def attach_chat(*, by: User, community: Community, chat: Chat) -> Chat:
    """A community admin brings in a group or channel they administer."""
    _require_admin(by, community)
    membership = selectors.membership_for(by, chat.pk)
    if not chat.has_roles or not membership.is_admin:
        raise Refused(_("Only a group or channel you administer can be added."))
    if chat.community_id is not None and chat.community_id != community.pk:
        raise Refused(_("This chat already belongs to another community."))
    chat.community = community
    chat.save(update_fields=["community"])
    services.chat_changed(chat)
    return chat


@transaction.atomic
def join_community_chat(*, user: User, community: Community, chat: Chat) -> Membership:
    """A community member joins one of its groups or channels."""
    if chat.community_id != community.pk:
        raise Http404
    if not CommunityMember.objects.filter(community=community, user=user).exists():
        raise Refused(_("Join the community first."))
    return services.join_chat(user=user, chat=chat)
