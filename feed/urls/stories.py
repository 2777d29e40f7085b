from django.urls import path

from feed.views import stories as views

app_name = "stories"
urlpatterns = [
    path("row/", views.row, name="row"),
    path("new/", views.new, name="new"),
    path("member/<int:member_id>/", views.member, name="member"),
    path("<int:story_id>/seen/", views.seen, name="seen"),
    path("<int:story_id>/viewers/", views.viewers, name="viewers"),
    path("<int:story_id>/delete/", views.delete, name="delete"),
]
