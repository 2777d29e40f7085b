from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from core import media
from core.health import HealthView
from feed import views as feed_views
from toricy import views

urlpatterns = [
    path("", feed_views.index, name="home"),
    path("feed/", include("feed.urls")),
    path("stories/", include("feed.urls.stories")),
    path("notifications/", include("notifications.urls")),
    path("chats/", include("messaging.urls")),
    path("calls/", include("calls.urls")),
    path("", include("accounts.urls")),
    path("setup/<str:token>/", accounts_views.owner_setup, name="owner_setup"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("styleguide/", views.styleguide, name="styleguide"),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("media/<path:name>", media.serve, name="media"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("", include("bots.urls")),
]
