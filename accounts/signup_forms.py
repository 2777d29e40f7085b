"""The two sign-up forms, built on allauth's (apart from accounts.forms, which allauth imports)."""

from allauth.account.forms import SignupForm


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
