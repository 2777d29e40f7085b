"""Where a member is signed in: one Device per session, listed and signed out from the settings.

A family member signs in once on a phone and stays signed in: the session lives a year
(SESSION_COOKIE_AGE) and is renewed whenever "last active" is written (at most every few minutes,
never on every request), so a phone in use never expires. The devices page shows every live
session and can end any of them.
"""

from datetime import timedelta
from importlib import import_module

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Device, User

# How often a used session writes "last active" and renews its year: not on every request.
# The throttle lives in the session, so a request in between costs no query at all.
TOUCH_EVERY = timedelta(minutes=5)


def session_store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def client_ip(request) -> str | None:
    """The member's address, honouring ALLAUTH_TRUSTED_PROXY_COUNT like the rate limits do."""
    try:
        return get_adapter(request).get_client_ip(request) or None
    except PermissionDenied:  # no usable address: the device is still listed, without one
        return None


def record_sign_in(*, request, user: User) -> Device:
    """Called when a member signs in (any method): the session key is final by then."""
    if not request.session.session_key:
        request.session.save()
    device, _created = Device.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip": client_ip(request),
            "last_used_at": timezone.now(),
        },
    )
    return device


def forget_ended_sessions(*, user: User) -> int:
    """Drop the rows of the member's sessions that ended elsewhere (expired, or cleared)."""
    store = session_store()
    ended = [
        device.pk
        for device in Device.objects.filter(user=user)
        if not store.exists(device.session_key)
    ]
    if ended:
        Device.objects.filter(pk__in=ended).delete()
    return len(ended)


def forget(*, session_key: str | None) -> None:
    if session_key:
        Device.objects.filter(session_key=session_key).delete()


def touch(*, request) -> None:
    """Keep "last active" fresh and the session alive, with at most one write every few minutes."""
    key = request.session.session_key
    if not key:
        return
    now = timezone.now()
    last = request.session.get("toricy_device_touched")
    if last and now.timestamp() - last < TOUCH_EVERY.total_seconds():
        return
    updated = Device.objects.filter(session_key=key, user=request.user).update(
        last_used_at=now,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
    if not updated:
        record_sign_in(request=request, user=request.user)
    # Changing the session saves it with a fresh year and sends the cookie again.
    request.session["toricy_device_touched"] = now.timestamp()


@transaction.atomic
def sign_out(*, device: Device) -> None:
    session_store(device.session_key).delete()
    device.delete()


def sign_out_others(*, user: User, current_key: str | None) -> int:
    others = list(Device.objects.filter(user=user).exclude(session_key=current_key or ""))
    for device in others:
        sign_out(device=device)
    return len(others)
