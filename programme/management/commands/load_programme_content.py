from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from programme.models import Programme


class Command(BaseCommand):
    help = (
        "Load the programme's content fixtures (settings.CONTENT_FIXTURES) into an empty "
        "database. Content that is already there is left alone unless --force is given, so "
        "editors' changes survive a restart."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the fixtures even if content exists (overwrites rows with the same ids).",
        )

    def handle(self, *args, force: bool = False, **options):
        if Programme.objects.exists() and not force:
            self.stdout.write("Programme content is already loaded; nothing changed.")
            return
        with transaction.atomic():
            for fixture in settings.CONTENT_FIXTURES:
                if not any(settings.FIXTURE_DIRS[0].glob(f"{fixture}.*")):
                    # Apps ship their fixtures as they are built; a missing one is not an error.
                    self.stdout.write(f"No fixture {fixture}; skipped.")
                    continue
                call_command("loaddata", fixture, verbosity=0)
                self.stdout.write(f"Loaded {fixture}.")
        self.stdout.write(self.style.SUCCESS("Programme content loaded."))
