"""Reads that already know who is asking: a chat, a message or a member list only for members."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import selectors as accounts_selectors
from accounts.models import User
from messaging.models import (
    Attachment,
    Chat,
    Membership,
    Message,
    Reaction,
    VoiceListen,
)

PAGE_SIZE = 50


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user)


def chats_for(user: User) -> QuerySet[Chat]:
    """The chats a member is in now."""
    return Chat.objects.filter(pk__in=memberships_of(user).values("chat_id"))


def chat_for(user: User, chat_id: int) -> Chat:
    """A chat the member is in; 404 for everyone else."""
    return get_object_or_404(chats_for(user), pk=chat_id)


def membership_for(user: User, chat_id: int) -> Membership:
    """The member's own place in a chat (with the chat); 404 if they are not in it."""
    return get_object_or_404(memberships_of(user).select_related("chat"), chat_id=chat_id)


def member_ids(chat: Chat) -> list[int]:
    return list(Membership.objects.active().filter(chat=chat).values_list("user_id", flat=True))


def _has_voice(message_field: str) -> Exists:
    return Exists(
        Attachment.objects.filter(message_id=OuterRef(message_field), kind=Attachment.Kind.VOICE)
    )


def with_everything(messages: QuerySet[Message]) -> QuerySet[Message]:
    """What a bubble shows, in a fixed number of queries whatever the page holds."""
    messages = messages.annotate(reply_has_voice=_has_voice("reply_to_id"))
    return messages.select_related(
        "sender", "reply_to", "reply_to__sender", "sticker"
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
        Prefetch("reactions", queryset=Reaction.objects.select_related("user").order_by("pk")),
        Prefetch("voice_listens", queryset=VoiceListen.objects.only("message_id", "user_id")),
    )


def message_for(user: User, message_id: int) -> Message:
    """A message in a chat the member is in and may see; 404 otherwise."""
    return get_object_or_404(
        Message.objects.visible_to(user).select_related("chat", "sender"), pk=message_id
    )


def page_before(membership: Membership, before_seq: int | None, size: int = PAGE_SIZE):
    """A page of history ending before `before_seq` (the newest page without it), oldest first."""
    messages = Message.objects.visible_to(membership)
    if before_seq is not None:
        messages = messages.filter(seq__lt=before_seq)
    page = list(with_everything(messages.order_by("-seq"))[: size + 1])
    has_more = len(page) > size
    page = page[:size]
    page.reverse()
    return page, has_more


def page_after(membership: Membership, after_seq: int, size: int = PAGE_SIZE * 4):
    """What came after `after_seq`, oldest first: what a tab that was away missed."""
    messages = Message.objects.visible_to(membership).filter(seq__gt=after_seq).order_by("seq")
    page = list(with_everything(messages)[: size + 1])
    return page[:size], len(page) > size


