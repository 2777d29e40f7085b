from django.urls import path

from calls import views

app_name = "calls"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("live/", views.live, name="live"),
    path("<int:call_id>/join/", views.join, name="join"),
    path("<int:call_id>/decline/", views.decline, name="decline"),
    path("<int:call_id>/leave/", views.leave, name="leave"),
    path("<int:call_id>/ice/", views.ice, name="ice"),
]
