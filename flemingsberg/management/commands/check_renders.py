"""Queue again the PDF renders a dead worker left behind, and the documents that must exist
(an adopted plan's), e.g. every ten minutes from a systemd timer or cron."""

from django.core.management.base import BaseCommand

from flemingsberg.renders import check_renders


class Command(BaseCommand):
    help = (
        "Queue again PDF renders left running or queued too long, and documents that must "
        "exist but do not (adopted plans' documents)."
    )

    def handle(self, *args, **options):
        counts = check_renders()
        self.stdout.write(
            f"{counts['stuck']} stuck render(s) queued again, "
            f"{counts['missing']} missing document(s) requested."
        )
