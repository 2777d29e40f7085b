from django.urls import path

from messaging import views
from messaging.views import communities, folders, manage, search, stickers

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
    path("messages/<int:message_id>/listened/", views.voice_listened, name="voice_listened"),
    # Groups and channels
    path("new/<str:kind>/", manage.new_chat, name="new_chat"),
    path("<int:chat_id>/info/", manage.chat_info, name="chat_info"),
    path("<int:chat_id>/info/edit/", manage.edit_chat, name="edit_chat"),
    path("<int:chat_id>/info/photo/", manage.chat_photo, name="chat_photo"),
    path("<int:chat_id>/members/add/", manage.add_members, name="add_members"),
    path(
        "<int:chat_id>/members/<int:member_id>/remove/",
        manage.remove_member,
        name="remove_member",
    ),
    path("<int:chat_id>/members/<int:member_id>/admin/", manage.set_admin, name="set_admin"),
    path("<int:chat_id>/invite/reset/", manage.reset_invite, name="reset_invite"),
    path("<int:chat_id>/leave/", manage.leave, name="leave"),
    path("join/<str:code>/", manage.join, name="join"),
    path("directory/", manage.directory, name="directory"),
    path("channels/<int:chat_id>/subscribe/", manage.subscribe, name="subscribe"),
    # Communities
    path("communities/new/", communities.new_community, name="new_community"),
    path("communities/<int:community_id>/", communities.community, name="community"),
    path(
        "communities/<int:community_id>/join/",
        communities.join_community,
        name="join_community",
    ),
    path("communities/<int:community_id>/attach/", communities.attach_chat, name="attach_chat"),
    path(
        "communities/<int:community_id>/chats/<int:chat_id>/join/",
        communities.join_community_chat,
        name="join_community_chat",
    ),
    # Folders
    path("folders/", folders.folders, name="folders"),
    path("folders/<int:folder_id>/", folders.folder, name="folder"),
    path("folders/<int:folder_id>/move/", folders.move_folder, name="move_folder"),
    path("folders/<int:folder_id>/delete/", folders.delete_folder, name="delete_folder"),
    # Stickers
    path("<int:chat_id>/sticker/", stickers.send, name="send_sticker"),
    path("stickers/", stickers.picker, name="sticker_picker"),
    path("stickers/packs/new/", stickers.new_pack, name="new_sticker_pack"),
    path("stickers/packs/<int:pack_id>/", stickers.pack, name="sticker_pack"),
    path("stickers/packs/<int:pack_id>/add/", stickers.add_pack, name="add_sticker_pack"),
    # Search
    path("search/", search.search_messages, name="search"),
]
