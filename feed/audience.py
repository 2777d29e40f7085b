"""Who sees a post or a status update: one set of choices and one rule for both.

A model with `author`, `audience` and `community` fields is read through `seen_by(viewer)`:
the whole family, the author's contacts (members the author saved), one community's members, or
only the author; never between members who blocked one another.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Block, Contact, User
from messaging.models import CommunityMember


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
