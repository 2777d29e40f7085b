from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "actor", "text", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "text")
    raw_id_fields = ("recipient", "actor")
