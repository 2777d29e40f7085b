"""System checks for what Toricy needs from its settings."""

from django.conf import settings
from django.core.checks import Error, register

from accounts import sms


@register()
def sms_backend_is_configured(app_configs=None, **kwargs):
    backend = settings.SMS_BACKEND
    if backend not in sms.BACKENDS:
        return [
            Error(
                f"SMS_BACKEND={backend!r} is not one of {', '.join(sms.BACKENDS)}.",
                id="toricy.E001",
            )
        ]
    missing = [
        name for name in sms.REQUIRED_SETTINGS.get(backend, []) if not getattr(settings, name)
    ]
    if missing:
        return [
            Error(
                f"SMS_BACKEND={backend!r} needs {', '.join(missing)}.",
                hint="Set them in the environment, or use SMS_BACKEND=console.",
                id="toricy.E002",
            )
        ]
    return []
