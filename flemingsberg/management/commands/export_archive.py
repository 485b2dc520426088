"""``manage.py export_archive YEAR``: the year's decisions and documents for the e-archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from flemingsberg.archive import (
    ArchiveIntegrityError,
    read_package,
    registered_kinds,
    verify_package,
    write_package,
)


class Command(BaseCommand):
    help = (
        "Write one dated package (folder, or zip with --zip) of everything decided in YEAR – "
        "the adopted plans (by the date of their decision) with their stored documents, and "
        "whatever else is registered in flemingsberg.archive – with the content as JSON and "
        "a manifest of every file's SHA-256, size and media type. The package is checked "
        "against its manifest after writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--output", default=".", help="Folder to write the package into (default: here)."
        )
        parser.add_argument("--zip", action="store_true", help="One zip file instead of a folder.")

    def handle(self, *args, year: int, output: str, zip: bool, **options):
        if not 1900 <= year <= 9999:
            raise CommandError(f"{year} is not a year.")
        try:
            target = write_package(year, Path(output), as_zip=zip)
        except (ArchiveIntegrityError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        problems = verify_package(target)
        if problems:
            raise CommandError("The package does not match its manifest: " + "; ".join(problems))
        count = len(read_package(target)) - 2  # not the manifest and the checksum list
        self.stdout.write(
            self.style.SUCCESS(
                f"{target}: {count} files with their SHA-256 "
                f"(kinds: {', '.join(registered_kinds())}), checked against the manifest."
            )
        )
