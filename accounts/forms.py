from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField as PhoneNumberFormField

from accounts.models import StatusIcon, Theme, User


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


class PhoneField(PhoneNumberFormField):
    """A phone number as people write it (8 912 ..., +7 (912) ...), cleaned to E.164 text."""

    default_error_messages = {
        "invalid": _("Enter a phone number, for example +7 912 345-67-89."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("region", settings.PHONENUMBER_DEFAULT_REGION)
        kwargs.setdefault("label", _("Phone number"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        number = super().to_python(value)
        return number.as_e164 if number else ""


class ProfileForm(forms.ModelForm):
    """Who I am to the family: name, username, a few words, birthday."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=32,
        regex=r"^[A-Za-z0-9_.]{3,32}$",
        error_messages={"invalid": _("3 to 32 Latin letters, digits, dots or underscores.")},
    )

    class Meta:
        model = User
        fields = ["display_name", "username", "bio", "birthday"]
        labels = {"display_name": _("Name"), "bio": _("About me"), "birthday": _("Birthday")}
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "birthday": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the name the family knows you by."))
        return name

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        taken = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class AppSettingsForm(forms.ModelForm):
    """How Toricy looks and behaves for me, on every device."""

    class Meta:
        model = User
        fields = ["theme", "accent", "text_size", "chat_background", "enter_sends", "sounds"]


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "last_seen_visible_to",
            "phone_visible_to",
            "email_visible_to",
            "birthday_visible_to",
            "who_may_find_me",
            "who_may_call",
            "who_may_add_to_groups",
        ]
        labels = {
            "last_seen_visible_to": _("Who sees when I was online"),
            "phone_visible_to": _("Who sees my phone number"),
            "email_visible_to": _("Who sees my email"),
            "birthday_visible_to": _("Who sees my birthday"),
            "who_may_find_me": _("Who may find me by my number or email"),
            "who_may_call": _("Who may call me"),
            "who_may_add_to_groups": _("Who may add me to groups"),
        }


class StatusForm(forms.Form):
    """A custom status: a few words and an icon, for a while."""

    UNTIL_CHOICES = [
        ("30m", _("30 minutes")),
        ("1h", _("1 hour")),
        ("today", _("Until the end of the day")),
        ("week", _("This week")),
        ("never", _("Until I clear it")),
    ]

    text = forms.CharField(label=_("Status"), max_length=70, required=False)
    icon = forms.ChoiceField(label=_("Icon"), choices=StatusIcon.choices, required=False)
    until = forms.ChoiceField(label=_("Clear after"), choices=UNTIL_CHOICES, initial="never")

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("icon"):
            raise forms.ValidationError(_("Write a few words or choose an icon."))
        return data
