from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls")

    def ready(self) -> None:
        from calls import checks, events, services  # noqa: F401 (registers doctor checks, events)

        services.register_realtime()
