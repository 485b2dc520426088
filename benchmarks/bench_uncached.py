"""What a public page costs when it is not cached, against a Fortunes-style view.

One gunicorn (``benchmarks.wsgi``: the portal plus ``/bench/fortunes/``, see
``benchmarks.fortunes``), production settings with the page cache off
(``PUBLIC_PAGE_CACHE_SECONDS=0``), once as served and once cold (``PUBLIC_MEMO_ENTRIES=0``:
nothing memoised, as the first render after a change), the bench database (1,000 demo
actions). For each kind of public page (home, goal, strategy, plan, action, coverage,
communication plan, comparison, about, history, accessibility statement, search,
indicators, indicator page), in ``ROUNDS`` interleaved rounds: the page under load, then
the Fortunes view under the same load. Per request: the CPU time the gunicorn workers spent
(user + system, from /proc, divided by the requests answered – the database server's CPU is
not in it), and the page's throughput as a share of the Fortunes view's. Median and spread
(min–max) of the rounds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_http import (
    CLIENTS,
    ROOT,
    SECONDS,
    WORKERS,
    _environment,
    _free_port,
    _load,
    _manage,
    _pages_and_queries,
    _wait_for,
)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
FORTUNES = "/bench/fortunes/"
_TICK = os.sysconf("SC_CLK_TCK")


def _children_cpu(parent: int) -> float:
    """CPU seconds (user + system) of the processes whose parent is ``parent``."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:  # fields after "(comm)": state, ppid, …
            total += (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
    return total


def _measured(port: int, server: int, path: str) -> dict:
    before = _children_cpu(server)
    result = _load(port, path)
    cpu = _children_cpu(server) - before
    requests = result["rps"] * SECONDS
    result["cpu_ms"] = cpu / requests * 1000 if requests else 0.0
    return result


def _spread(values: list[float], fmt: str) -> str:
    low, middle, high = (
        fmt.format(value) for value in (min(values), statistics.median(values), max(values))
    )
    return f"{middle} ({low}–{high})"


def start_server(environment: dict[str, str], wsgi: str = "benchmarks.wsgi"):
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (gunicorn from this venv, on loopback)
        [
            *(sys.executable, "-m", "gunicorn", wsgi),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)),
            *("--log-level", "warning"),
        ],
        cwd=ROOT,
        env=environment,
    )
    _wait_for(port, server)
    return port, server


def stop_server(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def run() -> list[tuple[str, str, str]]:
    from benchmarks import database

    database.prepare()
    rows: list[tuple[str, str, str]] = []
    # Twice: as served (what several pages share memoised per content version,
    # flemingsberg.cache.memoised), then cold (nothing memoised: the first render after a
    # change).
    for memo, label in (("200", "uncached"), ("0", "uncached, cold")):
        rows += _run(memo, label)
    return rows


def _run(memo: str, label: str) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-uncached-") as tmp:
        work = Path(tmp)
        environment = _environment(work)
        environment["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
        environment["PUBLIC_MEMO_ENTRIES"] = memo
        _manage(environment, "collectstatic", "--no-input")
        pages = [
            page for page in _pages_and_queries(environment, every=True) if page["status"] == 200
        ]
        port, server = start_server(environment)
        try:
            _load(port, FORTUNES)  # warm up every worker
            setup = (
                f"page cache off, memo {'on' if int(memo) else 'off'}; "
                f"gunicorn {WORKERS} workers, {CLIENTS} clients × {SECONDS:g} s, "
                f"{ROUNDS} rounds page/Fortunes interleaved, median (min–max)"
            )
            fortunes_cpu: list[float] = []
            for page in pages:
                _load(port, page["url"])
                cpu, ratios, rps = [], [], []
                for _ in range(ROUNDS):
                    measured = _measured(port, server.pid, page["url"])
                    yardstick = _measured(port, server.pid, FORTUNES)
                    cpu.append(measured["cpu_ms"])
                    rps.append(measured["rps"])
                    fortunes_cpu.append(yardstick["cpu_ms"])
                    ratios.append(measured["rps"] / yardstick["rps"] if yardstick["rps"] else 0)
                rows.append(
                    (
                        f"{label} {page['name']} {page['url']}",
                        f"{_spread(cpu, '{:.1f}')} ms CPU/request; "
                        f"{_spread(ratios, '{:.2f}')} of Fortunes' req/s",
                        f"{statistics.median(rps):.0f} req/s; goal ≤ 10 ms CPU; {setup}",
                    )
                )
            rows.append(
                (
                    f"{label} Fortunes-style view {FORTUNES} (bench only)",
                    f"{_spread(fortunes_cpu, '{:.1f}')} ms CPU/request",
                    "one query, sorted, one template; benchmarks/fortunes.py",
                )
            )
        finally:
            stop_server(server)
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for row in run():
        print(" | ".join(row))
