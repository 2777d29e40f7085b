from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import events, selectors, services
from accounts.models import Connection
from accounts.tests.factories import UserFactory
from core.events import check
from core.tests.realtime_helpers import capture_sent

# Presence is published when the sweep's transaction commits: the tests run those callbacks
# (django_capture_on_commit_callbacks) instead of committing for real.
pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    return capture_sent(monkeypatch)


def test_a_socket_whose_process_died_stops_counting_and_leaves_a_last_seen(
    member, other_member, sent, django_capture_on_commit_callbacks
):
    last_ping = timezone.now() - timedelta(minutes=10)
    Connection.objects.create(user=member, channel_name="dead-tab", seen_at=last_ping)
    Connection.objects.create(user=other_member, channel_name="live-tab", seen_at=timezone.now())
    assert not selectors.is_online(member.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_stale_connections() == 1
    member.refresh_from_db()
    assert member.last_seen_at == last_ping
    assert (
        other_member.pk,
        {
            "type": "presence.changed",
            "user_id": member.pk,
            "online": False,
            "last_seen_at": last_ping.isoformat(),
            "seq": None,
        },
    ) in sent


def test_presence_goes_only_to_members_with_a_tab_open(
    member, other_member, sent, django_capture_on_commit_callbacks
):
    third = UserFactory()
    Connection.objects.create(user=other_member, channel_name="live-tab", seen_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.socket_opened(user=member, channel_name="new-tab")
    told = {uid for uid, frame in sent if frame["type"] == "presence.changed"}
    assert told == {other_member.pk}
    assert third.pk not in told


def test_a_fresh_socket_survives_the_sweep(member, sent):
    Connection.objects.create(user=member, channel_name="live-tab", seen_at=timezone.now())
    assert services.sweep_stale_connections() == 0
    assert selectors.is_online(member.pk)


def test_the_task_path_runs_the_same_sweep(member, sent):
    from accounts.tasks import sweep_stale_connections

    Connection.objects.create(
        user=member, channel_name="dead-tab", seen_at=timezone.now() - timedelta(hours=1)
    )
    assert sweep_stale_connections.apply().get() == 1


def test_presence_and_status_events_match_their_declarations(member, other_member, settings):
    settings.REALTIME_CHECK_EVENTS = True
    check(events.presence_changed(user_id=member.pk, online=False, last_seen_at=timezone.now()))
    check(events.status_changed(user=member))
    services.set_status(user=member, text="На даче", icon="sun", until="today")
    services.clear_status(user=member)
