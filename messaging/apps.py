from django.apps import AppConfig
from django.db.models import Q
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Chats")

    def ready(self) -> None:
        from accounts.hooks import member_joined
        from core import media
        from messaging import services
        from messaging.models import Attachment, Chat, Community, Message

        services.register_realtime()
        post_migrate.connect(self._install_search, sender=self, dispatch_uid="messaging.search")
        member_joined.connect(self._join_family_chat, dispatch_uid="messaging.family_chat")

        def can_read_attachment(user, name: str) -> bool:
            # A chat's files are read by its current members, from messages they may see
            # (Message.objects.visible_to). A forwarded file has a row in every chat it went
            # to: any one of them that the member may see will do.
            readable = Message.objects.visible_to(user).values("pk")
            return Attachment.objects.filter(
                Q(file=name) | Q(preview=name), message__in=readable
            ).exists()

        def can_read_chat_avatar(user, name: str) -> bool:
            # Group, channel and community photos are seen by the whole family.
            return user.is_active and (
                Chat.objects.filter(avatar=name).exists()
                or Community.objects.filter(avatar=name).exists()
            )

        media.register("chat-files", can_read_attachment)
        media.register("chat-avatars", can_read_chat_avatar)

        from messaging.selectors import stickers

        media.register("stickers", stickers.may_read_file)

    @staticmethod
    def _join_family_chat(sender, user, **kwargs) -> None:
        # accounts sits below messaging: it announces a new member, messaging seats them.
        from messaging import services

        services.join_family_chat(user=user)

    @staticmethod
    def _install_search(sender, using, **kwargs) -> None:
        # SQLite drops a table's triggers when a migration rebuilds it: put the search ones back.
        from django.db import connections

        from messaging import search

        connection = connections[using]
        if "messaging_message" in connection.introspection.table_names():
            search.install(connection)
