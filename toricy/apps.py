from django.apps import AppConfig


class ToricyConfig(AppConfig):
    name = "toricy"
    verbose_name = "Toricy"
