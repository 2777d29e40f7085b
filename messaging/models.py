"""Chats, their members and their messages.

A chat keeps its own sequence: every message takes the chat's next `seq`, so a tab that knows the
last `seq` it showed can ask for exactly what it missed. A message is unique per (sender,
client_id): the browser makes the id before the first attempt, so a retry never doubles it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from accounts.models import User


class Community(models.Model):
    """A named container of groups and channels with its own members."""

    title = models.CharField(_("title"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    avatar = models.FileField(_("photo"), upload_to="chat-avatars/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("messaging:community", args=[self.pk])


class CommunityMember(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("admin")
        MEMBER = "member", _("member")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(max_length=8, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="community_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id}"


class Chat(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("direct chat")
        GROUP = "group", _("group")
        CHANNEL = "channel", _("channel")
        SAVED = "saved", _("saved messages")
        FAMILY = "family", _("family chat")
        SERVICE = "service", _("service chat")

    kind = models.CharField(max_length=8, choices=Kind)
    title = models.CharField(_("title"), max_length=80, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    avatar = models.FileField(_("photo"), upload_to="chat-avatars/", blank=True)
    community = models.ForeignKey(
        Community, on_delete=models.SET_NULL, null=True, blank=True, related_name="chats"
    )
    # Direct and saved chats: "<smaller id>:<larger id>" (saved: "<id>:<id>"), one chat a pair.
    pair_key = models.CharField(max_length=40, null=True, blank=True, unique=True)
    # Groups and channels: whoever has the link may join (channels are also listed in the family).
    invite_code = models.CharField(max_length=32, null=True, blank=True, unique=True)
    is_listed = models.BooleanField(_("listed for the family"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_seq = models.BigIntegerField(default=0)
    last_message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="family"), name="one_family_chat"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:chat", args=[self.pk])

    @property
    def is_direct(self) -> bool:
        return self.kind == self.Kind.DIRECT

    @property
    def is_channel(self) -> bool:
        return self.kind == self.Kind.CHANNEL

    @property
    def has_roles(self) -> bool:
        return self.kind in (self.Kind.GROUP, self.Kind.CHANNEL)


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        """Seats that are taken now: the member has not left nor been removed."""
        return self.filter(left_at=None)


class Membership(models.Model):
    """One member in one chat, with everything personal about it (read mark, draft, mute)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        ADMIN = "admin", _("admin")
        MEMBER = "member", _("member")
        # Channels: reads and reacts, does not post.
        SUBSCRIBER = "subscriber", _("subscriber")

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships"
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    # Set when the member left or was removed; the row stays so that history keeps its names.
    left_at = models.DateTimeField(null=True, blank=True)
    last_read_seq = models.BigIntegerField(default=0)
    last_delivered_seq = models.BigIntegerField(default=0)
    pinned_at = models.DateTimeField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    muted_until = models.DateTimeField(null=True, blank=True)
    draft = models.TextField(blank=True)
    draft_updated_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chat", "user"], name="membership_once"),
        ]
        indexes = [models.Index(fields=["user", "left_at"], name="membership_user_active")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.chat_id}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    @property
    def is_admin(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)

    @property
    def may_post(self) -> bool:
        if self.chat.kind == Chat.Kind.CHANNEL:
            return self.is_admin
        return self.chat.kind != Chat.Kind.SERVICE

    @property
    def is_muted(self) -> bool:
        return self.muted_until is not None and self.muted_until > timezone.now()


class MessageQuerySet(models.QuerySet):
    def visible_to(self, reader: Membership | User) -> MessageQuerySet:
        """The messages a member may read, the one rule for every read of a chat's history.

        Given a `Membership`, that chat's messages; given a user, those of every chat they are in.
        A member reads the whole history of a chat they are in now (also what came before they
        joined, like Telegram), never after they left, and never what they hid "for me". The
        hidden ones are left out with NOT IN over a small subquery, not NOT EXISTS: PostgreSQL
        plans the latter as an anti-join that reads the whole history before taking a page.
        """
        if isinstance(reader, Membership):
            if not reader.is_active:
                return self.none()
            hidden = HiddenMessage.objects.filter(
                user_id=reader.user_id, message__chat_id=reader.chat_id
            )
            return self.filter(chat_id=reader.chat_id).exclude(pk__in=hidden.values("message_id"))
        seats = Membership.objects.active().filter(user=reader)
        hidden = HiddenMessage.objects.filter(user=reader)
        return self.filter(chat_id__in=seats.values("chat_id")).exclude(
            pk__in=hidden.values("message_id")
        )


