"""Photos and files in chat messages: stored with the message or not at all, read by members."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import UserFactory
from core.tests.helpers import photo_bytes, upload
from messaging import services
from messaging.models import Attachment, Message
from messaging.tests.helpers import stored_files

pytestmark = pytest.mark.django_db


def send(client, chat, client_id, files, text=""):
    return client.post(
        reverse("messaging:send", args=[chat.pk]),
        {"client_id": client_id, "text": text, "files": files},
        # What chat.js's upload says (static/js/http.js): a script asks, refusals come as JSON.
        headers={"X-Requested-With": "XMLHttpRequest"},
    )


def test_a_photo_is_sent_resized_without_its_location_and_with_a_preview(
    client, member, other_member
):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    response = send(client, chat, "photo-message-1", [upload(photo_bytes(size=(4000, 3000)))])
    assert response.status_code == 201
    attachment = Attachment.objects.get(message__chat=chat)
    assert attachment.kind == "image" and attachment.preview
    with default_storage.open(attachment.file) as stored, Image.open(stored) as picture:
        assert max(picture.size) <= 2560
        assert not picture.getexif().get_ifd(0x8825)
    assert max(attachment.width, attachment.height) <= 720
    assert reverse("media", args=[attachment.preview]) in response.content.decode()
    # The other member can open it; a stranger cannot.
    client.force_login(other_member)
    assert client.get(reverse("media", args=[attachment.file])).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("media", args=[attachment.file])).status_code == 404
    assert client.get(reverse("media", args=[attachment.preview])).status_code == 404


def test_a_document_is_kept_under_its_name_and_served_only_as_a_download(
    client, member, other_member
):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    page = b"<html><script>alert(1)</script></html>"
    response = send(
        client,
        chat,
        "doc-message-1",
        [upload(page, name="../../evil.html", content_type="text/html")],
    )
    assert response.status_code == 201
    attachment = Attachment.objects.get(message__chat=chat)
    assert attachment.kind == "file" and attachment.name == "evil.html"
    assert attachment.file.endswith(".bin")
    client.force_login(other_member)
    served = client.get(reverse("media", args=[attachment.file]))
    assert served["Content-Type"] == "application/octet-stream"
    assert "sandbox" in served["Content-Security-Policy"]


def test_a_fake_photo_is_refused_and_nothing_is_stored(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    before = stored_files()
    response = send(client, chat, "fake-photo-01", [upload(b"not a picture at all")])
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Message.objects.filter(chat=chat).exists()
    assert stored_files() == before


def test_an_oversized_file_is_refused_and_nothing_is_stored(client, member, other_member, settings):
    settings.MAX_CHAT_FILE_BYTES = 1024
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    before = stored_files()
    response = send(
        client,
        chat,
        "big-file-0001",
        [upload(b"x" * 2048, name="a.zip", content_type="application/zip")],
    )
    assert response.status_code == 400
    assert not Message.objects.exists() and stored_files() == before


def test_too_many_files_in_one_message_are_refused(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    files = [upload(b"x", name=f"{n}.txt", content_type="text/plain") for n in range(11)]
    assert send(client, chat, "many-files-01", files).status_code == 400
    assert not Message.objects.exists()


def test_a_retried_upload_keeps_one_message_and_one_set_of_files(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    before = stored_files()
    assert send(client, chat, "retry-photo-1", [upload(photo_bytes())]).status_code == 201
    after_first = stored_files()
    assert len(after_first) == len(before) + 2  # the photo and its preview
    assert send(client, chat, "retry-photo-1", [upload(photo_bytes())]).status_code == 200
    assert Message.objects.filter(chat=chat).count() == 1
    assert stored_files() == after_first


def test_a_stranger_cannot_upload_into_a_chat(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(UserFactory())
    before = stored_files()
    assert send(client, chat, "strange-photo", [upload(photo_bytes())]).status_code == 404
    assert stored_files() == before


def test_deleting_for_everyone_removes_the_files(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    send(client, chat, "gone-photo-01", [upload(photo_bytes())])
    attachment = Attachment.objects.get()
    services.delete_message(user=member, message=attachment.message, for_everyone=True)
    assert not default_storage.exists(attachment.file)
    assert not default_storage.exists(attachment.preview)
