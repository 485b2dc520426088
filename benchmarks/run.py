"""`make bench`: runs every benchmarks/bench_*.py module and prints one table.

Each module has ``run() -> list[tuple[str, str, str]]`` returning rows of
(what, figure, note). Benchmarks print figures; they are not tests and assert nothing.

They all run against the benchmark's own database (``benchmarks/database.py``): a throwaway
SQLite file, or with ``DATABASE_URL`` set a dedicated ``…_bench`` PostgreSQL database,
recreated with the programme content and a generated 1,000-action DEMO plan.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings")
os.environ.setdefault("DEBUG", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from benchmarks import database

    database.prepare()  # before Django reads DATABASE_URL
    import django

    django.setup()
    import benchmarks

    rows: list[tuple[str, str, str]] = []
    for module_info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not module_info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"benchmarks.{module_info.name}")
        print(f"running {module_info.name} …", file=sys.stderr, flush=True)
        rows.extend(module.run())
    widths = [max(len(row[i]) for row in [("what", "figure", "note"), *rows]) for i in range(3)]
    line = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
    print(line.format("what", "figure", "note"))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line.format(*row))


if __name__ == "__main__":
    main()
