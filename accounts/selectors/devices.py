"""Where a member is signed in, as the devices page lists it."""

import re

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Device, User


def devices_of(user: User, current_key: str | None) -> list[Device]:
    """My devices, this device first (`forget_ended_sessions` drops the rows of ended ones)."""
    devices = list(Device.objects.filter(user=user).order_by("-last_used_at"))
    for device in devices:
        device.is_current = device.session_key == current_key
        device.name = device_name(device.user_agent)
    return sorted(devices, key=lambda d: not d.is_current)


def device_of(user: User, device_id: int) -> Device:
    return get_object_or_404(Device, pk=device_id, user=user)


BROWSERS = [
    ("YaBrowser", "Yandex Browser"),
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("HeadlessChrome", "Chrome"),
    ("Chrome", "Chrome"),
    ("Chromium", "Chromium"),
    ("Safari", "Safari"),
]


SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Macintosh", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def device_name(user_agent: str) -> str:
    """ "Chrome on Android", "Safari on iPhone": enough for a member to recognise a device."""
    browser = next((name for token, name in BROWSERS if re.search(rf"\b{token}/", user_agent)), "")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown device")
