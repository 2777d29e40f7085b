"""How posts read in templates: times, who sees them, how photos are laid out."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from feed.models import Post

register = template.Library()

AUDIENCE_ICONS = {
    Post.Audience.FAMILY: "house",
    Post.Audience.CONTACTS: "users",
    Post.Audience.COMMUNITY: "layers",
    Post.Audience.ME: "lock",
}


@register.filter
def post_time(moment) -> str:
    """Today's posts by the hour, this year's by day and month, older ones with the year."""
    local = timezone.localtime(moment)
    today = timezone.localdate()
    if local.date() == today:
        return date_format(local, "H:i")
    if local.year == today.year:
        return date_format(local, "j E, H:i")
    return date_format(local, "j E Y")


@register.filter
def audience_icon(post: Post) -> str:
    return AUDIENCE_ICONS.get(post.audience, "house")


@register.simple_tag
def audience_label(post: Post) -> str:
    if post.audience == Post.Audience.COMMUNITY and post.community_id:
        return _("Community: %(title)s") % {"title": post.community.title}
    return str(Post.Audience(post.audience).label)


@register.filter
def media_layout(count: int) -> str:
    """One photo wide, two side by side, three or more in a grid."""
    return "one" if count == 1 else "two" if count == 2 else "grid"
