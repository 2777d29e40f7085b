import json

from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.adapter import INVITE_SESSION_KEY
from accounts.forms import (
    AppSettingsForm,
    AvatarForm,
    InviteForm,
    LanguageForm,
    OwnerSetupForm,
    PrivacyForm,
    ProfileForm,
    StatusForm,
    ThemeForm,
)
from accounts.models import Contact
from accounts.selectors import devices as device_selectors
from accounts.services import devices as device_services
from accounts.signup_forms import PhoneSignupForm
from core.media import MediaError
from core.qr import qr_data_uri


def owner_setup(request, token: str):
    """The first-run page: the link printed by `make run` creates the owner, once."""
    if not services.owner_setup_link_is_valid(token):
        raise Http404
    form = OwnerSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            owner = services.create_owner(token=token, **form.cleaned_data)
        except services.SetupLinkInvalid as exc:
            raise Http404 from exc
        login(request, owner, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Toricy. You are its owner."))
        return redirect("home")
    return render(request, "accounts/owner_setup.html", {"form": form})


@login_required
def member(request, member_id: int):
    person = selectors.member_for(request.user, member_id)
    return render(
        request,
        "accounts/member.html",
        {
            "person": person,
            "show_phone": person.phone
            and selectors.allows(person, request.user, person.phone_visible_to),
            "show_email": person.email
            and selectors.allows(person, request.user, person.email_visible_to),
            "show_birthday": person.birthday
            and selectors.allows(person, request.user, person.birthday_visible_to),
            "my_contact": Contact.objects.filter(owner=request.user, person=person).first(),
        },
    )


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "person": selectors.members(request.user).get(pk=request.user.pk),
            "avatar_form": AvatarForm(),
        },
    )


@login_required
def edit_profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, form=form)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/edit_profile.html", {"form": form})


@login_required
def app_settings(request):
    """Appearance and chats: saved on the server, so every device of the member follows."""
    form = AppSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            services.update_settings(user=request.user, form=form)
            if request.htmx:
                return HttpResponse(status=204)
            messages.success(request, _("Settings are saved."))
            return redirect("accounts:settings")
        if request.htmx:
            return HttpResponse(_("Could not save. Try again."), status=422)
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "language_form": LanguageForm(initial={"language": request.user.language}),
            "person": request.user,
        },
    )


@login_required
def privacy(request):
    form = PrivacyForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_settings(user=request.user, form=form)
        messages.success(request, _("Privacy settings are saved."))
        return redirect("accounts:privacy")
    return render(
        request,
        "accounts/privacy.html",
        {"form": form, "blocked": selectors.blocked_by(request.user)},
    )


@login_required
def status(request):
    """A custom status: a few words and an icon, cleared when its time is up."""
    current = request.user.current_status
    initial = {"text": current[0], "icon": current[1]} if current else {}
    form = StatusForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "clear" in request.POST:
            services.clear_status(user=request.user)
            messages.success(request, _("The status is cleared."))
            return redirect("accounts:profile")
        if form.is_valid():
            services.set_status(user=request.user, **form.cleaned_data)
            messages.success(request, _("The status is set."))
            return redirect("accounts:profile")
    return render(request, "accounts/status.html", {"form": form, "current": current})


@login_required
@require_POST
def block_member(request, member_id: int):
    person = selectors.member_for(request.user, member_id)
    if person.pk == request.user.pk:
        raise Http404
    services.block(blocker=request.user, blocked=person)
    messages.success(request, _("%(name)s is blocked.") % {"name": person.name})
    return redirect(person)


@login_required
@require_POST
def unblock_member(request, member_id: int):
    person = selectors.member_for(request.user, member_id)
    services.unblock(blocker=request.user, blocked=person)
    messages.success(request, _("%(name)s is unblocked.") % {"name": person.name})
    return redirect(request.POST.get("next") == "privacy" and "accounts:privacy" or person)


