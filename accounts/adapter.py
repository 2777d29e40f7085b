from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts import services

INVITE_SESSION_KEY = "toricy_invite"


class AccountAdapter(DefaultAccountAdapter):
    """Toricy is a closed family network: sign-up needs an invite unless the owner opened it."""

    def is_open_for_signup(self, request) -> bool:
        return services.signup_is_open(request.session.get(INVITE_SESSION_KEY))

    def save_user(self, request, user, form, commit=True):
        # The invite is spent in the same transaction that creates the account: if it ran out a
        # moment ago, no account is left behind.
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=commit)
            try:
                services.record_joining(
                    user=user, invite_code=request.session.get(INVITE_SESSION_KEY)
                )
            except services.InviteRefused as refused:
                transaction.set_rollback(True)
                raise PermissionDenied from refused
        request.session.pop(INVITE_SESSION_KEY, None)
        return user
