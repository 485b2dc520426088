"""The benchmark's own database, the same for everyone who runs ``make bench``.

- ``DATABASE_URL`` unset: a throwaway SQLite file in a temporary directory (never the
  developer's ``db.sqlite3``), deleted when the run ends.
- ``DATABASE_URL=postgres://…/NAME``: a dedicated database on that server, ``NAME`` itself
  when it ends in ``bench`` (e.g. ``flemingsberg_bench``), else ``NAME_bench``. It is dropped
  and created again at the start of every run, so the role needs CREATEDB; the database
  ``NAME`` itself is never touched.

Into it: migrations, the programme content (``load_programme_content``) and a generated,
adopted DEMO plan of ``BENCH_ACTIONS`` (1,000) actions (``generate_demo_plan``).
``prepare()`` points ``DATABASE_URL`` of this process at that database, so the benchmarks
that run in-process (import) and the gunicorn server started by bench_http use it too.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "1000"))
DEMO_YEAR = datetime.date.today().year
PREPARED = "BENCH_PREPARED"  # set once prepared: a child process does not do it again
_tmp: tempfile.TemporaryDirectory | None = None


def _bench_postgres_url(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "flemingsberg"
    if not name.endswith("bench"):
        name = f"{name}_bench"
    return urlunsplit(parts._replace(path=f"/{name}"))


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _manage(*args: str) -> None:
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"DEBUG": "1", **os.environ},  # setup commands only; the server runs DEBUG off
        check=True,
        stdout=subprocess.DEVNULL,
    )


def describe() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlsplit(url)
        return f"PostgreSQL database {parts.path.lstrip('/')} on {parts.hostname}"
    return "SQLite (throwaway file)"


def prepare() -> str:
    """Create and fill the bench database; returns its URL (also in os.environ)."""
    global _tmp
    if os.environ.get(PREPARED):
        return os.environ["DATABASE_URL"]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        url = _bench_postgres_url(url)
        _recreate_postgres(url)
    else:
        _tmp = tempfile.TemporaryDirectory(prefix="bench-db-")
        url = f"sqlite:///{Path(_tmp.name) / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    print(f"bench database: {describe()}; {ACTIONS} demo actions …", file=sys.stderr, flush=True)
    _manage("migrate", "--no-input")
    _manage("load_programme_content")
    _manage("generate_demo_plan", "--actions", str(ACTIONS), "--year", str(DEMO_YEAR))
    os.environ[PREPARED] = "1"
    return url
