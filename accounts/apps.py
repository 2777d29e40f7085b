from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members")

    def ready(self) -> None:
        from accounts import checks, events, signals  # noqa: F401 (registers checks, events, receivers)
        from accounts.models import User
        from core import media

        def can_read_avatar(user, name: str) -> bool:
            # Avatars are seen by every member of the family, and by no one outside it.
            return user.is_active and User.objects.filter(avatar=name, is_active=True).exists()

        media.register("avatars", can_read_avatar)
