"""How chats and messages read in templates: titles, list lines, times, formatted text."""

import re

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.selectors import mention_links
from core import text as core_text
from messaging.models import Chat, Message

register = template.Library()


@register.simple_tag
def chat_title(chat: Chat, peer=None) -> str:
    if chat.kind == Chat.Kind.SAVED:
        return _("Saved messages")
    if chat.kind == Chat.Kind.FAMILY:
        return chat.title or _("Family")
    if chat.kind == Chat.Kind.DIRECT:
        return peer.name if peer is not None else _("Deleted member")
    return chat.title


@register.simple_tag
def chat_icon(chat: Chat) -> str:
    return {
        Chat.Kind.SAVED: "bookmark",
        Chat.Kind.FAMILY: "house",
        Chat.Kind.GROUP: "users",
        Chat.Kind.CHANNEL: "megaphone",
        Chat.Kind.SERVICE: "bot",
    }.get(chat.kind, "message-circle")


@register.filter
def message_html(message: Message):
    """The message's text as safe HTML, with @mentions linked to members' pages.

    A page of messages is prepared at once (messaging.views.prepare_text: one query for all
    mentions); a single message rendered alone looks its own mentions up.
    """
    prepared = getattr(message, "text_html", None)
    if prepared is not None:
        return prepared
    return core_text.render(message.text, mention_url=mention_links([message.text]))


def _is_voice(message: Message) -> bool:
    """Known without a query: from the attachments already fetched, or a `has_voice` mark."""
    fetched = getattr(message, "_prefetched_objects_cache", {}).get("attachments")
    if fetched is not None:
        return any(attachment.kind == "voice" for attachment in fetched)
    return bool(getattr(message, "has_voice", False))


@register.filter
def snippet(message: Message | None) -> str:
    if message is None:
        return ""
    if message.is_deleted:
        return _("Message deleted")
    if message.text:
        return core_text.snippet(message.text)
    if message.sticker_id:
        return _("Sticker")
    if message.pk and _is_voice(message):
        return _("Voice message")
    return _("Photo") if message.pk else ""


@register.filter
def list_time(moment) -> str:
    """14:05 today, 'yesterday', a weekday this week, a date before."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    today = timezone.localdate()
    days = (today - local.date()).days
    if days == 0:
        return date_format(local, "H:i")
    if days == 1:
        return _("yesterday")
    if days < 7:
        return date_format(local, "D")
    return date_format(local, "d.m.y")


@register.filter
def day_label(moment) -> str:
    local = timezone.localtime(moment)
    days = (timezone.localdate() - local.date()).days
    if days == 0:
        return _("Today")
    if days == 1:
        return _("Yesterday")
    if local.year == timezone.localdate().year:
        return date_format(local, "j E")
    return date_format(local, "j E Y")


FEED_POST_LINK = re.compile(r"https?://[^\s/]+(/feed/posts/\d+/)(?=\s|$)")


@register.filter
def feed_post_link(message: Message) -> str:
    """The path of a feed post shared into the chat, for a link card; "" if there is none.

    The card says nothing about the post itself: a chat member outside the post's audience must
    not learn its content from the chat (the link answers them with 404).
    """
    match = FEED_POST_LINK.search(message.text or "")
    return match.group(1) if match else ""
