"""Compile locale/*/LC_MESSAGES/*.po into .mo with polib: no GNU gettext needed to run Toricy."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po -> .mo)."

    def handle(self, *args, **options) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                # Fuzzy entries are guesses: compiling them would show a wrong translation.
                for entry in catalogue.fuzzy_entries():
                    entry.msgstr = ""
                    entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"compiled {count} catalogue(s)")
