from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import Theme, User


class OwnerSetupForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=64)
    username = forms.RegexField(
        label=_("Username"),
        max_length=32,
        regex=r"^[A-Za-z0-9_.]{3,32}$",
        error_messages={"invalid": _("3 to 32 Latin letters, digits, dots or underscores.")},
    )
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False))

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            password_validation.validate_password(data["password"], candidate)
        return data


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(choices=Theme.choices)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


class AvatarForm(forms.Form):
    avatar = forms.FileField(label=_("Photo"))


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up asks beyond email and password: the name the family sees."""

    display_name = forms.CharField(label=_("Your name"), max_length=64)

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class InviteForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(1, _("1 day")), (7, _("1 week")), (30, _("1 month"))],
        initial=7,
    )
    max_uses = forms.IntegerField(label=_("How many people"), min_value=1, max_value=50, initial=5)
