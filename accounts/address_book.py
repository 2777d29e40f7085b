"""Reading a phone's address book: vCard (vobject), CSV (csv), or the browser's Contact Picker.

Numbers are normalised to E.164 with phonenumbers (8 912 ..., +7 912 ..., foreign numbers with
+), addresses lower-cased and checked; what cannot be read is refused with a reason a member
understands (ImportRefused), and nothing is half-read.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

import phonenumbers
import vobject
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.models import ContactImport
from core.errors import Invalid

MAX_BYTES = 2 * 1024 * 1024


MAX_ENTRIES = 5000


MAX_PER_ENTRY = 20


class ImportRefused(Invalid):
    """The file cannot be imported; the message says why, in words a member understands (400)."""


@dataclass
class Entry:
    name: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


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


def read_picked(body: bytes) -> list[Entry]:
    """What navigator.contacts.select(["name", "tel", "email"]) returned, sent as JSON."""
    if len(body) > MAX_BYTES:
        raise ImportRefused(_("Too many contacts at once."), status=413)
    try:
        payload = json.loads(body or b"null")
    except ValueError as error:
        raise ImportRefused(_("The phone sent contacts we cannot read.")) from error
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
