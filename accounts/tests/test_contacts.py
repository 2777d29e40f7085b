"""Contacts and the phone's address book: reading vCard and CSV, matching, and the pages."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts import address_book
from accounts.models import Contact, ContactImport, ImportedContact
from accounts.selectors import contacts as contact_selectors
from accounts.tests.factories import UserFactory
from core.errors import Invalid

pytestmark = pytest.mark.django_db
ANDROID_VCF = (Path(__file__).parent / "data" / "android.vcf").read_bytes()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Reading ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("8 (912) 345-67-89", "+79123456789"),
        ("+7 912 345 67 89", "+79123456789"),
        ("8-912-345-67-89", "+79123456789"),
        ("912 345 67 89", "+79123456789"),
        ("+44 7911 123456", "+447911123456"),
        ("+1 (212) 555-0123", "+12125550123"),
        ("+49 30 901820", "+4930901820"),
        ("12", None),
        ("not a number", None),
        ("+7 000", None),
    ],
)
def test_numbers_are_read_as_people_write_them(written, e164):
    assert address_book.normalise_phone(written) == e164


def test_an_android_vcard_with_quoted_printable_soft_breaks():
    source, entries = address_book.read_file("contacts.vcf", ANDROID_VCF)
    assert source == "vcard"
    assert [(e.name, e.phones, e.emails) for e in entries] == [
        ("Бабушка Валя", ["+79123456789"], []),
        ("Папа", ["+79120001122"], ["papa@family.test"]),
        ("John Smith", ["+447911123456"], []),
        ("Сосед", ["+79125554433"], []),
    ]


def test_a_google_contacts_csv():
    data = (
        "Name,Given Name,Family Name,Phone 1 - Type,Phone 1 - Value,"
        "E-mail 1 - Type,E-mail 1 - Value\n"
        "Бабушка Валя,Валя,,Mobile,8 912 345-67-89 ::: +7 495 123-45-67,,\n"
        "Работа,,,,,Work,office@example.com\n"
        "Пусто,,,,,,\n"
    ).encode()
    source, entries = address_book.read_file("contacts.csv", data)
    assert source == "csv"
    assert [(e.name, e.phones, e.emails) for e in entries] == [
        ("Бабушка Валя", ["+79123456789", "+74951234567"], []),
        ("Работа", [], ["office@example.com"]),
    ]


def test_an_outlook_csv_in_windows_1251_with_semicolons():
    data = "First Name;Last Name;Mobile Phone;E-mail Address\r\nВаля;Иванова;89123456789;\r\n"
    _, entries = address_book.read_file("outlook.csv", data.encode("cp1251"))
    assert [(e.name, e.phones) for e in entries] == [("Валя Иванова", ["+79123456789"])]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("junk.vcf", bytes(range(256)) * 10, "Это не файл vCard или CSV."),
        ("empty.csv", b"", "В файле нет контактов, которые можно прочитать."),
        ("huge.vcf", b"BEGIN:VCARD\r\n" + b"X" * (3 * 1024 * 1024), "Файл слишком большой"),
        ("cards.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody\r\nEND:VCARD\r\n", "нет контактов"),
        ("table.csv", b"a,b,c\n1,2,3\n", "нет столбца с телефоном или почтой"),
        ("broken.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+79123456789\r\n", "повреждён"),
    ],
)
def test_hostile_or_useless_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(address_book.ImportRefused, match=message):
        address_book.read_file(name, data)


def test_too_many_cards_are_refused():
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nTEL:+79123456789\r\nEND:VCARD\r\n"
    with pytest.raises(address_book.ImportRefused, match="5"):
        address_book.read_file("many.vcf", card * (address_book.MAX_ENTRIES + 1))


# --- Matching -----------------------------------------------------------------------------------
def test_entries_match_members_by_verified_phone_or_verified_email(
    member, django_assert_num_queries
):
    granny = UserFactory(phone="+79123456789", phone_verified=True)
    dad = UserFactory(email="papa@family.test")
    UserFactory(phone="+447911123456", phone_verified=False)  # not proved: no match
    _, entries = address_book.read_file("contacts.vcf", ANDROID_VCF)
    with django_assert_num_queries(2):
        found = contact_selectors.match(entries, owner=member)
    assert found == [granny, dad, None, None]


def test_i_am_never_my_own_match(member):
    member.phone, member.phone_verified = "+79123456789", True
    member.save()
    _, entries = address_book.read_file("contacts.vcf", ANDROID_VCF)
    assert contact_selectors.match(entries, owner=member)[0] is None


# --- Pages --------------------------------------------------------------------------------------
def upload(client, data=ANDROID_VCF, name="contacts.vcf"):
    return client.post("/contacts/import/", {"file": SimpleUploadedFile(name, data)})


def test_importing_a_vcard_suggests_members_and_invites_the_rest(member):
    granny = UserFactory(display_name="Валентина", phone="+79123456789", phone_verified=True)
    client = signed_in(member)
    assert upload(client).status_code == 302
    page = client.get("/contacts/").content.decode()
    assert "Бабушка Валя" in page and "Валентина" in page  # my name for her, and hers
    assert "John Smith" in page and "Пригласить" in page
    # One tap: she is a contact, under the name my phone has for her.
    client.post(f"/contacts/add/{granny.pk}/", {"name": "Бабушка Валя"})
    assert Contact.objects.get(owner=member, person=granny).name == "Бабушка Валя"


def test_a_refused_file_imports_nothing(member):
    page = upload(signed_in(member), data=b"\x00\x01\x02", name="x.vcf")
    assert page.status_code == 200
    assert "Это не файл vCard или CSV." in page.content.decode()
    assert not ContactImport.objects.exists()


def test_contacts_from_the_contact_picker(member):
    granny = UserFactory(phone="+79123456789", phone_verified=True)
    picked = [
        {"name": ["Бабушка"], "tel": ["8 912 345-67-89"], "email": []},
        {"name": ["Tom"], "tel": ["+44 7911 123456"], "email": ["tom@example.com"]},
    ]
    response = signed_in(member).post(
        "/contacts/import/picked/", json.dumps(picked), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"redirect": "/contacts/"}
    assert ImportedContact.objects.get(name="Бабушка").member == granny


@pytest.mark.parametrize(
    "body", ["{", '{"name": "x"}', '[{"name": "x"}]', "[1, 2]", '[{"tel": "1"}]']
)
def test_a_malformed_picker_payload_is_refused_and_imports_nothing(member, body):
    response = signed_in(member).post(
        "/contacts/import/picked/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert not ContactImport.objects.exists()


def test_an_import_is_private_and_deleted_whole(member, other_member):
    client = signed_in(member)
    upload(client)
    mine = ContactImport.objects.get(owner=member)
    stranger = signed_in(other_member)
    assert stranger.post(f"/contacts/imports/{mine.pk}/delete/").status_code == 404
    entry = mine.entries.first()
    assert stranger.get(f"/contacts/invite/{entry.pk}/").status_code == 404
    assert "John Smith" not in stranger.get("/contacts/").content.decode()
    client.post(f"/contacts/imports/{mine.pk}/delete/")
    assert not ImportedContact.objects.exists()


def test_rename_and_remove_a_contact_and_nobody_else_can(member, other_member):
    contact = Contact.objects.create(owner=member, person=other_member, name="Папа")
    client = signed_in(member)
    client.post(f"/contacts/{contact.pk}/", {"name": "Папочка"})
    contact.refresh_from_db()
    assert contact.name == "Папочка"
    assert (
        signed_in(other_member).post(f"/contacts/{contact.pk}/", {"remove": "1"}).status_code == 404
    )
    client.post(f"/contacts/{contact.pk}/", {"remove": "1"})
    assert not Contact.objects.exists()


def test_adding_from_a_profile_and_not_oneself(member, other_member, stranger):
    client = signed_in(member)
    client.post(f"/contacts/add/{other_member.pk}/", {"next": "member"})
    assert "В ваших контактах" in client.get(f"/members/{other_member.pk}/").content.decode()
    assert client.post(f"/contacts/add/{member.pk}/").status_code == 404
    assert client.post(f"/contacts/add/{stranger.pk}/").status_code == 404


def test_inviting_someone_from_the_phone_book(member):
    client = signed_in(member)
    upload(client)
    entry = ImportedContact.objects.get(name="John Smith")
    page = client.get(f"/contacts/invite/{entry.pk}/").content.decode()
    assert "Создать ссылку" in page
    client.post(f"/contacts/invite/{entry.pk}/")
    page = client.get(f"/contacts/invite/{entry.pk}/").content.decode()
    assert "sms:+447911123456?body=" in page


def test_the_contacts_page_costs_the_same_for_one_or_thirty_contacts(
    member, django_assert_max_num_queries
):
    client = signed_in(member)
    Contact.objects.create(owner=member, person=UserFactory())
    with django_assert_max_num_queries(20) as one:
        client.get("/contacts/")
    bound = len(one.captured_queries)  # read now: the next request empties the query log
    for person in UserFactory.create_batch(29):
        Contact.objects.create(owner=member, person=person, name=f"Родственник {person.pk}")
    upload(client)
    with django_assert_max_num_queries(bound):
        client.get("/contacts/")


def test_a_hidden_number_or_address_is_not_found_by_an_address_book(member):
    granny = UserFactory(phone="+79123456789", phone_verified=True, who_may_find_me="nobody")
    dad = UserFactory(email="papa@family.test", who_may_find_me="contacts")
    _, entries = address_book.read_file("contacts.vcf", ANDROID_VCF)
    assert contact_selectors.match(entries, owner=member)[:2] == [None, None]
    # Dad may be found by his contacts: once he saved me, my phone book finds him.
    Contact.objects.create(owner=dad, person=member)
    assert contact_selectors.match(entries, owner=member)[:2] == [None, dad]
    assert granny.who_may_find_me == "nobody"


def test_a_utf16_csv_from_excel():
    data = "Name\tMobile Phone\r\nВаля\t8 912 345-67-89\r\n".encode("utf-16")
    _, entries = address_book.read_file("contacts.csv", data)
    assert [(e.name, e.phones) for e in entries] == [("Валя", ["+79123456789"])]


def test_a_refused_import_is_an_invalid_the_middleware_answers(member, monkeypatch):
    assert issubclass(address_book.ImportRefused, Invalid)
    monkeypatch.setattr(address_book, "MAX_BYTES", 10)
    response = signed_in(member).post(
        "/contacts/import/picked/",
        json.dumps([{"tel": ["+79123456789"]}]),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json() == {"error": "Слишком много контактов за один раз."}
    assert not ContactImport.objects.exists()
