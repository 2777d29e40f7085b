"""Reads that already know who is asking: a chat, a message or a member list only for members."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import selectors as accounts_selectors
from accounts.models import User
from messaging.models import (
    Attachment,
    Chat,
    HiddenMessage,
    Membership,
    Message,
    Reaction,
    VoiceListen,
)

PAGE_SIZE = 50


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, left_at=None)


def chats_for(user: User) -> QuerySet[Chat]:
    """The chats a member is in now."""
    return Chat.objects.filter(memberships__user=user, memberships__left_at=None)


def chat_for(user: User, chat_id: int) -> Chat:
    """A chat the member is in; 404 for everyone else."""
    return get_object_or_404(chats_for(user), pk=chat_id)


def membership_for(user: User, chat_id: int) -> Membership:
    """The member's own place in a chat (with the chat); 404 if they are not in it."""
    return get_object_or_404(
        Membership.objects.select_related("chat"), user=user, chat_id=chat_id, left_at=None
    )


def member_ids(chat: Chat) -> list[int]:
    return list(
        Membership.objects.filter(chat=chat, left_at=None).values_list("user_id", flat=True)
    )


def messages_visible_to(membership: Membership) -> QuerySet[Message]:
    """The chat's messages this member may read (not hidden 'for me').

    The hidden ones are left out with NOT IN over a small subquery, not NOT EXISTS: PostgreSQL
    plans the latter as an anti-join that reads the whole history before taking a page.
    """
    hidden = HiddenMessage.objects.filter(
        user_id=membership.user_id, message__chat_id=membership.chat_id
    ).values("message_id")
    return Message.objects.filter(
        chat_id=membership.chat_id, seq__gt=membership.visible_from_seq
    ).exclude(pk__in=hidden)


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
    message = get_object_or_404(
        Message.objects.select_related("chat", "sender"),
        pk=message_id,
        chat__memberships__user=user,
        chat__memberships__left_at=None,
    )
    membership = Membership.objects.get(chat_id=message.chat_id, user=user)
    if (
        message.seq <= membership.visible_from_seq
        or HiddenMessage.objects.filter(user=user, message=message).exists()
    ):
        raise Http404
    return message


def page_before(membership: Membership, before_seq: int | None, size: int = PAGE_SIZE):
    """A page of history ending before `before_seq` (the newest page without it), oldest first."""
    messages = messages_visible_to(membership)
    if before_seq is not None:
        messages = messages.filter(seq__lt=before_seq)
    page = list(with_everything(messages.order_by("-seq"))[: size + 1])
    has_more = len(page) > size
    page = page[:size]
    page.reverse()
    return page, has_more


def page_after(membership: Membership, after_seq: int, size: int = PAGE_SIZE * 4):
    """What came after `after_seq`, oldest first: what a tab that was away missed."""
    messages = messages_visible_to(membership).filter(seq__gt=after_seq).order_by("seq")
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
            messages_visible_to(membership).filter(seq__gt=membership.last_read_seq).order_by("seq")
        )[:size]
    )
    return before + after, has_more


def pinned_message(membership: Membership) -> Message | None:
    """The newest pinned message the member may see (through the pinned index, not the history)."""
    candidates = list(
        Message.objects.filter(
            chat_id=membership.chat_id, pinned_at__isnull=False, deleted_at=None
        ).order_by("-pinned_at")[:10]
    )
    hidden = set(
        HiddenMessage.objects.filter(
            user_id=membership.user_id, message__in=[m.pk for m in candidates]
        ).values_list("message_id", flat=True)
    )
    for message in candidates:
        if message.seq > membership.visible_from_seq and message.pk not in hidden:
            return message
    return None


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
    direct = [row.chat_id for row in rows if row.chat.kind == Chat.Kind.DIRECT]
    others = {}
    if direct:
        pairs = list(
            Membership.objects.filter(chat_id__in=direct)
            .exclude(user=user)
            .values_list("chat_id", "user_id")
        )
        # Annotated for the viewer (online, contact, blocks): presence costs no query per row.
        people = accounts_selectors.members(user).in_bulk([uid for _chat, uid in pairs])
        others = {chat_id: people.get(uid) for chat_id, uid in pairs}
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
    return User.objects.filter(
        chat_memberships__chat_id=message.chat_id,
        chat_memberships__left_at=None,
        chat_memberships__last_read_seq__gte=message.seq,
    ).exclude(pk=message.sender_id)


def listed_channels(user: User) -> QuerySet[Chat]:
    """Channels open to the whole family, with whether the member is subscribed."""
    return (
        Chat.objects.filter(kind=Chat.Kind.CHANNEL, is_listed=True, community=None)
        .annotate(
            subscribed=Exists(
                Membership.objects.filter(chat=OuterRef("pk"), user=user, left_at=None)
            )
        )
        .order_by("title")
    )


def search_messages(user: User, query: str, *, chat: Chat | None = None) -> QuerySet[Message]:
    """Messages in my chats containing every word of `query` (see messaging.search)."""
    from messaging import search

    return search.messages(user, query, chat=chat)


def peer_of(membership: Membership) -> User | None:
    """The other member of a direct chat, annotated for the viewer (None once they left)."""
    if membership.chat.kind != Chat.Kind.DIRECT:
        return None
    other = (
        Membership.objects.filter(chat_id=membership.chat_id)
        .exclude(user_id=membership.user_id)
        .values_list("user_id", flat=True)
        .first()
    )
    if other is None:
        return None
    return accounts_selectors.members(membership.user).filter(pk=other).first()


def is_visible(membership: Membership, message: Message) -> bool:
    return message.chat_id == membership.chat_id and message.seq > membership.visible_from_seq


def page_around(membership: Membership, seq: int, size: int = PAGE_SIZE):
    """A page with the message at `seq` in its middle (opening a search result), oldest first.

    Returns (page, has_more_before, has_more_after).
    """
    before, has_more = page_before(membership, seq + 1, size // 2)
    after, has_more_after = page_after(membership, seq, size - len(before))
    return before + after, has_more, has_more_after
