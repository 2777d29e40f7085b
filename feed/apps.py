from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "feed"
    verbose_name = _("Feed")

    def ready(self) -> None:
        from django.db.models import Q

        from core import media
        from feed import selectors
        from feed.models import PostMedia

        def can_read_post_media(user, name: str) -> bool:
            # A post's photos and videos are read by the post's audience, nobody else.
            return PostMedia.objects.filter(
                Q(file=name) | Q(preview=name), post__in=selectors.posts_for(user).values("pk")
            ).exists()

        media.register("feed", can_read_post_media)

        from feed.services import stories

        stories.register_media()
