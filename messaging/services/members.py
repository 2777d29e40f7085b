"""Who is in a chat and with which role: seats, admins, adding, removing, leaving, joining."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as accounts_selectors
from accounts.models import User
from core import realtime
from core.errors import Refused
from messaging import events, selectors
from messaging.models import Chat, Membership
from messaging.services.publishing import chat_changed, system_message


def default_role(chat: Chat) -> str:
    return Membership.Role.SUBSCRIBER if chat.is_channel else Membership.Role.MEMBER


def seat(*, chat: Chat, user: User, role: str | None = None) -> tuple[Membership, bool]:
    """Give `user` a seat in `chat`: a new membership, or the one they left re-opened.

    Returns (membership, seated): `seated` is False when they were in the chat already (nothing
    changes then). A re-opened seat starts again with the chat's default role and a new
    `joined_at`; the read mark, draft and settings of before stay.
    """
    role = role or default_role(chat)
    membership, created = Membership.objects.get_or_create(
        chat=chat, user=user, defaults={"role": role}
    )
    if created:
        return membership, True
    if membership.is_active:
        return membership, False
    membership.left_at = None
    membership.role = role
    membership.joined_at = timezone.now()
    membership.save(update_fields=["left_at", "role", "joined_at"])
    return membership, True


def active_membership(chat: Chat, person: User) -> Membership:
    """`person`'s seat in `chat`; 404 if they are not in it."""
    membership = Membership.objects.active().filter(chat=chat, user=person).first()
    if membership is None:
        raise Http404
    return membership


# The name the views and other apps used before the split.
get_membership = active_membership


def admin_membership(user: User, chat: Chat) -> Membership:
    """The seat of an admin of a group or channel; 404 for a non-member, Refused for the rest."""
    membership = active_membership(chat, user)
    if not chat.has_roles or not membership.is_admin:
        raise Refused(_("Only the chat's admins can do this."))
    return membership


def may_add(*, adder: User, person: User) -> bool:
    """Whether `person`'s privacy lets `adder` put them into a group."""
    if person.pk == adder.pk:
        return True
    if accounts_selectors.is_blocked_between(adder, person):
        return False
    return accounts_selectors.allows(person, adder, person.who_may_add_to_groups)


@transaction.atomic
def add_members(
    *, by: User, chat: Chat, people: Iterable[User], announce: bool = True
) -> list[User]:
    """Add members an admin chose; those whose privacy refuses it are skipped (and returned not)."""
    admin_membership(by, chat)
    added: list[User] = []
    for person in people:
        if person.pk == by.pk or not person.is_active or not may_add(adder=by, person=person):
            continue
        _membership, seated = seat(chat=chat, user=person)
        if seated:
            added.append(person)
    if added and announce:
        names = ", ".join(person.name for person in added)
        system_message(chat, by, _("%(name)s added %(names)s") % {"name": by.name, "names": names})
        chat_changed(chat)
    return added


@transaction.atomic
def remove_member(*, by: User, chat: Chat, person: User) -> None:
    """An admin removes someone: from this moment they receive nothing of the chat."""
    admin = admin_membership(by, chat)
    membership = active_membership(chat, person)
    if membership.role == Membership.Role.OWNER or (
        membership.is_admin and admin.role != Membership.Role.OWNER
    ):
        raise Refused(_("This member cannot be removed."))
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    realtime.publish([person.pk], events.chat_removed(chat_id=chat.pk))
    system_message(
        chat, by, _("%(name)s removed %(other)s") % {"name": by.name, "other": person.name}
    )


@transaction.atomic
def leave_chat(*, user: User, chat: Chat) -> None:
    """Leave a group or channel (not the family chat, nor a direct chat)."""
    membership = selectors.membership_for(user, chat.pk)
    if not chat.has_roles:
        raise Refused(_("You cannot leave this chat."))
    if membership.role == Membership.Role.OWNER:
        successor = (
            Membership.objects.active()
            .filter(chat=chat)
            .exclude(user=user)
            .order_by(F("role").asc(), "joined_at")
            .first()
        )
        if successor is not None:
            successor.role = Membership.Role.OWNER
            successor.save(update_fields=["role"])
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    realtime.publish([user.pk], events.chat_removed(chat_id=chat.pk))
    if not chat.is_channel:
        system_message(chat, user, _("%(name)s left the chat") % {"name": user.name})


@transaction.atomic
def join_chat(*, user: User, chat: Chat) -> Membership:
    """Join by an invite link, or subscribe to a listed channel."""
    membership, seated = seat(chat=chat, user=user)
    if seated and not chat.is_channel:
        system_message(chat, user, _("%(name)s joined the chat") % {"name": user.name})
    chat_changed(chat, [user.pk])
    return membership


@transaction.atomic
def set_role(*, by: User, chat: Chat, person: User, admin: bool) -> Membership:
    owner = admin_membership(by, chat)
    if owner.role != Membership.Role.OWNER:
        raise Refused(_("Only the chat's owner can do this."))
    membership = active_membership(chat, person)
    if membership.role == Membership.Role.OWNER:
        raise Refused(_("This member cannot be changed."))
    membership.role = Membership.Role.ADMIN if admin else default_role(chat)
    membership.save(update_fields=["role"])
    chat_changed(chat)
    return membership
