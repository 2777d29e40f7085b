import re
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Audience, Block, Connection, Contact, Invite, User
from core import text as core_text


def fresh_since():
    return timezone.now() - timedelta(seconds=settings.PRESENCE_TIMEOUT_SECONDS)


def members(viewer: User | None = None) -> QuerySet[User]:
    """Everyone in the family who can sign in, with `is_online` annotated (one query).

    With a `viewer`, also what that viewer may know: `viewer_is_contact` (the member saved the
    viewer as a contact, which "my contacts" privacy choices mean), `blocked_viewer` and
    `viewer_blocked` (either side blocked the other).
    """
    fresh = Connection.objects.filter(user=OuterRef("pk"), seen_at__gte=fresh_since())
    people = User.objects.filter(is_active=True).annotate(is_online=Exists(fresh))
    if viewer is not None:
        people = people.annotate(
            viewer_is_contact=Exists(Contact.objects.filter(owner=OuterRef("pk"), person=viewer)),
            blocked_viewer=Exists(Block.objects.filter(blocker=OuterRef("pk"), blocked=viewer)),
            viewer_blocked=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk"))),
        )
    return people


def member_for(user: User, member_id: int) -> User:
    """A member another member may look at; 404 for anyone else."""
    return get_object_or_404(members(user), pk=member_id)


def allows(person: User, viewer: User, audience: str) -> bool:
    """Whether `viewer` is in the audience `person` chose (everyone / my contacts / nobody).

    `person` should come from `members(viewer)` (annotated); otherwise it costs a query.
    """
    if viewer.pk == person.pk:
        return True
    blocked = getattr(person, "blocked_viewer", None)
    if blocked is None:
        blocked = Block.objects.filter(blocker=person, blocked=viewer).exists()
    if blocked or audience == Audience.NOBODY:
        return False
    if audience == Audience.EVERYONE:
        return True
    is_contact = getattr(person, "viewer_is_contact", None)
    if is_contact is None:
        is_contact = Contact.objects.filter(owner=person, person=viewer).exists()
    return is_contact


def is_blocked_between(a: User, b: User) -> bool:
    """Either blocked the other: no messages, calls or posts between them."""
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def blocked_by(user: User) -> QuerySet[User]:
    return User.objects.filter(blocked_by__blocker=user).order_by("display_name")


def is_online(user_id: int) -> bool:
    return Connection.objects.filter(user_id=user_id, seen_at__gte=fresh_since()).exists()


def presence_audience_ids(user: User) -> list[int]:
    """Who is told when this member comes online or leaves: whom their privacy lets see it,
    among those with a tab open now (presence is not stored; a tab opened later reads it)."""
    choice = user.last_seen_visible_to
    if choice == Audience.NOBODY:
        return []
    people = (
        User.objects.filter(is_active=True)
        .exclude(pk=user.pk)
        .filter(Exists(Connection.objects.filter(user=OuterRef("pk"))))
    )
    if choice == Audience.CONTACTS:
        people = people.filter(pk__in=Contact.objects.filter(owner=user).values("person"))
    people = people.exclude(pk__in=Block.objects.filter(blocker=user).values("blocked"))
    return list(people.values_list("pk", flat=True))


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


def mention_links(texts: Iterable[str]) -> Callable[[str], str | None]:
    """Link the @mentions of many texts (a page of them) to members' pages, in one query.

    Returns what `toricy.text.render(mention_url=...)` takes: a username to its page, or None
    for a name that is no active member's.
    """
    names = core_text.usernames_in(texts)
    known: dict[str, int] = {}
    if names:
        pattern = r"^(" + "|".join(map(re.escape, sorted(names))) + r")$"
        known = {
            username.lower(): pk
            for pk, username in User.objects.filter(
                username__iregex=pattern, is_active=True
            ).values_list("pk", "username")
        }

    def mention_url(username: str) -> str | None:
        pk = known.get(username.lower())
        return reverse("accounts:member", args=[pk]) if pk else None

    return mention_url
