from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("contacts/", views.contacts, name="contacts"),
    path("members/<int:member_id>/", views.member, name="member"),
    path("me/", views.profile, name="profile"),
    path("me/theme/", views.set_theme, name="set_theme"),
    path("me/language/", views.set_language, name="set_language"),
    path("me/avatar/", views.set_avatar, name="set_avatar"),
    path("invites/", views.invites, name="invites"),
    path("invites/<int:invite_id>/revoke/", views.revoke_invite, name="revoke_invite"),
    path("invite/<str:code>/", views.accept_invite, name="invite"),
]
