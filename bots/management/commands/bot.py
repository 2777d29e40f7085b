"""`manage.py bot create|token|list`: bots from the shell, for scripts and server-side bots."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from bots import services
from bots.models import Bot
from core.errors import Refused


class Command(BaseCommand):
    help = "Create a bot and print its token, issue a fresh token, or list the bots."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a bot and print its token.")
        create.add_argument("username", help="The bot's username; it ends in 'bot'.")
        create.add_argument("--owner", required=True, help="The username of the member.")
        create.add_argument("--name", default="", help="The bot's display name.")
        token = actions.add_parser("token", help="Issue a fresh token (the old one stops).")
        token.add_argument("username")
        actions.add_parser("list", help="List every bot.")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            owner = User.objects.filter(username__iexact=options["owner"], is_active=True).first()
            if owner is None:
                raise CommandError(f"No member with the username {options['owner']!r}.")
            try:
                _bot, token = services.create_bot(
                    owner=owner, username=options["username"], name=options["name"]
                )
            except Refused as refused:
                raise CommandError(refused.message) from refused
            self.stdout.write(token)
        elif action == "token":
            bot = Bot.objects.filter(user__username__iexact=options["username"]).first()
            if bot is None:
                raise CommandError(f"No bot with the username {options['username']!r}.")
            self.stdout.write(services.regenerate_token(bot=bot))
        else:
            bots = Bot.objects.select_related("user", "owner").order_by("user__username")
            for bot in bots:
                state = "revoked" if bot.token_revoked_at else "active"
                webhook = bot.webhook_url or "-"
                self.stdout.write(
                    f"@{bot.user.username}\t{bot.user.name}\towner @{bot.owner.username}"
                    f"\t{state}\twebhook {webhook}"
                )
