"""`make run` serves with one task worker beside the server, and never leaves the worker behind.

scripts/serve is run with a stand-in for Python that records which command it was asked to run
and how it was stopped, so the test needs neither a port nor a database.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_PYTHON = """\
import os, signal, sys, time
log = os.environ["FAKE_LOG"]
command = sys.argv[2]
def note(what):
    with open(log, "a") as f:
        f.write(f"{command} {what}\\n")
def stop(signum, frame):
    note(signal.Signals(signum).name)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
if command == "db_worker":
    signal.signal(signal.SIGINT, stop)  # as db_worker does: it handles SIGINT itself
with open(log + ".pids", "a") as f:
    f.write(f"{os.getpid()}\\n")
note("started " + " ".join(sys.argv[3:]))
deadline = time.monotonic() + float(os.environ.get("FAKE_SERVER_SECONDS", "30"))
while command != "runserver" or time.monotonic() < deadline:
    time.sleep(0.05)
note("exited")
"""


@pytest.fixture
def serve(tmp_path):
    """Starts scripts/serve; afterwards kills whatever it left running (only if a test fails)."""
    started = []

    def start(**env):
        process, log = _start(tmp_path, **env)
        started.append(process)
        return process, log

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    pids = tmp_path / "log.pids"
    for pid in pids.read_text().split() if pids.exists() else ():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)


def _start(tmp_path, **env):
    fake = tmp_path / "python"
    fake.write_text(f"#!{sys.executable}\n{FAKE_PYTHON}")
    fake.chmod(0o755)
    log = tmp_path / "log"
    process = subprocess.Popen(  # noqa: S603 (our own script and paths)
        ["bash", str(ROOT / "scripts" / "serve"), str(fake), "127.0.0.1:8399"],  # noqa: S607
        cwd=tmp_path,
        env={**os.environ, "FAKE_LOG": str(log), **env},
        start_new_session=True,  # its own process group, as a terminal gives `make run`
        # A terminal's Ctrl+C reaches a process whose SIGINT is not ignored; pytest's may be.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    for _ in range(100):
        if log.exists() and log.read_text().count("started") == 2:
            break
        time.sleep(0.05)
    return process, log


def _lines(log: Path) -> list[str]:
    return log.read_text().splitlines()


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_make_run_stops_the_worker_once_and_gracefully(serve, how):
    process, log = serve()
    assert sorted(_lines(log)) == [
        "db_worker started --queue-name * --no-reload",
        "runserver started 127.0.0.1:8399",
    ]
    # Ctrl+C: the terminal signals the whole foreground process group.
    os.killpg(process.pid, how)
    process.wait(timeout=10)
    lines = _lines(log)
    # One SIGTERM for the worker, so db_worker finishes a running task (a second signal,
    # e.g. Ctrl+C reaching it too, would kill the task).
    assert lines.count("db_worker SIGTERM") == 1
    assert not any(line.startswith("db_worker SIGINT") for line in lines)
    assert "runserver SIGTERM" in lines
    assert process.returncode != 0


def test_worker_stops_when_the_server_exits_on_its_own(serve):
    # e.g. the port is taken: the server exits, and the worker must not outlive it.
    process, log = serve(FAKE_SERVER_SECONDS="0.5")
    process.wait(timeout=10)
    assert _lines(log)[-2:] == ["runserver exited", "db_worker SIGTERM"]
