"""Contacts as the asking member may see them, and matching an address book to members.

An import is private to the member who made it: every lookup here takes that member.
"""

from allauth.account.models import EmailAddress
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts import selectors
from accounts.address_book import Entry
from accounts.models import Audience, Block, Contact, ContactImport, ImportedContact, User


def findable_by(importer: User) -> Q:
    """Members whose privacy lets `importer` find them by a number or address: with "nobody" (or
    "my contacts"), an address book of guessed numbers cannot tell who owns one."""
    return Q(who_may_find_me=Audience.EVERYONE) | Q(
        who_may_find_me=Audience.CONTACTS,
        pk__in=Contact.objects.filter(person=importer).values("owner"),
    )


def match(entries: list[Entry], *, owner: User) -> list[User | None]:
    """The member each entry belongs to (verified phone or verified email), in two queries."""
    phones = {p for e in entries for p in e.phones}
    emails = {m for e in entries for m in e.emails}
    blocked_me = Block.objects.filter(blocked=owner).values("blocker")
    by_phone = {
        str(u.phone): u
        for u in User.objects.filter(phone__in=phones, phone_verified=True, is_active=True)
        .filter(findable_by(owner))
        .exclude(pk__in=blocked_me)
    }
    visible_email_owners = (
        User.objects.filter(findable_by(owner)).exclude(pk__in=blocked_me).values("pk")
    )
    by_email = {
        a.email.lower(): a.user
        for a in EmailAddress.objects.filter(
            email__in=emails, verified=True, user__is_active=True, user__in=visible_email_owners
        ).select_related("user")
    }
    found = []
    for entry in entries:
        member = next((by_phone[p] for p in entry.phones if p in by_phone), None) or next(
            (by_email[m] for m in entry.emails if m in by_email), None
        )
        found.append(member if member and member.pk != owner.pk else None)
    return found


def saved(owner: User) -> QuerySet[User]:
    """The members I saved, with my name for them (`contact_name`, `contact_id`), one query."""
    mine = Contact.objects.filter(owner=owner, person=OuterRef("pk"))
    return (
        selectors.members(owner)
        .filter(pk__in=Contact.objects.filter(owner=owner).values("person"))
        .annotate(contact_name=Subquery(mine.values("name")[:1]))
        .annotate(contact_id=Subquery(mine.values("pk")[:1]))
        .order_by("contact_name", "display_name")
    )


def suggestions(owner: User) -> QuerySet[User]:
    """Members found in my imports whom I have not saved yet, with the name my phone has."""
    found = ImportedContact.objects.filter(
        contact_import__owner=owner, member=OuterRef("pk")
    ).order_by("-pk")
    return (
        selectors.members(owner)
        .filter(pk__in=ImportedContact.objects.filter(contact_import__owner=owner).values("member"))
        .exclude(pk__in=Contact.objects.filter(owner=owner).values("person"))
        .exclude(pk=owner.pk)
        .annotate(phone_book_name=Subquery(found.values("name")[:1]))
        .order_by("display_name")
    )


def not_in_toricy(owner: User) -> QuerySet[ImportedContact]:
    return ImportedContact.objects.filter(contact_import__owner=owner, member=None).order_by("name")


def everyone_else(owner: User) -> QuerySet[User]:
    """The rest of the family: neither saved nor suggested."""
    return (
        selectors.members(owner)
        .exclude(pk=owner.pk)
        .exclude(pk__in=Contact.objects.filter(owner=owner).values("person"))
        .exclude(
            pk__in=ImportedContact.objects.filter(
                contact_import__owner=owner, member__isnull=False
            ).values("member")
        )
        .order_by("display_name", "username")
    )


def imports_of(owner: User) -> QuerySet[ContactImport]:
    return ContactImport.objects.filter(owner=owner).annotate(
        entry_count=Count("entries"),
        matched_count=Count("entries", filter=Q(entries__member__isnull=False)),
    )


def import_of(owner: User, import_id: int) -> ContactImport:
    return get_object_or_404(ContactImport, pk=import_id, owner=owner)


def contact_of(owner: User, contact_id: int) -> Contact:
    return get_object_or_404(Contact, pk=contact_id, owner=owner)


def entry_of(owner: User, entry_id: int) -> ImportedContact:
    return get_object_or_404(ImportedContact, pk=entry_id, contact_import__owner=owner)


def is_contact(owner: User, person: User) -> bool:
    return Contact.objects.filter(owner=owner, person=person).exists()
