import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import services, sms
from accounts.models import User

INVITE_SESSION_KEY = "toricy_invite"
logger = logging.getLogger(__name__)


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

    # --- Phone numbers (allauth keeps none itself: they live on accounts.User) -------------------
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Links in mails point at the address the family types, whatever host a proxy shows.
        super().send_mail(template_prefix, email, {**context, "public_url": settings.PUBLIC_URL})

    def get_login_stages(self) -> list[str]:
        stages = super().get_login_stages()
        return [
            "accounts.stages.EmailVerificationStage"
            if stage == "allauth.account.stages.EmailVerificationStage"
            else stage
            for stage in stages
        ]

    def phone_form_field(self, **kwargs):
        from accounts.forms import PhoneField

        return PhoneField(**kwargs)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user) -> tuple[str, bool] | None:
        if not user.phone:
            return None
        return str(user.phone), user.phone_verified

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        return User.objects.filter(phone=phone).order_by("pk").first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        self._send_sms(
            phone, _("Toricy code: %(code)s. Do not tell it to anyone.") % {"code": code}
        )

    def _send_sms(self, phone: str, text: str) -> None:
        """A provider that fails must not turn into an error page: say so, and log why."""
        try:
            sms.send(phone, text)
        except sms.SMSError:
            logger.exception("SMS to %s… was not sent", str(phone)[:5])
            messages.error(self.request, _("We could not send the SMS. Try again in a minute."))

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        """Nothing is sent to a number no member has: texts cost money, and a form that sends
        them to any number typed in is a tool for SMS-pumping fraud. The page looks the same."""

    def send_account_already_exists_sms(self, phone: str) -> None:
        self._send_sms(
            phone, _("You already have a Toricy account with this number: just sign in.")
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Google sign-up follows the same rule as every other path: an invite, or open doors."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return services.signup_is_open(request.session.get(INVITE_SESSION_KEY))

    def get_provider(self, request, provider, client_id=None):
        # Toricy's Google provider: callback from PUBLIC_URL, id_token signature always checked.
        from accounts import google

        found = super().get_provider(request, provider, client_id=client_id)
        if type(found) is google.AllauthGoogleProvider:
            return google.GoogleProvider(request, app=found.app)
        return found

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = sociallogin.account.extra_data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.display_name = (name or "").strip()[: User._meta.get_field("display_name").max_length]
        return user

    def save_user(self, request, sociallogin, form=None):
        # As in AccountAdapter.save_user: the invite is spent in the transaction that creates the
        # account, so a refused invite leaves no account (nor a linked Google account) behind.
        # With a form (Google gave no email), allauth calls AccountAdapter.save_user, which
        # spends the invite itself.
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form=form)
            if form is None:
                try:
                    services.record_joining(
                        user=user, invite_code=request.session.get(INVITE_SESSION_KEY)
                    )
                except services.InviteRefused as refused:
                    transaction.set_rollback(True)
                    raise PermissionDenied from refused
        request.session.pop(INVITE_SESSION_KEY, None)
        return user
