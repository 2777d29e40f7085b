from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField


class Theme(models.TextChoices):
    SYSTEM = "system", _("As on the device")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class Accent(models.TextChoices):
    """Solid accent colours; each has light and dark values in static/css/tokens.css."""

    TEAL = "teal", _("Teal")
    BLUE = "blue", _("Blue")
    VIOLET = "violet", _("Violet")
    PINK = "pink", _("Pink")
    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    GREEN = "green", _("Green")
    GRAPHITE = "graphite", _("Graphite")


class TextSize(models.TextChoices):
    SMALL = "s", pgettext_lazy("text size", "Small")
    NORMAL = "m", pgettext_lazy("text size", "Normal")
    LARGE = "l", pgettext_lazy("text size", "Large")
    LARGEST = "xl", pgettext_lazy("text size", "Huge")


class ChatBackground(models.TextChoices):
    """Solid chat wallpapers (tokens --chat-bg-*), no pictures and no gradients."""

    PLAIN = "plain", _("Plain")
    MINT = "mint", _("Mint")
    SKY = "sky", _("Sky")
    SAND = "sand", _("Sand")
    LILAC = "lilac", _("Lilac")
    ROSE = "rose", _("Rose")


class Audience(models.TextChoices):
    """Who may see or do something that concerns me."""

    EVERYONE = "everyone", _("Everyone in the family")
    CONTACTS = "contacts", _("My contacts")
    NOBODY = "nobody", _("Nobody")


class StatusIcon(models.TextChoices):
    """Icons for a custom status: names of symbols in the vendored Lucide sprite."""

    NONE = "", _("No icon")
    HOUSE = "house", _("Home")
    BRIEFCASE = "briefcase", _("At work")
    BOOK = "book-open", _("Studying")
    PLANE = "plane", _("Travelling")
    CAR = "car", _("On the road")
    MOON = "moon", _("Sleeping")
    COFFEE = "coffee", _("Break")
    HEART = "heart", _("Feeling good")
    THERMOMETER = "thermometer", _("Unwell")
    PARTY = "party-popper", _("Celebrating")


# Solid avatar colours for initials: tokens in static/css/tokens.css (--avatar-0 … --avatar-7).
AVATAR_COLOURS = 8


class User(AbstractUser):
    """A family member. Email and username come from Django; the rest is Toricy's own."""

    display_name = models.CharField(_("name"), max_length=64, blank=True)
    avatar = models.FileField(_("photo"), upload_to="avatars/", blank=True)
    theme = models.CharField(_("theme"), max_length=8, choices=Theme, default=Theme.SYSTEM)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    # Sign-in by SMS code: E.164, unique; verified once a code sent to it came back.
    phone = PhoneNumberField(_("phone"), unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)

    # Profile.
    bio = models.CharField(_("about me"), max_length=300, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)

    # App settings: stored here so that they follow the member to every device.
    accent = models.CharField(
        _("accent colour"), max_length=12, choices=Accent, default=Accent.TEAL
    )
    text_size = models.CharField(
        _("text size"), max_length=2, choices=TextSize, default=TextSize.NORMAL
    )
    chat_background = models.CharField(
        _("chat background"), max_length=12, choices=ChatBackground, default=ChatBackground.PLAIN
    )
    enter_sends = models.BooleanField(_("Enter sends the message"), default=True)
    sounds = models.BooleanField(_("sounds"), default=True)

    # Privacy.
    last_seen_visible_to = models.CharField(
        _("who sees my last seen"), max_length=8, choices=Audience, default=Audience.EVERYONE
    )
    phone_visible_to = models.CharField(
        _("who sees my phone"), max_length=8, choices=Audience, default=Audience.CONTACTS
    )
    email_visible_to = models.CharField(
        _("who sees my email"), max_length=8, choices=Audience, default=Audience.CONTACTS
    )
    birthday_visible_to = models.CharField(
        _("who sees my birthday"), max_length=8, choices=Audience, default=Audience.EVERYONE
    )
    # Finding me by a number or address someone already has (their phone book): like Telegram,
    # apart from who may *see* my number, which a phone book import never shows.
    who_may_find_me = models.CharField(
        _("who may find me by my phone or email"),
        max_length=8,
        choices=Audience,
        default=Audience.EVERYONE,
    )
    who_may_call = models.CharField(
        _("who may call me"), max_length=8, choices=Audience, default=Audience.EVERYONE
    )
    who_may_add_to_groups = models.CharField(
        _("who may add me to groups"), max_length=8, choices=Audience, default=Audience.EVERYONE
    )

    # A custom status: a short text and an icon, until an optional moment.
    status_text = models.CharField(_("status"), max_length=70, blank=True)
    status_icon = models.CharField(
        _("status icon"), max_length=20, choices=StatusIcon, default=StatusIcon.NONE, blank=True
    )
    status_until = models.DateTimeField(_("status until"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        parts = self.name.split()
        letters = "".join(part[0] for part in parts[:2]) if parts else "?"
        return letters.upper()

    @property
    def current_status(self) -> tuple[str, str] | None:
        """(text, icon) of the custom status, or None once it is empty or has expired."""
        if not (self.status_text or self.status_icon):
            return None
        if self.status_until and self.status_until <= timezone.now():
            return None
        return self.status_text, self.status_icon

    @property
    def avatar_colour(self) -> int:
        return (self.pk or 0) % AVATAR_COLOURS

    def get_absolute_url(self) -> str:
        return reverse("accounts:member", args=[self.pk])


class Connection(models.Model):
    """One open websocket of a member: a member is online while a fresh one exists."""

    channel_name = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="connections")
    connected_at = models.DateTimeField(auto_now_add=True)
    # Refreshed by the socket's pings; a row whose process died goes stale and stops counting.
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.channel_name}"


