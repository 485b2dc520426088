"""``manage.py backup_database``: a ``pg_dump -Fc`` of the portal's PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from flemingsberg.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Dump the database (PostgreSQL, custom format) to a dated file with a .sha256 beside "
        "it. Back up MEDIA_ROOT and the SECRET_KEY as well (see README, Backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default="backups",
            help="A folder (a dated file is made in it) or a file name ending in .dump.",
        )

    def handle(self, *args, output: str, **options):
        target = Path(output)
        if target.suffix != ".dump":
            target = target / f"flemingsberg-{timezone.localtime():%Y%m%d-%H%M%S}.dump"
        try:
            backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{target} ({target.stat().st_size} bytes)"))
