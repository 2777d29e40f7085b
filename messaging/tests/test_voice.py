"""Voice messages: real recordings (made by ffmpeg here) measured, drawn and re-encoded on the
server; anything else refused with nothing stored; who has played one."""

import json
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.tests.realtime_helpers import stored_events
from messaging import services
from messaging.models import Attachment, Message, VoiceListen
from messaging.services import voice
from messaging.tests.factories import group, say
from messaging.tests.helpers import stored_files

pytestmark = pytest.mark.django_db

FORMATS = {
    "webm": ["-c:a", "libopus"],
    "ogg": ["-c:a", "libopus"],
    "m4a": ["-c:a", "aac"],
}


def make_recording(folder, name, source="sine=frequency=440:duration=3", codec=("-c:a", "libopus")):
    path = folder / name
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source, *codec]
        + [str(path)],
        check=True,
    )
    return path.read_bytes()


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voice")
    made = {
        kind: make_recording(folder, f"beep.{kind}", codec=codec) for kind, codec in FORMATS.items()
    }
    # Silence for the first half, then a loud tone: the waveform must show it.
    made["half"] = make_recording(
        folder, "half.webm", source="aevalsrc='if(lt(t,2),0,0.9*sin(2*PI*440*t))':d=4"
    )
    made["long"] = make_recording(folder, "long.webm", source="sine=frequency=300:duration=8")
    return made


def recording(data: bytes, name="voice.webm", content_type="audio/webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def send_voice(client, chat, client_id, data, **kwargs):
    return client.post(
        reverse("messaging:send", args=[chat.pk]),
        {"client_id": client_id, "voice": recording(data, **kwargs)},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )


def codec_of(name: str) -> str:
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "json"]
        + [default_storage.path(name)],
        capture_output=True,
        check=True,
    )
    return json.loads(probe.stdout)["streams"][0]["codec_name"]


@pytest.mark.parametrize("kind", ["webm", "ogg", "m4a"])
def test_a_recording_is_measured_drawn_and_kept_as_aac(
    client, member, other_member, recordings, kind
):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    response = send_voice(client, chat, f"voice-{kind}-0001", recordings[kind], name=f"v.{kind}")
    assert response.status_code == 201
    attachment = Attachment.objects.get(message__chat=chat)
    assert attachment.kind == "voice"
    assert attachment.duration == pytest.approx(3.0, abs=0.1)
    assert len(attachment.waveform) == 48
    # A steady tone: every bar is tall.
    assert min(attachment.waveform) >= 80 and max(attachment.waveform) == 100
    assert attachment.file.endswith(".m4a") and codec_of(attachment.file) == "aac"
    html = response.content.decode()
    assert "data-voice" in html and html.count("<rect") == 2 * 48 and "0:03" in html
    # The other member hears it; someone outside the chat gets 404.
    client.force_login(other_member)
    assert client.get(reverse("media", args=[attachment.file])).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("media", args=[attachment.file])).status_code == 404


def test_the_waveform_shows_where_the_recording_is_loud(client, member, other_member, recordings):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    assert send_voice(client, chat, "voice-half-0001", recordings["half"]).status_code == 201
    attachment = Attachment.objects.get()
    assert attachment.duration == pytest.approx(4.0, abs=0.1)
    quiet, loud = attachment.waveform[:22], attachment.waveform[26:]
    assert max(quiet) <= 5 and min(loud) >= 80


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"this is a text file, not a recording " * 20, "не голосовая запись"),
        # The first bytes of a WebM, then rubbish: ffmpeg cannot read it.
        (
            bytes.fromhex("1a45dfa3") + b"\x9f\x42\x86\x81\x01" + b"\x00\xff" * 300,
            "не голосовая запись",
        ),
        (b"", "Запись пустая."),
    ],
    ids=["text", "broken-webm", "empty"],
)
def test_a_file_that_is_no_recording_is_refused_and_nothing_is_stored(
    client, member, other_member, data, error
):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    before = stored_files()
    response = send_voice(
        client,
        chat,
        "voice-fake-0001",
        data,
    )
    assert response.status_code == 400
    assert error in response.json()["error"]
    assert not Message.objects.filter(chat=chat).exists()
    assert stored_files() == before


def test_a_silent_instant_is_refused_as_empty(client, member, other_member, tmp_path):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    blip = make_recording(tmp_path, "blip.webm", source="anullsrc=d=0.1")
    before = stored_files()
    response = send_voice(client, chat, "voice-blip-0001", blip)
    assert response.status_code == 400 and response.json()["error"] == "Запись пустая."
    assert not Message.objects.exists() and stored_files() == before


def test_an_oversized_recording_is_refused_and_nothing_is_stored(
    client, member, other_member, recordings, settings
):
    settings.VOICE_MAX_BYTES = 1024 * 1024
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    before = stored_files()
    padded = recordings["webm"] + b"\x00" * (1024 * 1024)
    response = send_voice(client, chat, "voice-big-00001", padded)
    assert response.status_code == 400
    assert response.json()["error"] == "Запись слишком большая: не больше 1 МБ."
    assert not Message.objects.exists() and stored_files() == before


