from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Connection, Invite, User


def fresh_since():
    return timezone.now() - timedelta(seconds=settings.PRESENCE_TIMEOUT_SECONDS)


def members() -> QuerySet[User]:
    """Everyone in the family who can sign in, with `is_online` annotated (one query)."""
    fresh = Connection.objects.filter(user=OuterRef("pk"), seen_at__gte=fresh_since())
    return User.objects.filter(is_active=True).annotate(is_online=Exists(fresh))


def member_for(user: User, member_id: int) -> User:
    """A member another member may look at; 404 for anyone else."""
    return get_object_or_404(members(), pk=member_id)


def is_online(user_id: int) -> bool:
    return Connection.objects.filter(user_id=user_id, seen_at__gte=fresh_since()).exists()


def presence_audience_ids(user: User) -> list[int]:
    """Who is told when this member comes online or leaves: the family (privacy narrows it)."""
    return list(
        User.objects.filter(is_active=True).exclude(pk=user.pk).values_list("pk", flat=True)
    )


def usable_invites() -> QuerySet[Invite]:
    return Invite.objects.filter(
        revoked_at=None, expires_at__gt=timezone.now(), use_count__lt=F("max_uses")
    )


def usable_invite(code: str | None) -> Invite | None:
    if not code:
        return None
    return usable_invites().select_related("created_by").filter(code=code).first()


def invites_of(user: User) -> QuerySet[Invite]:
    return Invite.objects.filter(created_by=user)


def invite_of(user: User, invite_id: int) -> Invite:
    return get_object_or_404(invites_of(user), pk=invite_id)