@login_required
def security(request):
    """Every way I sign in, in one place: email, phone, Google, passkeys, password, devices."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    return render(
        request,
        "accounts/security.html",
        {
            "emails": EmailAddress.objects.filter(user=request.user),
            "google": SocialAccount.objects.filter(user=request.user, provider="google").count(),
            "passkeys": Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.WEBAUTHN
            ).count(),
        },
    )


@login_required
@require_POST
def set_theme(request):
    form = ThemeForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown theme."), status=422)
    services.set_theme(user=request.user, theme=form.cleaned_data["theme"])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Trigger"] = json.dumps({"theme-changed": request.user.theme})
        return response
    return redirect("accounts:profile")


@login_required
@require_POST
def set_language(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown language."), status=422)
    services.set_language(user=request.user, language=form.cleaned_data["language"])
    response = redirect("accounts:settings")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        request.user.language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
    )
    return response


@login_required
@require_POST
def set_avatar(request):
    """The photo, framed in the browser (a fetch: 204, the page reloads) or sent as it is."""
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_avatar(user=request.user, upload=form.cleaned_data["avatar"])
        except MediaError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your photo is updated."))
    else:
        messages.error(request, _("Choose a photo first."))
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("accounts:profile")


# --- Invites ---------------------------------------------------------------------------------
@login_required
def invites(request):
    """My invite links: create one, share it as a link or a QR code, revoke it."""
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not services.may_invite(request.user):
            raise PermissionDenied
        if form.is_valid():
            invite = services.create_invite(by=request.user, **form.cleaned_data)
            messages.success(request, _("The invite link is ready. Share it with your family."))
            return redirect(f"{reverse('accounts:invites')}#invite-{invite.pk}")
    mine = [
        (invite, request.build_absolute_uri(invite.get_absolute_url()))
        for invite in selectors.invites_of(request.user)[:20]
    ]
    return render(
        request,
        "accounts/invites.html",
        {
            "form": form,
            "may_invite": services.may_invite(request.user),
            "invites": [(invite, url, qr_data_uri(url)) for invite, url in mine],
            "usable_ids": set(
                selectors.usable_invites()
                .filter(created_by=request.user)
                .values_list("pk", flat=True)
            ),
        },
    )


@login_required
@require_POST
def revoke_invite(request, invite_id: int):
    services.revoke_invite(invite=selectors.invite_of(request.user, invite_id))
    messages.success(request, _("The invite no longer works."))
    return redirect("accounts:invites")


def accept_invite(request, code: str):
    """The page an invite link opens: remember the invite, then sign up in any way."""
    invite = selectors.usable_invite(code)
    if invite is None:
        return render(request, "accounts/invite_expired.html", status=404)
    request.session[INVITE_SESSION_KEY] = invite.code
    return render(request, "accounts/invite.html", {"invite": invite})


class PhoneSignupView(AllauthSignupView):
    """Sign-up with a phone number alone: allauth's sign-up, with the phone form."""

    def get_form_class(self):
        return PhoneSignupForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"by_phone": True}


signup_by_phone = PhoneSignupView.as_view()


# --- Devices ----------------------------------------------------------------------------------
@login_required
def device_list(request):
    device_services.forget_ended_sessions(user=request.user)
    return render(
        request,
        "accounts/devices.html",
        {"devices": device_selectors.devices_of(request.user, request.session.session_key)},
    )


@login_required
@require_POST
def sign_out_device(request, device_id: int):
    device = device_selectors.device_of(request.user, device_id)
    if device.session_key == request.session.session_key:
        raise Http404  # this device signs out with the usual button
    device_services.sign_out(device=device)
    messages.success(request, _("The device is signed out."))
    return redirect("accounts:devices")


@login_required
@require_POST
def sign_out_other_devices(request):
    count = device_services.sign_out_others(
        user=request.user, current_key=request.session.session_key
    )
    messages.success(
        request,
        ngettext("%(count)d device is signed out.", "%(count)d devices are signed out.", count)
        % {"count": count},
    )
    return redirect("accounts:devices")