class Message(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", pgettext_lazy("message kind", "text")
        SYSTEM = "system", pgettext_lazy("message kind", "system")

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    seq = models.BigIntegerField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    client_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.TEXT)
    text = models.TextField(blank=True)
    # Casefolded text for search in the embedded mode (SQLite's LIKE does not fold Cyrillic).
    search_text = models.TextField(blank=True)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forwarded_from_name = models.CharField(max_length=80, blank=True)
    # A sticker message: the sticker is the whole message (the text stays empty).
    sticker = models.ForeignKey(
        "Sticker", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chat", "seq"], name="message_seq_once"),
            models.UniqueConstraint(fields=["sender", "client_id"], name="message_client_id_once"),
        ]
        indexes = [
            # The pinned bar: found without reading a long history.
            models.Index(
                fields=["chat", "pinned_at"],
                condition=models.Q(pinned_at__isnull=False),
                name="message_pinned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chat_id}#{self.seq}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class HiddenMessage(models.Model):
    """'Delete for me': the message stays for the others."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="hidden_for")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "message"], name="hidden_message_once"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} hidden for {self.user_id}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("photo")
        FILE = "file", _("file")
        VOICE = "voice", _("voice message")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=8, choices=Kind)
    file = models.CharField(max_length=200)
    preview = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Voice messages: the length in seconds and the peaks the bubble draws (0..100 each).
    duration = models.FloatField(null=True, blank=True)
    waveform = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name or self.file


class VoiceListen(models.Model):
    """A member played a voice message (its sender sees the unplayed dot go)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="voice_listens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    listened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="voice_listen_once"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} played by {self.user_id}"


class Reaction(models.Model):
    """One member's reaction (an icon from Toricy's SVG set, never an emoji) to a message."""

    class Icon(models.TextChoices):
        # Values are icon names of the sprite (lucide).
        HEART = "heart", _("Love")
        THUMBS_UP = "thumbs-up", _("Like")
        LAUGH = "laugh", _("Funny")
        PARTY = "party-popper", _("Hooray")
        STAR = "star", _("Great")
        SAD = "frown", _("Sad")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    icon = models.CharField(max_length=16, choices=Icon)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "icon"], name="reaction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.icon} by {self.user_id} on {self.message_id}"


class ChatFolder(models.Model):
    """A tab over the chat list: chosen chats and/or rules."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_folders"
    )
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveIntegerField(default=0)
    chats = models.ManyToManyField(Chat, blank=True, related_name="+")
    include_direct = models.BooleanField(_("all direct chats"), default=False)
    include_groups = models.BooleanField(_("all groups"), default=False)
    include_channels = models.BooleanField(_("all channels"), default=False)
    unread_only = models.BooleanField(_("only unread"), default=False)
    exclude_muted = models.BooleanField(_("without muted chats"), default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


# --- Stickers ------------------------------------------------------------------------------------
class StickerPack(models.Model):
    """A set of stickers: Toricy's own (built in, for everyone) or one a member uploaded."""

    title = models.CharField(_("title"), max_length=64)
    slug = models.SlugField(max_length=40, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sticker_packs",
    )
    # Built-in packs are in everyone's picker and cannot be removed from it.
    is_default = models.BooleanField(_("built in"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sticker pack")
        verbose_name_plural = _("sticker packs")

    def __str__(self) -> str:
        return self.title


class Sticker(models.Model):
    class Format(models.TextChoices):
        # What the browser plays: Lottie JSON (lottie-web), an animated WebP (<img>), or a WebM
        # video (<video muted loop>). Uploads in other formats are converted to one of these.
        LOTTIE = "lottie", "Lottie"
        WEBP = "webp", "WebP"
        WEBM = "webm", "WebM"

    pack = models.ForeignKey(StickerPack, on_delete=models.CASCADE, related_name="stickers")
    format = models.CharField(max_length=8, choices=Format)
    # Uploaded stickers live in private media (`stickers/...`); built-in ones are static files.
    file = models.CharField(max_length=200, blank=True)
    static_file = models.CharField(max_length=200, blank=True)
    # The first frame, still: shown under prefers-reduced-motion and while off screen.
    poster = models.CharField(max_length=200, blank=True)
    # Casefolded search words (Russian and English for the built-in pack).
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    width = models.PositiveIntegerField(default=512)
    height = models.PositiveIntegerField(default=512)
    frames = models.PositiveIntegerField(default=1)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("sticker")
        verbose_name_plural = _("stickers")

    def __str__(self) -> str:
        return f"{self.pack_id}/{self.position}"

    @property
    def src(self) -> str:
        from django.templatetags.static import static

        if self.static_file:
            return static(self.static_file)
        return reverse("media", args=[self.file])

    @property
    def poster_src(self) -> str:
        return reverse("media", args=[self.poster]) if self.poster else ""


class MemberStickerPack(models.Model):
    """A pack in one member's picker, in the member's order."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="picker_packs"
    )
    pack = models.ForeignKey(StickerPack, on_delete=models.CASCADE, related_name="members")
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "pack"], name="picker_pack_once"),
        ]

    def __str__(self) -> str:
        return f"{self.pack_id} for {self.user_id}"


class RecentSticker(models.Model):
    """When a member last sent a sticker: the picker's first tab."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sticker = models.ForeignKey(Sticker, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sticker"], name="recent_sticker_once"),
        ]
        indexes = [models.Index(fields=["user", "-used_at"], name="recent_sticker_user")]

    def __str__(self) -> str:
        return f"{self.sticker_id} by {self.user_id}"


class StickerSettings(models.Model):
    """The owner's switch for stickers (one row): may members add packs, or only the owner."""

    members_may_add_packs = models.BooleanField(_("members may add sticker packs"), default=True)

    class Meta:
        verbose_name = _("sticker settings")
        verbose_name_plural = _("sticker settings")

    def __str__(self) -> str:
        return str(_("sticker settings"))

    @classmethod
    def current(cls) -> StickerSettings:
        return cls.objects.get_or_create(pk=1)[0]
