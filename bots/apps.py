from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BotsConfig(AppConfig):
    name = "bots"
    verbose_name = _("Bots")

    def ready(self) -> None:
        # messaging sits below bots: it announces new messages, bots turn them into updates.
        from bots import services
        from messaging import hooks

        hooks.on_message_sent(services.message_sent)
