from django.urls import path

from calls import views

app_name = "calls"
urlpatterns = [path("", views.index, name="index")]
