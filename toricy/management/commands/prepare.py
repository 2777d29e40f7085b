"""Everything a start needs, idempotent: catalogues, tables, static files, the first-run link."""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.urls import reverse

from accounts import services
from messaging import services as messaging_services
from messaging.services import stickers


class Command(BaseCommand):
    help = "Prepare Toricy to start: translations, migrations, static files, owner set-up link."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-static", action="store_true", help="skip collectstatic")

    def handle(self, *args, **options) -> None:
        call_command("compile_translations", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_static"] and not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        domain = settings.PUBLIC_URL.split("://", 1)[-1]
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": "Toricy"}
        )
        # The chat everyone is in exists from the first start; members join it as they come.
        messaging_services.family_chat()
        # Toricy's own sticker pack is in every picker from the first start.
        stickers.ensure_default_pack()
        # One process holds every socket in the embedded mode: none survived the last stop.
        services.sweep_stale_connections(everything=not settings.REDIS_URL)
        token = services.issue_owner_setup_token()
        if token:
            link = settings.PUBLIC_URL + reverse("owner_setup", args=[token])
            bar = "=" * 72
            self.stdout.write(
                f"\n{bar}\nToricy has no owner yet. Open this one-time link to create the owner:"
                f"\n\n    {link}\n\n"
                f"It works once; a new one is printed at every start until then.\n{bar}\n"
            )
        self.stdout.write(self.style.SUCCESS(f"Toricy is ready at {settings.PUBLIC_URL}"))