def page_around_first_unread(membership: Membership, size: int = PAGE_SIZE):
    """Opening a chat: the first unread message with some context before it, or the newest page."""
    chat = membership.chat
    if membership.last_read_seq >= chat.last_seq:
        return page_before(membership, None, size)
    before, has_more = page_before(membership, membership.last_read_seq + 1, size // 5)
    after = list(
        with_everything(
            Message.objects.visible_to(membership)
            .filter(seq__gt=membership.last_read_seq)
            .order_by("seq")
        )[:size]
    )
    return before + after, has_more


def pinned_message(membership: Membership) -> Message | None:
    """The newest pinned message the member may see (through the pinned index, not the history)."""
    return (
        Message.objects.visible_to(membership)
        .filter(pinned_at__isnull=False, deleted_at=None)
        .order_by("-pinned_at")
        .first()
    )


def peer_marks(membership: Membership) -> tuple[int, int]:
    """In a direct chat, how far the other member has read and received: my ticks."""
    if membership.chat.kind != Chat.Kind.DIRECT:
        return 0, 0
    marks = (
        Membership.objects.filter(chat_id=membership.chat_id)
        .exclude(user_id=membership.user_id)
        .values_list("last_read_seq", "last_delivered_seq")
        .first()
    )
    return marks or (0, 0)


def unread_count(membership: Membership) -> int:
    return max(0, membership.chat.last_seq - membership.last_read_seq)


def inbox(user: User, *, archived: bool = False) -> list[Membership]:
    """The chat list: the member's chats, pinned first, then by last activity (two queries)."""
    rows = (
        memberships_of(user)
        .filter(archived=archived)
        .select_related("chat", "chat__last_message", "chat__last_message__sender")
        # Whether the last message is a voice message, for its line in the list (no query more).
        .annotate(last_has_voice=_has_voice("chat__last_message_id"))
        .order_by("-pinned_at", "-chat__last_activity_at")
    )
    rows = list(rows)
    others = peers_of(user, [row.chat_id for row in rows if row.chat.kind == Chat.Kind.DIRECT])
    now = timezone.now()
    for row in rows:
        row.peer = others.get(row.chat_id)
        row.unread = max(0, row.chat.last_seq - row.last_read_seq)
        row.muted = row.muted_until is not None and row.muted_until > now
        if row.chat.last_message is not None:
            row.chat.last_message.has_voice = row.last_has_voice
    return rows


def read_by(message: Message) -> QuerySet[User]:
    """Who in the chat has read this message (not its sender)."""
    readers = Membership.objects.active().filter(
        chat_id=message.chat_id, last_read_seq__gte=message.seq
    )
    return User.objects.filter(pk__in=readers.values("user_id")).exclude(pk=message.sender_id)


def listed_channels(user: User) -> QuerySet[Chat]:
    """Channels open to the whole family, with whether the member is subscribed."""
    return (
        Chat.objects.filter(kind=Chat.Kind.CHANNEL, is_listed=True, community=None)
        .annotate(subscribed=Exists(memberships_of(user).filter(chat=OuterRef("pk"))))
        .order_by("title")
    )


def search_messages(user: User, query: str, *, chat: Chat | None = None) -> QuerySet[Message]:
    """Messages in my chats containing every word of `query` (see messaging.search)."""
    from messaging import search

    return search.messages(user, query, chat=chat)


def peers_of(
    viewer: User, chat_ids: Iterable[int], *, annotated: bool = True
) -> dict[int, User | None]:
    """The other member of each of these direct chats of `viewer`, in two queries for any number.

    `annotated`: as the family's member list shows them to the viewer (online, contact, blocks),
    and None for someone who has left the family. Without it, the plain rows (a write that only
    needs `is_active` pays for no presence).
    """
    chat_ids = list(chat_ids)
    if not chat_ids:
        return {}
    pairs = list(
        Membership.objects.filter(chat_id__in=chat_ids)
        .exclude(user=viewer)
        .values_list("chat_id", "user_id")
    )
    people = accounts_selectors.members(viewer) if annotated else User.objects.all()
    found = people.in_bulk([uid for _chat, uid in pairs])
    return {chat_id: found.get(uid) for chat_id, uid in pairs}


def peer_of(membership: Membership, *, annotated: bool = True) -> User | None:
    """The other member of a direct chat (see `peers_of`); None in any other chat."""
    if membership.chat.kind != Chat.Kind.DIRECT:
        return None
    return peers_of(membership.user, [membership.chat_id], annotated=annotated).get(
        membership.chat_id
    )


def page_around(membership: Membership, seq: int, size: int = PAGE_SIZE):
    """A page with the message at `seq` in its middle (opening a search result), oldest first.

    Returns (page, has_more_before, has_more_after).
    """
    before, has_more = page_before(membership, seq + 1, size // 2)
    after, has_more_after = page_after(membership, seq, size - len(before))
    return before + after, has_more, has_more_after


def chats_i_may_post_in(user: User) -> list[Membership]:
    """The member's chats they may write in, as rows of the chat list (`.chat`, `.peer`): the
    chat picker of forwarding a message and of sharing a post (`partials/_pick_chat.html`)."""
    return [row for row in inbox(user) if row.may_post]
