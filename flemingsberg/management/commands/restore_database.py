"""``manage.py restore_database FILE NEW_DATABASE``: ``pg_restore`` into a fresh database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from flemingsberg.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Create NEW_DATABASE on the server of DATABASE_URL and restore a backup_database "
        "file into it (never into an existing database). Then point DATABASE_URL at it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("new_database")

    def handle(self, *args, file: str, new_database: str, **options):
        try:
            restore(Path(file), new_database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {file} into {new_database}. Check it, then set DATABASE_URL to "
                f"…/{new_database} and restart the portal."
            )
        )
