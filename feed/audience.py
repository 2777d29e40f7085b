"""Who sees a post or a status update: one set of choices and one rule for both.

A model with `author`, `audience` and `community` fields is read through `seen_by(viewer)`:
the whole family, the author's contacts (members the author saved), one community's members, or
only the author; never between members who blocked one another. `members_who_see(row)` is the
same rule read the other way (whom a row's live events go to), and `communities_of(author)` the
communities a post or an update may be addressed to.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Block, Contact, User
from messaging.models import Community, CommunityMember


class Audience(models.TextChoices):
    FAMILY = "family", _("The whole family")
    CONTACTS = "contacts", _("My contacts")
    COMMUNITY = "community", _("A community")
    ME = "me", _("Only me")


def seen_by(viewer: User) -> Q:
    """Rows of others whose audience includes `viewer`, plus the viewer's own."""
    saved_me = Contact.objects.filter(person=viewer).values("owner")
    my_communities = CommunityMember.objects.filter(user=viewer).values("community")
    blocked = Block.objects.filter(blocker=viewer).values("blocked")
    blockers = Block.objects.filter(blocked=viewer).values("blocker")
    others = (
        (
            Q(audience=Audience.FAMILY)
            | Q(audience=Audience.CONTACTS, author__in=saved_me)
            | Q(audience=Audience.COMMUNITY, community__in=my_communities)
        )
        & ~Q(author__in=blocked)
        & ~Q(author__in=blockers)
    )
    return Q(author=viewer) | others


def members_who_see(row) -> QuerySet[User]:
    """The active members `seen_by` lets see `row`, its author among them."""
    people = User.objects.filter(is_active=True)
    if row.audience == Audience.ME:
        return people.filter(pk=row.author_id)
    if row.audience == Audience.CONTACTS:
        saved_by_author = Contact.objects.filter(owner_id=row.author_id).values("person")
        people = people.filter(Q(pk=row.author_id) | Q(pk__in=saved_by_author))
    elif row.audience == Audience.COMMUNITY:
        members = CommunityMember.objects.filter(community_id=row.community_id).values("user")
        people = people.filter(Q(pk=row.author_id) | Q(pk__in=members))
    return people.exclude(
        pk__in=Block.objects.filter(blocker_id=row.author_id).values("blocked")
    ).exclude(pk__in=Block.objects.filter(blocked_id=row.author_id).values("blocker"))


def communities_of(member: User) -> QuerySet[Community]:
    """The communities `member` belongs to: the only ones they may address."""
    return Community.objects.filter(members__user=member).order_by("title")
