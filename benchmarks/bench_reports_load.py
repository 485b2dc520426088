"""Public pages while staff ask for follow-up reports (issue 13): the plan page's p95 and
throughput under load, undisturbed and while four reports are requested, in the same run.

gunicorn (DEBUG off, ``BENCH_WORKERS`` sync workers) and one task worker (``db_worker``, as in
production) serve the benchmark's database (``benchmarks/database.py``) with four extra DEMO
plans of ``BENCH_LOAD_REPORT_ACTIONS`` (500) actions. Interleaved rounds, A then B, repeated
``BENCH_ROUNDS`` times: A loads the 1,000-action plan page for ``BENCH_SECONDS`` with
``BENCH_CLIENTS`` clients; B does the same while an editor's session asks for the four plans'
follow-up reports at its start (four different documents, so four renders; each plan is
touched before a round so that its content key is new). Between rounds the worker finishes
what is queued. Median and spread over the rounds; the goal is B's p95 ≤ 1.2 × A's.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
REPORT_ACTIONS = int(os.environ.get("BENCH_LOAD_REPORT_ACTIONS", "500"))
REPORTS = 4
# The task worker below gunicorn as the README's systemd unit runs it (Nice=10), or with
# BENCH_WORKER_SCHED=idle under Linux's SCHED_IDLE policy (systemd: CPUSchedulingPolicy=idle),
# which gives it the CPU only when nothing else wants it.
WORKER_NICE = int(os.environ.get("BENCH_WORKER_NICE", "10"))
WORKER_SCHED = os.environ.get("BENCH_WORKER_SCHED", "nice")


def _lower_priority() -> None:
    """In the worker's process before it starts: below gunicorn (see WORKER_SCHED, NICE)."""
    if WORKER_SCHED == "idle":
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    else:
        os.nice(WORKER_NICE)


def _setup() -> None:
    """In a child process: four plans, an editor with a session; prints what the load needs."""
    import datetime
    import io

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils.module_loading import import_string

    from actionplan.models import ActionPlan
    from actionplan.pdf import Kind
    from programme.models import Organisation, StaffMembership
    from programme.services import create_staff_member

    year = datetime.date.today().year + 20
    urls = []
    for offset in range(REPORTS):
        if not ActionPlan.objects.filter(year=year + offset, is_demo=True).exists():
            call_command(
                "generate_demo_plan",
                actions=REPORT_ACTIONS,
                year=year + offset,
                seed=offset,
                stdout=io.StringIO(),
            )
        plan = ActionPlan.objects.get(year=year + offset, is_demo=True)
        urls.append(reverse("admin:actionplan_actionplan_pdf", args=[plan.pk, Kind.FOLLOW_UP]))
    user = create_staff_member(
        username=f"bench-editor-{time.time_ns()}",
        organisation=Organisation.objects.filter(is_party=True).first(),
        role=StaffMembership.Role.EDITOR,
        password=None,
    )
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    demo = ActionPlan.objects.filter(is_demo=True).order_by("year").first()
    print(
        json.dumps(
            {
                "session": session.session_key,
                "cookie": settings.SESSION_COOKIE_NAME,
                "reports": urls,
                "page": reverse("actionplan:year", args=[demo.year]),
                "plans": [year + offset for offset in range(REPORTS)],
            }
        )
    )


def _ask(port: int, path: str, cookie: str, out: list) -> None:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    connection.close()
    out.append((response.status, time.perf_counter() - start))


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ms (spread {min(values):.1f}–{max(values):.1f})"


def run() -> list[tuple[str, str, str]]:
    from django.db.models import F
    from django.utils import timezone

    from actionplan.models import ActionPlan
    from benchmarks import bench_http, database
    from flemingsberg.models import RenderJob

    database.prepare()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        work = Path(tmp)
        environment = bench_http._environment(work)
        bench_http._manage(environment, "collectstatic", "--no-input")
        setup = json.loads(
            subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_reports_load", "--setup"],
                cwd=ROOT,
                env=environment,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        cookie = f"{setup['cookie']}={setup['session']}"
        port = bench_http._free_port()
        server = subprocess.Popen(  # noqa: S603 (gunicorn from this venv, on loopback)
            [
                *(sys.executable, "-m", "gunicorn", "flemingsberg.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", str(bench_http.WORKERS)),
                *("--log-level", "warning"),
            ],
            cwd=ROOT,
            env=environment,
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_lower_priority,
        )
        plans = ActionPlan.objects.filter(year__in=setup["plans"], is_demo=True)
        results = {"A": [], "B": []}
        asked: list[tuple[int, float]] = []
        renders_done = 0
        try:
            bench_http._wait_for(port, server)
            bench_http._load(port, setup["page"])  # warm the workers' caches
            for _ in range(ROUNDS):
                results["A"].append(bench_http._load(port, setup["page"]))
                # A new content key for each plan: four new renders.
                plans.update(updated_at=F("updated_at") + timezone.timedelta(seconds=1))
                threads = [
                    threading.Thread(target=_ask, args=(port, url, cookie, asked))
                    for url in setup["reports"]
                ]
                for thread in threads:
                    thread.start()
                results["B"].append(bench_http._load(port, setup["page"]))
                for thread in threads:
                    thread.join()
                deadline = time.monotonic() + 600
                while RenderJob.objects.pending().exists() and time.monotonic() < deadline:
                    time.sleep(0.5)
                renders_done = RenderJob.objects.filter(status=RenderJob.Status.READY).count()
        finally:
            for process in (worker, server):
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    a95 = [round_["p95"] for round_ in results["A"]]
    b95 = [round_["p95"] for round_ in results["B"]]
    a_rps = statistics.median(round_["rps"] for round_ in results["A"])
    b_rps = statistics.median(round_["rps"] for round_ in results["B"])
    ratio = statistics.median(b / a for a, b in zip(a95, b95, strict=True) if a)
    statuses = sorted({status for status, _ in asked})
    slowest = max(seconds for _, seconds in asked) * 1000 if asked else 0
    note = (
        f"{ROUNDS} interleaved rounds, {bench_http.CLIENTS} clients × {bench_http.SECONDS:g} s, "
        f"gunicorn {bench_http.WORKERS} workers + 1 task worker "
        f"({'SCHED_IDLE' if WORKER_SCHED == 'idle' else f'nice {WORKER_NICE}'})"
    )
    return [
        (
            f"HTTP plan page {setup['page']}, undisturbed",
            f"p95 {_spread(a95)}; {a_rps:.0f} req/s",
            note,
        ),
        (
            f"HTTP plan page while {REPORTS} follow-up reports ({REPORT_ACTIONS} actions) are made",
            f"p95 {_spread(b95)}; {b_rps:.0f} req/s; p95 ratio {ratio:.2f} (goal ≤ 1.2)",
            f"the report requests answered {statuses} in ≤ {slowest:.0f} ms (redirect to the "
            f"job page); {renders_done} reports rendered by the worker; errors "
            f"{sum(round_['errors'] for round_ in results['B'])}",
        ),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--setup" in sys.argv:
        _setup()
    else:
        for row in run():
            print(" | ".join(row))
