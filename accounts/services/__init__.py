"""Every write about members: presence, the owner's first-run set-up, settings, avatars."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts import events, hooks, selectors
from accounts.models import (
    Block,
    Connection,
    FamilySettings,
    Invite,
    Joined,
    OwnerSetupLink,
    Theme,
    User,
)
from core import media, realtime


# --- Presence -----------------------------------------------------------------------------------
@transaction.atomic
def socket_opened(*, user: User, channel_name: str) -> None:
    """Count a new tab; the first one makes the member online for the family."""
    was_online = selectors.is_online(user.pk)
    Connection.objects.update_or_create(
        channel_name=channel_name, defaults={"user": user, "seen_at": timezone.now()}
    )
    if not was_online:
        realtime.publish(
            selectors.presence_audience_ids(user),
            events.presence_changed(user_id=user.pk, online=True, last_seen_at=None),
            durable=False,
        )


def socket_pinged(*, channel_name: str) -> None:
    Connection.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


@transaction.atomic
def socket_closed(*, user: User, channel_name: str) -> None:
    """Forget a tab; when the last one goes, remember when the member was last seen."""
    Connection.objects.filter(channel_name=channel_name).delete()
    if selectors.is_online(user.pk):
        return
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(last_seen_at=now)
    realtime.publish(
        selectors.presence_audience_ids(user),
        events.presence_changed(user_id=user.pk, online=False, last_seen_at=now),
        durable=False,
    )


def sweep_stale_connections(*, everything: bool = False) -> int:
    """Close the books on sockets whose process died: last seen becomes their last ping.

    `everything` is for a start of the single-process embedded mode, where no socket survives.
    """
    stale = Connection.objects.all()
    if not everything:
        stale = stale.filter(seen_at__lt=selectors.fresh_since())
    last_pings = dict(
        stale.values("user").annotate(last=Max("seen_at")).values_list("user", "last")
    )
    count, _ = stale.delete()
    for user in User.objects.filter(pk__in=last_pings):
        if selectors.is_online(user.pk):
            continue
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(last_seen_at=last_pings[user.pk])
            realtime.publish(
                selectors.presence_audience_ids(user),
                events.presence_changed(
                    user_id=user.pk, online=False, last_seen_at=last_pings[user.pk]
                ),
                durable=False,
            )
    return count


# --- The owner's first-run link -----------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def owner_exists() -> bool:
    return User.objects.filter(is_superuser=True).exists()


@transaction.atomic
def issue_owner_setup_token() -> str | None:
    """A fresh one-time token for creating the owner, or None once an owner exists."""
    if owner_exists():
        return None
    OwnerSetupLink.objects.filter(used_at=None).delete()
    token = secrets.token_urlsafe(32)
    OwnerSetupLink.objects.create(token_hash=_hash(token))
    return token


def owner_setup_link_is_valid(token: str) -> bool:
    return (
        not owner_exists()
        and OwnerSetupLink.objects.filter(token_hash=_hash(token), used_at=None).exists()
    )


class SetupLinkInvalid(Exception):
    pass


@transaction.atomic
def create_owner(
    *, token: str, username: str, email: str, password: str, display_name: str
) -> User:
    """Spend the one-time link on the owner's account: staff and superuser."""
    link = (
        OwnerSetupLink.objects.select_for_update()
        .filter(token_hash=_hash(token), used_at=None)
        .first()
    )
    if link is None or owner_exists():
        raise SetupLinkInvalid
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    owner = User.objects.create_superuser(
        username=username, email=email, password=password, display_name=display_name
    )
    # The owner holds the server; their address is taken as it is typed, not mailed a code first.
    EmailAddress.objects.create(user=owner, email=email, primary=True, verified=True)
    _announce_joining(owner)
    return owner


# --- Settings and profile -----------------------------------------------------------------------
def set_theme(*, user: User, theme: str) -> User:
    user.theme = Theme(theme)
    user.save(update_fields=["theme"])
    return user