def test_a_too_long_recording_is_refused_and_nothing_is_stored(
    client, member, other_member, recordings, settings
):
    settings.VOICE_MAX_SECONDS = 5
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    before = stored_files()
    response = send_voice(client, chat, "voice-long-0001", recordings["long"])
    assert response.status_code == 400
    assert response.json()["error"] == "Запись слишком длинная: не больше 5 секунд."
    assert not Message.objects.exists() and stored_files() == before
    # Within the limit it goes through.
    assert send_voice(client, chat, "voice-short-001", recordings["webm"]).status_code == 201


def test_a_retried_recording_is_one_message_with_one_file(client, member, other_member, recordings):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    before = stored_files()
    assert send_voice(client, chat, "voice-retry-001", recordings["webm"]).status_code == 201
    after_first = stored_files()
    assert len(after_first) == len(before) + 1
    again = send_voice(client, chat, "voice-retry-001", recordings["webm"])
    assert again.status_code == 200 and "data-voice" in again.content.decode()
    assert Message.objects.filter(chat=chat).count() == 1
    assert stored_files() == after_first


def test_a_stranger_cannot_send_a_recording_into_a_chat(client, member, other_member, recordings):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(UserFactory())
    before = stored_files()
    assert send_voice(client, chat, "voice-strange-1", recordings["webm"]).status_code == 404
    assert stored_files() == before


def listened(client, message):
    return client.post(
        reverse("messaging:voice_listened", args=[message.pk]),
        headers={"X-Requested-With": "XMLHttpRequest"},
    )


def test_playing_a_voice_message_is_kept_once_and_told_to_its_sender(
    client, member, other_member, recordings, django_capture_on_commit_callbacks
):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    send_voice(client, chat, "voice-heard-001", recordings["webm"])
    message = Message.objects.get(chat=chat)
    # The sender playing it back changes nothing.
    assert listened(client, message).status_code == 204
    assert not VoiceListen.objects.exists()

    client.force_login(other_member)
    events_before = stored_events(member, "voice.listened").count()
    with django_capture_on_commit_callbacks(execute=True):
        assert listened(client, message).status_code == 204
        assert listened(client, message).status_code == 204
    assert VoiceListen.objects.filter(message=message, user=other_member).count() == 1
    told = stored_events(member, "voice.listened")
    assert told.count() == events_before + 1
    assert told.last().event.payload == {
        "chat_id": chat.pk,
        "message_id": message.pk,
        "user_id": other_member.pk,
    }
    # The sender's page shows who has played it (their dot goes).
    client.force_login(member)
    page = client.get(chat.get_absolute_url()).content.decode()
    assert f'data-listened-by="{other_member.pk}"' in page


def test_only_members_mark_a_voice_message_and_only_a_voice_message(
    client, member, other_member, recordings
):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    send_voice(client, chat, "voice-scope-001", recordings["webm"])
    message = Message.objects.get(chat=chat)
    client.force_login(UserFactory())
    assert listened(client, message).status_code == 404
    family = group(member, other_member)
    text = say(member, family, "Просто текст")
    client.force_login(other_member)
    assert listened(client, text).status_code == 400
    assert not VoiceListen.objects.exists()


def test_a_voice_message_reads_as_such_in_the_chat_list_and_in_replies(
    client, member, other_member, recordings
):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    send_voice(client, chat, "voice-list-0001", recordings["webm"])
    message = Message.objects.get(chat=chat)
    client.force_login(other_member)
    page = client.get(reverse("messaging:index")).content.decode()
    assert "Голосовое сообщение" in page
    reply = client.post(
        reverse("messaging:send", args=[chat.pk]),
        {"client_id": "voice-reply-001", "text": "Слышу!", "reply_to": message.pk},
    )
    assert 'class="msg__reply-text">Голосовое сообщение<' in reply.content.decode()


def test_prepare_refuses_before_storing_anything(member, settings):
    settings.VOICE_MAX_BYTES = 10
    before = stored_files()
    with pytest.raises(voice.MediaError):
        voice.prepare(recording(b"x" * 11))
    assert stored_files() == before


def test_a_forwarded_voice_message_plays_for_the_chat_it_went_to(
    client, member, other_member, recordings
):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    assert send_voice(client, chat, "voice-fwd-0001", recordings["webm"]).status_code == 201
    voice_message = Message.objects.get(chat=chat)
    aunt = UserFactory(username="aunt")
    family = group(member, aunt, title="Семья")

    # Grandma forwards her note to a group dad is not in, twice (a retry): one copy.
    for _ in range(2):
        response = client.post(
            reverse("messaging:forward_message", args=[voice_message.pk]),
            {"chat": family.pk, "client_id": "forward-voice-0001"},
        )
        assert response.status_code == 302
    copy = family.messages.exclude(kind=Message.Kind.SYSTEM).get()
    (attachment,) = copy.attachments.all()
    original = voice_message.attachments.get()
    assert (attachment.kind, attachment.duration, attachment.waveform) == (
        "voice",
        original.duration,
        original.waveform,
    )
    assert copy.forwarded_from_name == member.name

    # The aunt, only in the group, plays it; the same file, not a second one on disk.
    client.force_login(aunt)
    assert client.get(reverse("media", args=[attachment.file])).status_code == 200
    assert attachment.file == original.file
    page = client.get(family.get_absolute_url()).content.decode()
    assert "data-voice" in page
    # Someone in neither chat still gets 404.
    client.force_login(UserFactory())
    assert client.get(reverse("media", args=[attachment.file])).status_code == 404
