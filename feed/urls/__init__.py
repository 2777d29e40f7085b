from django.urls import path

from feed.views import posts as views
from feed.views import share

app_name = "feed"
urlpatterns = [
    path("", views.index, name="index"),
    path("posts/new/", views.create_post, name="create"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", views.edit_post, name="edit"),
    path("posts/<int:post_id>/delete/", views.delete_post, name="delete"),
    path("posts/<int:post_id>/hide/", views.hide_post, name="hide"),
    path("posts/<int:post_id>/like/", views.like, name="like"),
    path("posts/<int:post_id>/likes/", views.likers, name="likers"),
    path("posts/<int:post_id>/comments/", views.comments, name="comments"),
    path("posts/<int:post_id>/comments/new/", views.add_comment, name="comment"),
    path("posts/<int:post_id>/report/", views.report, name="report"),
    path("posts/<int:post_id>/save/", views.save, name="save"),
    path("posts/<int:post_id>/share/", share.share, name="share"),
    path("comments/<int:comment_id>/edit/", views.edit_comment, name="edit_comment"),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete_comment"),
    path("comments/<int:comment_id>/report/", views.report, name="report_comment"),
    path("favourites/", views.favourites, name="favourites"),
    path("favourites/<int:folder_id>/", views.favourites, name="folder"),
    path("favourites/folders/new/", views.folder_action, name="folder_create"),
    path("favourites/folders/<int:folder_id>/", views.folder_action, name="folder_action"),
    path("members/<int:member_id>/posts/", views.member_posts, name="member_posts"),
]
