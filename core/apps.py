from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor every app stands on: realtime, media, text, audio, errors, health."""

    name = "core"
    verbose_name = "Toricy core"
