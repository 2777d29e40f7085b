"""The owner's tools for messaging: sticker packs and who may add them."""

from django.contrib import admin

from messaging.models import Sticker, StickerPack, StickerSettings


class StickerInline(admin.TabularInline):
    model = Sticker
    fields = ("position", "format", "keywords", "width", "height", "frames")
    readonly_fields = ("format", "width", "height", "frames")
    extra = 0


@admin.register(StickerPack)
class StickerPackAdmin(admin.ModelAdmin):
    list_display = ("title", "created_by", "is_default", "created_at")
    list_filter = ("is_default",)
    search_fields = ("title",)
    readonly_fields = ("slug", "created_by", "is_default", "created_at")
    inlines = [StickerInline]


@admin.register(StickerSettings)
class StickerSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "members_may_add_packs")

    def has_add_permission(self, request) -> bool:
        return not StickerSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
