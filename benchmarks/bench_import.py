"""Imports of action rows into a throwaway draft plan, through the production code
(``flemingsberg.imports``: the stored upload, the dry run, the import; no HTTP).

- 1,000 rows, dry run and real, as in the request (goal: under 10 s each);
- 50,000 rows, dry run and real, as the task worker runs them (``run_import_job``), in a
  separate process so that its peak memory (max RSS) is the task's alone.

Everything runs inside a transaction that is rolled back, in the configured database (run with
``make bench``; it needs the programme content loaded, or builds a minimal programme).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import subprocess
import sys
import time

ROWS = 1000
BIG_ROWS = 50_000


def _csv(year: int, goal_slug: str, rows: int) -> bytes:
    from actionplan.resources import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    parties = ["region-stockholm", "huddinge", "botkyrka"]
    for n in range(rows):
        writer.writerow(
            {
                "number": f"{year}:{n:05d}",
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


class _Rollback(Exception):
    pass


def _timed_jobs(rows: int, runner) -> list[tuple[float, dict]]:
    """Import ``rows`` rows (dry run, then real) with ``runner(job, confirm)``; roll back."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from actionplan.importing import importer
    from actionplan.models import ActionPlan
    from flemingsberg import imports
    from programme.models import DevelopmentGoal, Organisation, Programme

    timings = []
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
            user = get_user_model().objects.create_superuser(f"bench-import-{rows}", "", None)
            data = _csv(plan.year, goal.slug, rows)
            job = imports.create_job(
                importer=importer, target=plan, user=user, data=data, file_name="bench.csv",
                rows=rows,
            )  # fmt: skip
            for confirm in (False, True):
                if confirm:
                    job.state = job.State.IMPORTING
                    job.save(update_fields=["state"])
                start = time.perf_counter()
                runner(job, confirm)
                seconds = time.perf_counter() - start
                job.refresh_from_db()
                if job.report.get("problem_count"):
                    raise RuntimeError(job.report["problems"][:3])
                timings.append((seconds, job.report))
            raise _Rollback
    except _Rollback:
        pass
    return timings


def _big() -> None:
    """In a child process: 50,000 rows as the task worker runs them; prints JSON."""
    import resource

    import django

    django.setup()
    from flemingsberg.imports import run_import_job

    def as_task(job, confirm):
        run_import_job.call(str(job.pk), confirm)

    timings = _timed_jobs(BIG_ROWS, as_task)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": [t for t, _report in timings], "peak": peak}))


def run() -> list[tuple[str, str, str]]:
    from flemingsberg import imports

    rows = []
    for (seconds, _report), kind in zip(
        _timed_jobs(ROWS, lambda job, confirm: imports.run(job, confirm=confirm)),
        ("dry run", "real"),
        strict=True,
    ):
        rows.append(
            (f"import {ROWS} action rows (CSV, {kind})", f"{seconds:.2f} s", "goal: under 10 s")
        )
    child = subprocess.run(
        [sys.executable, "-c", "from benchmarks.bench_import import _big; _big()"],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    if child.returncode != 0:
        rows.append((f"import {BIG_ROWS:,} action rows (task)", "failed", child.stderr[-300:]))
        return rows
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    dry, real = figures["seconds"]
    rows.append(
        (
            f"import {BIG_ROWS:,} action rows as a task (CSV)",
            f"dry run {dry:.0f} s, real {real:.0f} s",
            f"worker peak memory (max RSS) {figures['peak'] / 2**20:.0f} MiB",
        )
    )
    return rows
