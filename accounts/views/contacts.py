"""The contacts page, importing the phone's address book, and inviting who is not here yet."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import address_book, selectors, services
from accounts.selectors import contacts as contact_selectors
from accounts.services import contacts as contact_services


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("A .vcf or .csv file"))


class NameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=64, required=False)


@login_required
def contact_list(request):
    me = request.user
    return render(
        request,
        "accounts/contacts.html",
        {
            "saved": contact_selectors.saved(me),
            "suggestions": contact_selectors.suggestions(me),
            "others": contact_selectors.everyone_else(me),
            "not_here": contact_selectors.not_in_toricy(me)[:200],
            "has_imports": contact_selectors.imports_of(me).exists(),
        },
    )


@login_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > address_book.MAX_BYTES:
                raise address_book.ImportRefused(_("The file is too big: up to 2 MB, please."))
            source, entries = address_book.read_file(
                upload.name, upload.read(address_book.MAX_BYTES + 1)
            )
        except address_book.ImportRefused as refused:
            form.add_error("file", str(refused))
        else:
            done = contact_services.import_contacts(
                owner=request.user, source=source, entries=entries, filename=upload.name
            )
            imported_message(request, done)
            return redirect("accounts:contacts")
    return render(
        request,
        "accounts/contacts_import.html",
        {"form": form, "imports": contact_selectors.imports_of(request.user)},
    )


@login_required
@require_POST
def import_picked(request):
    """The Contact Picker's choice, as JSON: [{"name": [...], "tel": [...], "email": [...]}].

    What cannot be read is refused (ImportRefused) and the middleware answers {"error": ...}.
    """
    entries = address_book.read_picked(request.body)
    done = contact_services.import_contacts(owner=request.user, source="picker", entries=entries)
    imported_message(request, done)
    return JsonResponse({"redirect": reverse("accounts:contacts")})


def imported_message(request, done) -> None:
    found = done.entries.exclude(member=None).count()
    messages.success(
        request,
        _("Imported %(count)d contacts; %(found)d of them are in Toricy.")
        % {"count": done.entries.count(), "found": found},
    )


@login_required
@require_POST
def delete_import(request, import_id: int):
    contact_services.delete_import(
        contact_import=contact_selectors.import_of(request.user, import_id)
    )
    messages.success(request, _("The import is deleted."))
    return redirect("accounts:contacts_import")


@login_required
@require_POST
def add(request, member_id: int):
    person = selectors.member_for(request.user, member_id)
    if person.pk == request.user.pk:
        raise Http404
    form = NameForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    contact_services.add_contact(owner=request.user, person=person, name=name)
    messages.success(request, _("%(name)s is in your contacts.") % {"name": name or person.name})
    return redirect(request.POST.get("next") == "member" and person or "accounts:contacts")


@login_required
def edit(request, contact_id: int):
    contact = contact_selectors.contact_of(request.user, contact_id)
    form = NameForm(request.POST or None, initial={"name": contact.name})
    if request.method == "POST":
        if "remove" in request.POST:
            contact_services.remove_contact(contact=contact)
            messages.success(request, _("The contact is removed."))
            return redirect("accounts:contacts")
        if form.is_valid():
            contact_services.rename_contact(contact=contact, name=form.cleaned_data["name"])
            messages.success(request, _("The contact is saved."))
            return redirect("accounts:contacts")
    person = selectors.member_for(request.user, contact.person_id)
    return render(
        request, "accounts/contact_edit.html", {"form": form, "contact": contact, "person": person}
    )


@login_required
def invite(request, entry_id: int):
    """Invite someone from my phone book: by SMS, by mail, or any way the phone shares."""
    entry = contact_selectors.entry_of(request.user, entry_id)
    may = services.may_invite(request.user)
    link = selectors.usable_invites().filter(created_by=request.user).first()
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        link = link or services.create_invite(by=request.user, days=7, max_uses=5)
        return redirect("accounts:contact_invite", entry_id=entry.pk)
    url = request.build_absolute_uri(link.get_absolute_url()) if link else ""
    text = _("Join our family in Toricy: %(url)s") % {"url": url}
    return render(
        request,
        "accounts/contact_invite.html",
        {
            "entry": entry,
            "may_invite": may,
            "url": url,
            "text": text,
            "sms_links": [(phone, f"sms:{phone}?body={quote(text)}") for phone in entry.phones],
            "mail_links": [
                (
                    email,
                    f"mailto:{email}?subject={quote(_('An invite to Toricy'))}&body={quote(text)}",
                )
                for email in entry.emails
            ],
        },
    )
