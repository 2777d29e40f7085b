from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.index, name="index"),
    path("saved/", views.open_saved, name="saved"),
    path("with/<int:member_id>/", views.open_direct, name="direct"),
    path("<int:chat_id>/", views.chat, name="chat"),
    path("<int:chat_id>/messages/", views.history, name="history"),
    path("<int:chat_id>/send/", views.send, name="send"),
    path("<int:chat_id>/read/", views.read, name="read"),
    path("<int:chat_id>/delivered/", views.delivered, name="delivered"),
    path("<int:chat_id>/draft/", views.draft, name="draft"),
    path("<int:chat_id>/settings/", views.chat_settings, name="chat_settings"),
    path("messages/<int:message_id>/edit/", views.edit_message, name="edit_message"),
    path("messages/<int:message_id>/delete/", views.delete_message, name="delete_message"),
    path("messages/<int:message_id>/react/", views.react, name="react"),
    path("messages/<int:message_id>/pin/", views.pin_message, name="pin_message"),
    path("messages/<int:message_id>/forward/", views.forward_message, name="forward_message"),
    path("messages/<int:message_id>/readers/", views.readers, name="readers"),
]
