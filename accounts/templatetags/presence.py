"""How a member's presence reads: "online", "last seen today at 14:05", "last seen recently"."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


def presence_text(online: bool, last_seen_at: datetime | None, now: datetime | None = None) -> str:
    if online:
        return _("online")
    if last_seen_at is None:
        return _("last seen recently")
    now = timezone.localtime(now or timezone.now())
    seen = timezone.localtime(last_seen_at)
    clock = date_format(seen, "H:i")
    if now - seen < timedelta(minutes=1):
        return _("last seen just now")
    if seen.date() == now.date():
        return _("last seen today at %(time)s") % {"time": clock}
    if seen.date() == (now - timedelta(days=1)).date():
        return _("last seen yesterday at %(time)s") % {"time": clock}
    if seen.year == now.year:
        return _("last seen %(date)s") % {"date": date_format(seen, "j E")}
    return _("last seen %(date)s") % {"date": date_format(seen, "j E Y")}


def visible_presence(person, viewer) -> tuple[bool, datetime | None]:
    """What `viewer` may know of `person`'s presence: hidden by privacy, "recently"."""
    from accounts import selectors

    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in and not selectors.allows(person, viewer, person.last_seen_visible_to):
        return False, None
    return getattr(person, "is_online", False), person.last_seen_at


@register.simple_tag(takes_context=True)
def presence(context, person) -> str:
    """The presence line of a member from `members(viewer)`, as the viewer may see it."""
    online, seen = visible_presence(person, context.get("user"))
    return presence_text(online, seen)


@register.simple_tag(takes_context=True)
def is_visibly_online(context, person) -> bool:
    return visible_presence(person, context.get("user"))[0]
