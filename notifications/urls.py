from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:notification_id>/", views.open_notification, name="open"),
    path("read/", views.read_all, name="read_all"),
    path("count/", views.count, name="count"),
]
