"""E-mail the reminders due today (actionplan/reminders.py); safe to run every hour."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actionplan import reminders


class Command(BaseCommand):
    help = (
        "E-mail coordinators whose party has not signed off an open follow-up round (before "
        "and after its deadline), the editors which parties are late, and measuring "
        "organisations the values due. Each reminder is sent once; run it every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print who would get what; send and record nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        printed = settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
        if not dry_run and not settings.DEBUG and printed:
            raise CommandError(
                "No e-mail server is configured (EMAIL_URL or EMAIL_HOST): reminders would be "
                "recorded as sent and nobody would get them. Use --dry-run to see them."
            )
        planned = reminders.plan(timezone.localdate())
        sent = 0
        for item in planned:
            subject, _body = item.render()
            line = f"{item.recipient.email} ({item.membership.language}): {subject}"
            if dry_run:
                self.stdout.write(f"would send to {line}")
                continue
            if reminders.send(item) is not None:
                sent += 1
                self.stdout.write(f"sent to {line}")
        if dry_run:
            self.stdout.write(f"{len(planned)} reminder(s) due; nothing sent (--dry-run).")
        else:
            self.stdout.write(f"{sent} reminder(s) queued for sending.")
