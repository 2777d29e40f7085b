"""Contacts: members I saved under my own names, and imports of my phone's address book.

Reading an address book (vCard via vobject, CSV via the csv module, or what the browser's Contact
Picker returns), normalising it (numbers to E.164 with phonenumbers, addresses lower-cased) and
matching it to members by verified phone or verified email. An import is private to the member
who made it: selectors take the asking member, and deleting an import deletes all of it.
"""

import csv
import io
import re
from dataclasses import dataclass, field

import phonenumbers
import vobject
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.models import Audience, Block, Contact, ContactImport, ImportedContact, User

MAX_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_PER_ENTRY = 20


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, in words a member understands."""


@dataclass
class Entry:
    name: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


# --- Reading ------------------------------------------------------------------------------------
def normalise_phone(raw: str, region: str | None = None) -> str | None:
    """8 (912) 345-67-89, +7 912 345 67 89, 912 345 67 89 -> +79123456789; junk -> None."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 40:
        return None
    region = region or settings.PHONENUMBER_DEFAULT_REGION
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str | None:
    email = (raw or "").strip().lower()
    if not email or len(email) > 254:
        return None
    try:
        validate_email(email)
    except ValidationError:
        return None
    return email


def clean_entry(name: str, phones, emails) -> Entry | None:
    entry = Entry(name=" ".join((name or "").split())[:128])
    for raw in list(phones)[:MAX_PER_ENTRY]:
        if (phone := normalise_phone(str(raw))) and phone not in entry.phones:
            entry.phones.append(phone)
    for raw in list(emails)[:MAX_PER_ENTRY]:
        if (email := normalise_email(str(raw))) and email not in entry.emails:
            entry.emails.append(email)
    if not (entry.phones or entry.emails):
        return None
    if not entry.name:
        entry.name = (entry.phones + entry.emails)[0]
    return entry


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is too big: up to 2 MB, please."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" from Outlook and Excel
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportRefused(_("This is not a vCard or CSV file.")) from error
    if b"\x00" in data[:4096]:
        raise ImportRefused(_("This is not a vCard or CSV file."))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("This is not a vCard or CSV file."))


def unfold_quoted_printable(text: str) -> str:
    """Android writes vCard 2.1 with quoted-printable soft line breaks ("=" at the end of a line),
    which vobject does not follow: join those lines first."""
    lines: list[str] = []
    for line in text.splitlines():
        head = lines[-1].split(":", 1)[0].upper() if lines else ""
        if lines and lines[-1].endswith("=") and "QUOTED-PRINTABLE" in head:
            lines[-1] = lines[-1][:-1] + line
        else:
            lines.append(line)
    return "\r\n".join(lines) + "\r\n"


def read_vcard(text: str) -> list[Entry]:
    entries = []
    try:
        for card in vobject.readComponents(unfold_quoted_printable(text), ignoreUnreadable=True):
            if len(entries) >= MAX_ENTRIES:
                raise ImportRefused(_("Too many contacts in one file: up to 5,000."))
            contents = card.contents
            name = ""
            if "fn" in contents:
                name = str(contents["fn"][0].value)
            elif "n" in contents:
                n = contents["n"][0].value
                name = f"{getattr(n, 'given', '')} {getattr(n, 'family', '')}"
            phones = [str(t.value) for t in contents.get("tel", [])]
            emails = [str(e.value) for e in contents.get("email", [])]
            if entry := clean_entry(name, phones, emails):
                entries.append(entry)
    except ImportRefused:
        raise
    except Exception as error:  # vobject raises many kinds of errors on a broken card
        raise ImportRefused(_("The vCard file is damaged and cannot be read.")) from error
    return entries


NAME_HEADERS = re.compile(r"^(name|full ?name|display ?name|имя|фио|полное имя)$", re.I)
FIRST_HEADERS = re.compile(r"^(first ?name|given ?name|имя)$", re.I)
LAST_HEADERS = re.compile(r"^(last ?name|family ?name|surname|фамилия)$", re.I)
PHONE_HEADERS = re.compile(r"(phone|mobile|tel|телефон|мобильный)", re.I)
EMAIL_HEADERS = re.compile(r"(e-?mail|почта)", re.I)


def read_csv(text: str) -> list[Entry]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(rows)]
    except (StopIteration, csv.Error) as error:
        raise ImportRefused(_("The file has no contacts we can read.")) from error
    full = [i for i, h in enumerate(header) if NAME_HEADERS.match(h)]
    first = [i for i, h in enumerate(header) if FIRST_HEADERS.match(h) and i not in full]
    last = [i for i, h in enumerate(header) if LAST_HEADERS.match(h)]
    phones = [
        i for i, h in enumerate(header) if PHONE_HEADERS.search(h) and "type" not in h.lower()
    ]
    emails = [
        i for i, h in enumerate(header) if EMAIL_HEADERS.search(h) and "type" not in h.lower()
    ]
    if not (phones or emails):
        raise ImportRefused(_("The CSV file has no phone or email column."))
    entries = []
    try:
        for row in rows:
            if len(entries) >= MAX_ENTRIES:
                raise ImportRefused(_("Too many contacts in one file: up to 5,000."))

            def cells(indexes, row=row):
                values = []
                for i in indexes:
                    if i < len(row):
                        values += [v for v in row[i].split(":::") if v.strip()]
                return values

            name = " ".join(cells(full)) or " ".join(cells(first) + cells(last))
            if entry := clean_entry(name, cells(phones), cells(emails)):
                entries.append(entry)
    except csv.Error as error:
        raise ImportRefused(_("The CSV file is damaged and cannot be read.")) from error
    return entries


def read_file(name: str, data: bytes) -> tuple[str, list[Entry]]:
    """(source, entries) of an uploaded address book; ImportRefused when it cannot be used."""
    text = decode(data)
    looks_like_vcard = "BEGIN:VCARD" in text[:2048].upper()
    if looks_like_vcard:
        source, entries = ContactImport.Source.VCARD, read_vcard(text)
    elif name.lower().endswith((".vcf", ".vcard")):
        raise ImportRefused(_("The vCard file is damaged and cannot be read."))
    else:
        source, entries = ContactImport.Source.CSV, read_csv(text)
    if not entries:
        raise ImportRefused(_("The file has no contacts we can read."))
    return source, entries


def read_picked(payload) -> list[Entry]:
    """What navigator.contacts.select(["name", "tel", "email"]) returned, sent as JSON."""
    if not isinstance(payload, list) or len(payload) > MAX_ENTRIES:
        raise ImportRefused(_("The phone sent contacts we cannot read."))
    entries = []
    for item in payload:
        if not isinstance(item, dict):
            raise ImportRefused(_("The phone sent contacts we cannot read."))
        names, tels, mails = (item.get(key) or [] for key in ("name", "tel", "email"))
        if not all(isinstance(v, list) for v in (names, tels, mails)):
            raise ImportRefused(_("The phone sent contacts we cannot read."))
        if entry := clean_entry(str(names[0]) if names else "", tels, mails):
            entries.append(entry)
    if not entries:
        raise ImportRefused(_("None of the chosen contacts has a phone number or an email."))
    return entries


# --- Matching -----------------------------------------------------------------------------------
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


# --- Services -----------------------------------------------------------------------------------
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


# --- Selectors ----------------------------------------------------------------------------------
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
