"""`manage.py doctor`: what to paste into Google Cloud Console, and what would break sign-in.

The diagnosis itself is system checks kept in their apps (accounts/checks.py, calls/checks.py) in
a registry of their own, `accounts.checks.doctor_checks`; this command runs them by tag, one
section each, and prints what they found.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import WARNING, CheckMessage
from django.core.management.base import BaseCommand, CommandError

from accounts import checks as accounts_checks
from accounts import google
from calls import checks as calls_checks

SECTIONS = [
    ("Public address", accounts_checks.PUBLIC_ADDRESS),
    ("Site", accounts_checks.SITE),
    ("Proxy, scheme and hosts", accounts_checks.PROXY),
    ("Google sign-in", accounts_checks.GOOGLE_APP),
    ("Email and SMS", accounts_checks.DELIVERY),
    ("Calls (TURN)", calls_checks.TURN),
]


def diagnose() -> list[tuple[str, list[CheckMessage]]]:
    """Each section of the report with what its checks found, in order."""
    return [
        (title, accounts_checks.doctor_checks.run_checks(tags=[tag])) for title, tag in SECTIONS
    ]


class Command(BaseCommand):
    help = "Print the URIs for Google Cloud Console and warn about settings that break sign-in."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--strict", action="store_true", help="exit with status 1 if there is any warning"
        )

    def handle(self, *args, **options) -> None:
        public = urlsplit(settings.PUBLIC_URL)
        self.stdout.write(self.style.MIGRATE_HEADING("Google Cloud Console"))
        self.stdout.write("  APIs & Services > Credentials > OAuth client ID (Web application):")
        self.stdout.write(f"  Authorized JavaScript origin:  {public.scheme}://{public.netloc}")
        self.stdout.write(f"  Authorized redirect URI:       {google.callback_url()}")
        warnings = 0
        for title, findings in diagnose():
            self.stdout.write("")
            self.stdout.write(self.style.MIGRATE_HEADING(title))
            for finding in findings:
                if finding.level < WARNING:
                    self.stdout.write(f"  {self.style.SUCCESS('OK  ')}  {finding.msg}")
                else:
                    warnings += 1
                    self.stdout.write(f"  {self.style.WARNING('WARN')}  {finding.msg}")
                    if finding.hint:
                        self.stdout.write(f"        fix: {finding.hint}")
        self.stdout.write("")
        if warnings:
            self.stdout.write(self.style.WARNING(f"{warnings} warning(s)."))
            if options["strict"]:
                raise CommandError(f"{warnings} warning(s)", returncode=1)
        else:
            self.stdout.write(self.style.SUCCESS("No warnings."))
