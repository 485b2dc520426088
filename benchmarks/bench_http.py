"""Throughput and latency of public pages beside a static file of similar size, under gunicorn.

Starts gunicorn on 127.0.0.1 (production settings, DEBUG off) with the benchmark's own
database (``benchmarks/database.py``: a throwaway SQLite file, or a dedicated ``…_bench``
PostgreSQL database when ``DATABASE_URL`` is set, with the programme content and a generated
1,000-action DEMO plan), after ``collectstatic`` into a temporary STATIC_ROOT. The cache is
Redis when ``REDIS_URL`` is set, else each worker's own memory. For each page it runs a
bounded load – CLIENTS concurrent clients for SECONDS, stdlib threads and http.client,
loopback only – against the page and then against a hashed static file of about the page's
size, served by WhiteNoise in the same server. The ratio page/static is the figure to watch.
Queries per page are counted separately, through the test client with
CaptureQueriesContext, first visit (cache cold) and second (cache warm).

The load generator runs on the same two cores as the server, so absolute figures are low;
compare the ratios, and runs on the same machine.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
MAX_REQUESTS = 200_000  # per URL, whatever the duration: the load is bounded twice


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(work: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(work / "static"),
        DJANGO_SETTINGS_MODULE="flemingsberg.settings",
        LOG_LEVEL="ERROR",
    )
    return environment


def _manage(environment: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _pages_and_queries(environment: dict[str, str], every: bool = False) -> list[dict]:
    """In a child process with the server's settings: page URLs and their query counts.
    ``every``: every kind of public page, not only the five this benchmark loads."""
    output = subprocess.run(  # noqa: S603 (this module, fixed arguments)
        [
            sys.executable,
            "-m",
            "benchmarks.bench_http",
            "--queries",
            *(["--every"] if every else []),
        ],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _count_queries(every: bool = False) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from actionplan.models import ActionPlan
    from indicators.models import SubTarget
    from programme.models import DevelopmentGoal

    goal = DevelopmentGoal.objects.filter(is_published=True).order_by("order").first()
    demo = ActionPlan.objects.public().filter(is_demo=True).order_by("-year").first()
    sub_target = SubTarget.objects.for_public_page(None).order_by("goal__order", "order").first()
    pages = [
        ("home", reverse("programme:home")),
        ("goal page", goal.get_absolute_url() if goal else None),
        (
            f"action plan ({demo.actions.count()} actions)" if demo else "action plan",
            reverse("actionplan:year", args=[demo.year]) if demo else None,
        ),
        ("indicators", reverse("indicators:overview")),
        (
            "indicator page",
            reverse("indicators:sub_target", args=[sub_target.slug]) if sub_target else None,
        ),
    ]
    if every:
        from programme.models import Strategy

        strategy = Strategy.objects.public().order_by("order").first()
        action = demo.actions.order_by("number", "pk").first() if demo else None
        pages += [
            ("strategy page", strategy.get_absolute_url() if strategy else None),
            ("action page", action.get_absolute_url() if action else None),
            ("coverage", reverse("actionplan:coverage", args=[demo.year]) if demo else None),
            (
                "communication plan",
                reverse("actionplan:communication", args=[demo.year]) if demo else None,
            ),
            ("comparison of plans", reverse("actionplan:compare")),
            ("about the programme", reverse("programme:about")),
            ("programme history", reverse("programme:history")),
            ("accessibility statement", reverse("accessibility")),
            ("search ?q=skola", reverse("search:search") + "?q=skola"),
        ]
    client = Client()
    rows = []
    for name, url in pages:
        if url is None:
            continue
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            counts.append(len(queries))
        rows.append(
            {
                "name": name,
                "url": url,
                "status": response.status_code,
                "bytes": len(response.content),
                "cold": counts[0],
                "warm": counts[1],
            }
        )
    print(json.dumps(rows))


def _static_of_size(static_root: Path, size: int) -> str:
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    candidates = [
        (abs((static_root / hashed).stat().st_size - size), hashed)
        for hashed in manifest["paths"].values()
        if not hashed.endswith((".gz", ".br")) and (static_root / hashed).is_file()
    ]
    return "/static/" + min(candidates)[1]


def _load(port: int, path: str) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + SECONDS

    def client() -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline and len(latencies) + len(mine) < MAX_REQUESTS:
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status != 200:
                    failed += 1
                    continue
            except OSError:
                failed += 1
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / elapsed,
        "p50": quantiles[49] * 1000,
        "p95": quantiles[94] * 1000,
        "errors": errors,
    }


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def run() -> list[tuple[str, str, str]]:
    from benchmarks import database

    database.prepare()  # a no-op under benchmarks.run, which prepared it already
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        work = Path(tmp)
        environment = _environment(work)
        db = "PostgreSQL" if environment["DATABASE_URL"].startswith("postgres") else "SQLite"
        cache = "Redis cache" if environment.get("REDIS_URL") else "per-worker memory cache"
        _manage(environment, "collectstatic", "--no-input")
        pages = _pages_and_queries(environment)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 (gunicorn from this venv, on loopback)
            [
                *(sys.executable, "-m", "gunicorn", "flemingsberg.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)),
                *("--log-level", "warning"),
            ],
            cwd=ROOT,
            env=environment,
        )
        try:
            _wait_for(port, server)
            setup = f"gunicorn {WORKERS} workers, {db}, {cache}, {CLIENTS} clients × {SECONDS:g} s"
            for page in pages:
                if page["status"] != 200:
                    rows.append((f"HTTP {page['name']}", f"status {page['status']}", page["url"]))
                    continue
                static = _static_of_size(work / "static", page["bytes"])
                _load(port, page["url"])  # warm the per-worker caches and connections
                measured = _load(port, page["url"])
                baseline = _load(port, static)
                ratio = measured["rps"] / baseline["rps"] if baseline["rps"] else 0.0
                rows.append(
                    (
                        f"HTTP {page['name']} {page['url']}",
                        f"{measured['rps']:.0f} req/s, p50 {measured['p50']:.1f} ms, "
                        f"p95 {measured['p95']:.1f} ms; {ratio:.0%} of static",
                        f"{page['bytes'] // 1024} KiB; static {baseline['rps']:.0f} req/s, "
                        f"p95 {baseline['p95']:.1f} ms; errors {measured['errors']}; {setup}",
                    )
                )
                rows.append(
                    (
                        f"SQL queries {page['name']}",
                        f"{page['cold']} cold, {page['warm']} cached",
                        "anonymous visitor, test client",
                    )
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    return rows


if __name__ == "__main__":
    if "--queries" in sys.argv:
        sys.path.insert(0, str(ROOT))
        _count_queries(every="--every" in sys.argv)
    else:
        for row in run():
            print(" | ".join(row))
