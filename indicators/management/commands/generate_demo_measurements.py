"""Fictitious measurements for screenshots and demos; never part of `make run`."""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from flemingsberg.cache import content_changed
from indicators.models import Measurement, SubTarget

DEMO_NOTE = "DEMO – fiktiva värden"


class Command(BaseCommand):
    help = (
        "Add fictitious, published measurements 2018–2024 to every sub-target that has a "
        "target value, each marked as demo data (is_demo, and the source note "
        "“DEMO – fiktiva värden”): pages, charts and PDFs show a DEMO mark with them. "
        "--remove deletes them again. For demos and screenshots only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true", help="Delete the demo values.")
        parser.add_argument("--seed", type=int, default=2050)

    @transaction.atomic
    def handle(self, *args, remove: bool = False, seed: int = 2050, **options):
        deleted, _ = Measurement.objects.filter(is_demo=True).delete()
        content_changed()  # also said by each saved value's signal; here for the removal
        if remove:
            self.stdout.write(f"Removed {deleted} demo values.")
            return
        rng = random.Random(seed)  # noqa: S311 – fictitious figures, not security
        created = 0
        for sub_target in SubTarget.objects.exclude(target_value=None):
            if sub_target.kind == SubTarget.Kind.SHARE:
                start, goal = 55.0, float(sub_target.target_value)
            elif sub_target.kind == SubTarget.Kind.MULTIPLE:
                start, goal = 10.0, 10.0 * float(sub_target.target_value)
            else:
                start, goal = 0.0, float(sub_target.target_value)
            pace = rng.uniform(0.5, 1.2) * (goal - start) / (2030 - 2017)
            for year in range(2018, 2025):
                if Measurement.objects.filter(sub_target=sub_target, period_year=year).exists():
                    continue
                value = start + pace * (year - 2017) * rng.uniform(0.9, 1.1)
                Measurement.objects.create(
                    sub_target=sub_target,
                    period_year=year,
                    # Counts (homes, jobs, centres) are whole numbers; shares keep a decimal.
                    value=Decimal(
                        str(round(value, 1 if sub_target.kind == SubTarget.Kind.SHARE else 0))
                    ),
                    source_note=DEMO_NOTE,
                    is_demo=True,
                    is_published=True,
                )
                created += 1
        self.stdout.write(
            self.style.WARNING(
                f"Created {created} DEMO values ({DEMO_NOTE}); --remove deletes them."
            )
        )