class OwnerSetupLink(models.Model):
    """The one-time link printed on first start that lets the owner create the first account."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"owner set-up link of {self.created_at:%Y-%m-%d %H:%M}"


class FamilySettings(models.Model):
    """The owner's switches for the whole network (one row)."""

    registration_open = models.BooleanField(
        _("anyone may sign up"),
        default=False,
        help_text=_("Off: only people with a valid invite link can create an account."),
    )
    members_may_invite = models.BooleanField(_("members may invite"), default=True)

    class Meta:
        verbose_name = _("family settings")
        verbose_name_plural = _("family settings")

    def __str__(self) -> str:
        return str(_("family settings"))

    @classmethod
    def current(cls) -> "FamilySettings":
        return cls.objects.get_or_create(pk=1)[0]


class Invite(models.Model):
    """A link that lets someone join the family: limited in time and in how often it is used."""

    code = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invites")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    max_uses = models.PositiveIntegerField(_("how many people may join with it"), default=5)
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invite")
        verbose_name_plural = _("invites")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(use_count__lte=models.F("max_uses")),
                name="invite_uses_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.use_count}/{self.max_uses})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:invite", args=[self.code])


class Joined(models.Model):
    """Who came in through which invite: the family tree of accounts, for the owner."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="joined")
    invite = models.ForeignKey(Invite, on_delete=models.SET_NULL, null=True, related_name="joined")
    joined_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} via {self.invite_id}"


class Block(models.Model):
    """`blocker` blocked `blocked`: no messages, no calls, no posts between them."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"


class Contact(models.Model):
    """A member I saved, under my own name for them."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "person__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "person"], name="contact_once"),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("person")), name="contact_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.name or self.person_id}"


class ContactImport(models.Model):
    """One import of a phone's address book; private to its member and deleted whole."""

    class Source(models.TextChoices):
        PICKER = "picker", _("From the phone")
        VCARD = "vcard", _("vCard file")
        CSV = "csv", _("CSV file")

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_imports")
    source = models.CharField(max_length=8, choices=Source)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.source} {self.created_at:%Y-%m-%d}"


class ImportedContact(models.Model):
    """One entry of an import: numbers in E.164, addresses lower-cased, and who it matched."""

    contact_import = models.ForeignKey(
        ContactImport, on_delete=models.CASCADE, related_name="entries"
    )
    name = models.CharField(max_length=128, blank=True)
    phones = models.JSONField(default=list)
    emails = models.JSONField(default=list)
    member = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.name or (self.phones + self.emails + ["?"])[0]


class Device(models.Model):
    """A signed-in session, as the devices page lists it: which browser, where, when last used."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_used_at"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.user_agent[:40]}"
