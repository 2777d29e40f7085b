from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bots import services
from bots.models import Bot


@admin.register(Bot)
class BotAdmin(admin.ModelAdmin):
    """The owner sees every bot: whose it is, whether its token works, its webhook and queue."""

    list_display = ("__str__", "owner", "token_works", "webhook_url", "pending_updates")
    list_select_related = ("user", "owner")
    search_fields = ("user__username", "user__display_name", "owner__username")
    readonly_fields = (
        "user",
        "token_revoked_at",
        "webhook_url",
        "webhook_max_connections",
        "webhook_last_error_date",
        "webhook_last_error_message",
        "allowed_updates",
    )
    exclude = ("token_hash", "webhook_secret")
    actions = ["revoke_tokens"]

    @admin.display(boolean=True, description=_("token works"))
    def token_works(self, bot: Bot) -> bool:
        return bot.token_revoked_at is None

    @admin.display(description=_("pending updates"))
    def pending_updates(self, bot: Bot) -> int:
        return services.pending_update_count(bot)

    @admin.action(description=_("Revoke the tokens of the chosen bots"))
    def revoke_tokens(self, request, queryset) -> None:
        for bot in queryset:
            services.revoke_token(bot=bot)
