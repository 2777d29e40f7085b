from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    SYSTEM = "system", _("As on the device")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


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
