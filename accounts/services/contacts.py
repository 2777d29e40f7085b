"""Contacts: saving members under my own names, and importing my phone's address book."""

from django.db import transaction

from accounts.address_book import Entry
from accounts.models import Contact, ContactImport, ImportedContact, User
from accounts.selectors.contacts import match


@transaction.atomic
def import_contacts(*, owner: User, source: str, entries: list[Entry], filename: str = ""):
    """All or nothing: the import and its entries, matched to members."""
    contact_import = ContactImport.objects.create(
        owner=owner, source=source, filename=filename[:200]
    )
    members = match(entries, owner=owner)
    ImportedContact.objects.bulk_create(
        ImportedContact(
            contact_import=contact_import,
            name=entry.name,
            phones=entry.phones,
            emails=entry.emails,
            member=member,
        )
        for entry, member in zip(entries, members, strict=True)
    )
    return contact_import


def delete_import(*, contact_import: ContactImport) -> None:
    contact_import.delete()


def add_contact(*, owner: User, person: User, name: str = "") -> Contact:
    if person.pk == owner.pk:
        raise ValueError("a member is not their own contact")
    contact, created = Contact.objects.get_or_create(
        owner=owner, person=person, defaults={"name": name.strip()[:64]}
    )
    return contact


def rename_contact(*, contact: Contact, name: str) -> Contact:
    contact.name = name.strip()[:64]
    contact.save(update_fields=["name"])
    return contact


def remove_contact(*, contact: Contact) -> None:
    contact.delete()