def set_language(*, user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def set_avatar(*, user: User, upload) -> User:
    """Re-encode the photo (EXIF and location gone, size bounded) and make it the avatar."""
    old = user.avatar.name if user.avatar else ""
    user.avatar = media.save_image(upload, folder="avatars", max_side=512, square=True)
    user.save(update_fields=["avatar"])
    if old:
        transaction.on_commit(lambda: media.delete(old))
    return user


# --- Invites: a closed family network -----------------------------------------------------------
class InviteRefused(Exception):
    """The member may not create invites (the owner has not allowed members to)."""


def may_invite(user: User) -> bool:
    return user.is_active and (user.is_superuser or FamilySettings.current().members_may_invite)


def create_invite(*, by: User, days: int = 7, max_uses: int = 5) -> Invite:
    """A new link for `max_uses` people, valid for `days` days."""
    if not may_invite(by):
        raise InviteRefused
    return Invite.objects.create(
        code=secrets.token_urlsafe(12),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=max_uses,
    )


def revoke_invite(*, invite: Invite) -> Invite:
    invite.revoked_at = invite.revoked_at or timezone.now()
    invite.save(update_fields=["revoked_at"])
    return invite


def signup_is_open(invite_code: str | None) -> bool:
    """May someone sign up now: registration is open, or they hold a usable invite."""
    return (
        FamilySettings.current().registration_open
        or selectors.usable_invite(invite_code) is not None
    )


@transaction.atomic
def record_joining(*, user: User, invite_code: str | None) -> None:
    """Spend one use of the invite the new member came with (checked again under a lock)."""
    invite = None
    if invite_code:
        invite = (
            Invite.objects.select_for_update()
            .filter(pk__in=selectors.usable_invites().filter(code=invite_code).values("pk"))
            .first()
        )
    if invite is None and not FamilySettings.current().registration_open:
        raise InviteRefused
    if invite is not None:
        invite.use_count += 1
        invite.save(update_fields=["use_count"])
    Joined.objects.create(user=user, invite=invite)
    _announce_joining(user)


def _announce_joining(user: User) -> None:
    transaction.on_commit(lambda: hooks.member_joined.send(sender=User, user=user))


# --- Profile, settings, privacy, statuses -------------------------------------------------------
def update_profile(*, user: User, form) -> User:
    """Save the profile form; the family sees the new name and photo on their next page."""
    form.save()
    return user


def update_settings(*, user: User, form) -> User:
    form.save()
    return user


def status_until(choice: str, now=None) -> "timezone.datetime | None":
    """When a status chosen "for 30 minutes", "today", ... stops showing."""
    now = timezone.localtime(now or timezone.now())
    if choice == "30m":
        return now + timedelta(minutes=30)
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "today":
        return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if choice == "week":
        monday = (now + timedelta(days=7 - now.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return monday
    return None


@transaction.atomic
def set_status(*, user: User, text: str, icon: str, until: str) -> User:
    user.status_text = text.strip()
    user.status_icon = icon
    user.status_until = status_until(until)
    user.save(update_fields=["status_text", "status_icon", "status_until"])
    realtime.publish(
        selectors.presence_audience_ids(user),
        events.status_changed(user=user),
        durable=False,
    )
    return user


@transaction.atomic
def clear_status(*, user: User) -> User:
    user.status_text, user.status_icon, user.status_until = "", "", None
    user.save(update_fields=["status_text", "status_icon", "status_until"])
    realtime.publish(
        selectors.presence_audience_ids(user), events.status_changed(user=user), durable=False
    )
    return user


def clear_expired_statuses(now=None) -> int:
    """Beat task: empty the statuses whose time is up (pages already hide them on read)."""
    return User.objects.filter(status_until__lte=now or timezone.now()).update(
        status_text="", status_icon="", status_until=None
    )


class CannotBlock(Exception):
    pass


def block(*, blocker: User, blocked: User) -> None:
    if blocker.pk == blocked.pk:
        raise CannotBlock
    Block.objects.get_or_create(blocker=blocker, blocked=blocked)


def unblock(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
