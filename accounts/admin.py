"""The owner's back office for people: members, the family's switches, invites, blocks."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Block, FamilySettings, Invite, Joined, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "email", "phone", "is_active", "last_seen_at"]
    search_fields = ["username", "display_name", "email", "phone"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Toricy"),
            {"fields": ["display_name", "avatar", "phone", "phone_verified", "bio", "birthday"]},
        ),
    ]


@admin.register(FamilySettings)
class FamilySettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "registration_open", "members_may_invite"]

    def has_add_permission(self, request) -> bool:
        return not FamilySettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["code", "created_by", "created_at", "expires_at", "use_count", "max_uses"]
    list_filter = ["revoked_at"]
    readonly_fields = ["code", "use_count", "created_at"]


@admin.register(Joined)
class JoinedAdmin(admin.ModelAdmin):
    list_display = ["user", "invite", "joined_at"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
