"""The two sign-up forms, built on allauth's (apart from accounts.forms, which allauth imports)."""

from allauth.account import forms as allauth_forms
from allauth.account.forms import SignupForm
from allauth.account.utils import filter_users_by_email
from django import forms
from django.utils.translation import gettext_lazy as _


class EmailSignupForm(SignupForm):
    """Email and password; the phone can be added later in the settings."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("phone", None)
        self._has_phone_field = False


class PhoneSignupForm(SignupForm):
    """A phone number alone: the code sent to it proves it, and signs in from then on."""

    def __init__(self, *args, **kwargs):
        kwargs["email_required"] = False
        super().__init__(*args, **kwargs)
        for name in ("email", "email2", "password1", "password2"):
            self.fields.pop(name, None)
        self.fields["phone"].required = True
        self.order_fields(["display_name", "phone"])


class AddEmailForm(allauth_forms.AddEmailForm):
    """Adding an address another member already uses is refused, plainly: inside the family
    there is nothing to hide, and a silent "we sent a mail" would only confuse."""

    def clean_email(self) -> str:
        email = super().clean_email()
        if any(other.pk != self.user.pk for other in filter_users_by_email(email)):
            raise forms.ValidationError(
                _("Another member already signs in with this email."), code="email_taken"
            )
        return email


class ChangePhoneForm(allauth_forms.ChangePhoneForm):
    def clean_phone(self) -> str:
        phone = super().clean_phone()
        if self.account_already_exists:
            raise forms.ValidationError(
                _("Another member already signs in with this phone number."), code="phone_taken"
            )
        return phone
