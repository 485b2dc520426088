"""Import of 1,000 action rows (dry run and real) into a throwaway draft plan.

Runs inside a transaction that is rolled back, in the configured database (run with
``make bench``; it needs the programme content loaded, or builds a minimal programme).
"""

from __future__ import annotations

import csv
import datetime
import io
import time

ROWS = 1000


def _csv(year: int, goal_slug: str) -> bytes:
    from actionplan.resources import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    parties = ["region-stockholm", "huddinge", "botkyrka"]
    for n in range(ROWS):
        writer.writerow(
            {
                "number": f"{year}:{n:04d}",
                "title_sv": f"Åtgärd {n}",
                "title_en": f"Action {n}",
                "lead_party": parties[n % 3],
                "co_responsible": f"{parties[(n + 1) % 3]}: stöd",
                "goals": goal_slug,
                "status": "ongoing",
                "progress": str(n % 100),
                "start_year": str(year),
                "end_year": str(year + 1),
            }
        )
    return out.getvalue().encode()


def run() -> list[tuple[str, str, str]]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from actionplan.models import ActionPlan
    from actionplan.services import import_actions
    from programme.models import DevelopmentGoal, Organisation, Programme

    rows = []

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for order, slug in enumerate(["region-stockholm", "huddinge", "botkyrka"]):
                Organisation.objects.get_or_create(
                    slug=slug, defaults={"name": slug, "is_party": True, "order": order}
                )
            programme = Programme.objects.first() or Programme.objects.create(
                slug="bench", title="Bench", version_date=datetime.date(2017, 5, 15)
            )
            goal = programme.goals.first() or DevelopmentGoal.objects.create(
                programme=programme, slug="bench-goal", title="Bench goal"
            )
            plan = ActionPlan.objects.create(
                programme=programme, year=2090, title="Benchmark", is_demo=True
            )
            user = get_user_model().objects.create_superuser("bench-import-user", "", None)
            data = _csv(plan.year, goal.slug)
            for dry_run in (True, False):
                start = time.perf_counter()
                report = import_actions(
                    plan=plan, by=user, data=data, file_format="csv", dry_run=dry_run
                )
                seconds = time.perf_counter() - start
                if not report.ok:
                    raise RuntimeError(report.problems[:3])
                rows.append(
                    (
                        f"import {ROWS} action rows (CSV, {'dry run' if dry_run else 'real'})",
                        f"{seconds:.2f} s",
                        "goal: under 10 s",
                    )
                )
            raise Rollback
    except Rollback:
        pass
    return rows
