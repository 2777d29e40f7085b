from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "feed"
    verbose_name = _("Feed")

    def ready(self) -> None:
        from core import media
        from feed.selectors import posts, stories
        from feed.services.stories import PHOTO_FOLDER

        # A post's photos and videos are read by the post's audience, nobody else; a status
        # update's photo by its audience, and only while the update is live.
        media.register("feed", posts.can_read_media)
        media.register(PHOTO_FOLDER, stories.can_read_photo)

        # The event shapes register themselves on import.
        from feed import events  # noqa: F401
