"""Reports as tasks (issue 13): the follow-up report of a 500- and a 10,000-action plan, from
the request to a ready file, rendered by a real worker process; its peak memory.

For each size a generated DEMO plan (``generate_demo_plan``) gets a request exactly as the
admin makes one (``flemingsberg.renders.request_render``: the content key from the rows'
versions, no HTML, then the job queued in the database); then ``manage.py db_worker --batch``
runs in its own process, renders the report (in parts of ``PDF_PART_ACTIONS`` actions above
that size) and exits. The figures: the request's own time and queries, the time from the
request until the job is ready (worker start included), the render itself, and the worker's
peak resident memory (``wait4``'s ``ru_maxrss``). A second request for the same content is
timed too: it finds the ready job and renders nothing.
"""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = tuple(int(n) for n in os.environ.get("BENCH_REPORT_ACTIONS", "500,10000").split(","))


def _worker() -> int:
    """Run the queued tasks in a worker process; returns its peak RSS in bytes."""
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--queue-name",
            "*",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env={"DEBUG": "1", **os.environ},
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss * 1024  # KiB on Linux


def run() -> list[tuple[str, str, str]]:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from actionplan.models import ActionPlan
    from actionplan.pdf import Kind
    from flemingsberg import renders
    from flemingsberg.models import RenderJob

    rows = []
    base_year = datetime.date.today().year + 10  # beside the bench's own demo plan
    for offset, size in enumerate(SIZES):
        year = base_year + offset
        call_command("generate_demo_plan", actions=size, year=year, stdout=io.StringIO(), seed=size)
        plan = ActionPlan.objects.select_related("programme").get(year=year, is_demo=True)
        reset_queries()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            job = renders.request_render(Kind.FOLLOW_UP, plan, "sv")
        request_seconds = time.perf_counter() - start
        peak = _worker()
        job.refresh_from_db()
        ready_seconds = time.perf_counter() - start
        again = time.perf_counter()
        same = renders.request_render(Kind.FOLLOW_UP, plan, "sv")
        again_seconds = time.perf_counter() - again
        if job.status != RenderJob.Status.READY:
            rows.append((f"report {size} actions: request → ready", "FAILED", job.error[:90]))
            continue
        pdf = renders.ready_result(job)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        render_seconds = (job.finished_at - job.started_at).total_seconds()
        parts = "in parts" if size > settings.PDF_PART_ACTIONS else "whole"
        rows.append(
            (
                f"Report as a task: follow-up report, {size:,} actions",
                f"ready {ready_seconds:.1f} s after the request (render {render_seconds:.1f} s); "
                f"worker peak {peak / 2**20:.0f} MiB",
                f"{pages} pages, {len(pdf) // 1024} KiB, laid out {parts} "
                f"(PDF_PART_ACTIONS={settings.PDF_PART_ACTIONS}); the request "
                f"{request_seconds * 1000:.0f} ms, {len(queries)} queries, no HTML; "
                f"asked again {again_seconds * 1000:.0f} ms, same job: {same.pk == job.pk}",
            )
        )
    return rows
