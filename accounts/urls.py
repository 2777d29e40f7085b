from django.urls import path

from accounts import google, views
from accounts.views import contacts as contact_views

app_name = "accounts"
urlpatterns = [
    path("contacts/", contact_views.contact_list, name="contacts"),
    path("contacts/import/", contact_views.import_page, name="contacts_import"),
    path("contacts/import/picked/", contact_views.import_picked, name="contacts_import_picked"),
    path(
        "contacts/imports/<int:import_id>/delete/",
        contact_views.delete_import,
        name="contacts_delete_import",
    ),
    path("contacts/add/<int:member_id>/", contact_views.add, name="contacts_add"),
    path("contacts/<int:contact_id>/", contact_views.edit, name="contact_edit"),
    path("contacts/invite/<int:entry_id>/", contact_views.invite, name="contact_invite"),
    path("members/<int:member_id>/", views.member, name="member"),
    path("me/", views.profile, name="profile"),
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("me/settings/", views.app_settings, name="settings"),
    path("me/privacy/", views.privacy, name="privacy"),
    path("me/status/", views.status, name="status"),
    path("me/security/", views.security, name="security"),
    path("me/devices/", views.device_list, name="devices"),
    path("me/devices/<int:device_id>/sign-out/", views.sign_out_device, name="sign_out_device"),
    path("me/devices/sign-out-others/", views.sign_out_other_devices, name="sign_out_others"),
    path("members/<int:member_id>/block/", views.block_member, name="block"),
    path("members/<int:member_id>/unblock/", views.unblock_member, name="unblock"),
    path("me/theme/", views.set_theme, name="set_theme"),
    path("me/language/", views.set_language, name="set_language"),
    path("me/avatar/", views.set_avatar, name="set_avatar"),
    path("invites/", views.invites, name="invites"),
    path("invites/<int:invite_id>/revoke/", views.revoke_invite, name="revoke_invite"),
    path("invite/<str:code>/", views.accept_invite, name="invite"),
    path("accounts/signup/phone/", views.signup_by_phone, name="signup_by_phone"),
    # Before allauth's own route on this path: the callback with Toricy's Google adapter
    # (redirect URI from PUBLIC_URL, id_token signature checked), see accounts/google.py.
    path("accounts/google/login/callback/", google.oauth2_callback, name="google_callback"),
]
