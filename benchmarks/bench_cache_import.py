"""Cached pages while an import runs: does an import (dry run or real) switch the cache off?

One gunicorn (production settings, the page cache on: Redis when ``REDIS_URL`` is set), the
action plan page of the 1,000-action demo plan, served from the cache. ``ROUNDS`` interleaved
rounds of: the page under load (A), then the same load while a 10,000-row import of actions into
a new draft plan runs in another process as the task worker runs it (B) – once a dry run, once
a real import. The import process runs at ``nice`` ``BENCH_IMPORT_NICE`` (19 by default, as a
task worker beside gunicorn should be: its CPU then goes to visitors first; the README says
so); the load window lies inside the import (it is stopped afterwards, the real one then rolls
back). The figure: B's throughput over A's in each round, median and spread, and the number of
times the shared content version moved during the dry runs (goal: never).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_http import CLIENTS, ROOT, SECONDS, WORKERS, _environment, _load, _manage
from benchmarks.bench_uncached import start_server, stop_server

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
NICE = int(os.environ.get("BENCH_IMPORT_NICE", "19"))


def _import_child(confirm: bool) -> None:
    """In a child process: a new draft plan, a job for ROWS rows, "started", then the run."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from actionplan.importing import importer
    from actionplan.models import ActionPlan
    from benchmarks.bench_import import _csv
    from flemingsberg import imports
    from programme.models import Programme

    programme = Programme.objects.order_by("-version_date").first()
    goal = programme.goals.order_by("order").first()
    year = max(2100, *ActionPlan.objects.values_list("year", flat=True)) + 1
    plan = ActionPlan.objects.create(
        programme=programme, year=year, title=f"Bench import {year}", is_demo=True
    )
    user = get_user_model().objects.filter(is_superuser=True).first() or (
        get_user_model().objects.create_superuser(f"bench-cache-{year}", "", None)
    )
    job = imports.create_job(
        importer=importer, target=plan, user=user, data=_csv(year, goal.slug, ROWS),
        file_name="bench.csv", rows=ROWS,
    )  # fmt: skip
    if confirm:
        job.state = job.State.IMPORTING
        job.save(update_fields=["state"])
    from flemingsberg.cache import _shared_version

    print("started", _shared_version(), flush=True)  # creating the plan above changed content
    imports.run_import_job.call(str(job.pk), confirm)
    print("finished", flush=True)


def _version(environment) -> str:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from flemingsberg.cache import _shared_version; "
            "print(_shared_version())",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _during_import(port: int, path: str, environment, confirm: bool) -> dict:
    child = subprocess.Popen(  # noqa: S603 (this module, fixed arguments)
        [
            *("nice", "-n", str(NICE)),
            *(sys.executable, "-c"),
            f"from benchmarks.bench_cache_import import _import_child; _import_child({confirm})",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        word, version = child.stdout.readline().split()
        if word != "started":
            raise RuntimeError("the import did not start")
        time.sleep(1.0)  # into the rows
        result = _load(port, path)
        result["import_still_running"] = child.poll() is None
        result["version_moved"] = _version(environment) != version
        return result
    finally:
        child.terminate()
        child.wait(timeout=30)


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def run() -> list[tuple[str, str, str]]:
    from benchmarks import database

    database.prepare()
    with tempfile.TemporaryDirectory(prefix="bench-cache-import-") as tmp:
        environment = _environment(Path(tmp))
        environment["PYTHONPATH"] = str(ROOT)
        cache = "Redis" if environment.get("REDIS_URL") else "per-worker memory cache"
        _manage(environment, "collectstatic", "--no-input")
        path = f"/handlingsplan/{database.DEMO_YEAR}/"
        port, server = start_server(environment, "flemingsberg.wsgi")
        ratios = {False: [], True: []}
        baseline_rps: list[float] = []
        still_running = True
        dry_version_moves = 0
        try:
            _load(port, path)  # fills the caches
            for _ in range(ROUNDS):
                for confirm in (False, True):
                    before = _load(port, path)
                    during = _during_import(port, path, environment, confirm)
                    if not confirm and during["version_moved"]:
                        dry_version_moves += 1
                    baseline_rps.append(before["rps"])
                    ratios[confirm].append(during["rps"] / before["rps"] if before["rps"] else 0)
                    still_running = still_running and during["import_still_running"]
        finally:
            stop_server(server)
    setup = (
        f"{path} cached ({cache}); gunicorn {WORKERS} workers, {CLIENTS} clients × {SECONDS:g} s; "
        f"{ROUNDS} interleaved rounds, median (min–max); import at nice {NICE}"
        + ("" if still_running else "; an import ended before its load window did")
    )
    return [
        (
            f"cached page during a {ROWS:,}-row import, dry run",
            f"{_spread(ratios[False])} × without",
            f"content version moved in {dry_version_moves} of {ROUNDS} dry runs; "
            f"without: median {statistics.median(baseline_rps):.0f} req/s; goal ≥ 0.9; {setup}",
        ),
        (
            f"cached page during a {ROWS:,}-row import, real",
            f"{_spread(ratios[True])} × without",
            f"the version moves once, at commit; goal ≥ 0.9; {setup}",
        ),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for row in run():
        print(" | ".join(row))
