"""Site search at 10,000 actions, through ``search.engine`` (no HTTP), in the bench database.

Adds an adopted DEMO plan of ``BENCH_SEARCH_ACTIONS`` (10,000) actions for an earlier year (so
the pages of the other benchmarks keep the 1,000-action plan in force), then runs the same
queries with the actions' stored, GIN-indexed vectors (``search_sv``) and, for comparison, with
the vectors computed per query as before (``to_tsvector`` for every action). Per search: the
median wall time of ``ROUNDS`` passes over the queries, and the searches per second one process
makes. PostgreSQL only (SQLite has no full-text search: the row says so).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import time

from benchmarks import database

ACTIONS = int(os.environ.get("BENCH_SEARCH_ACTIONS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
QUERIES = ["bostäder", "cykel", "trygghet", "skola", "stationen", "grön", "åtgärd 17", "samverkan"]


def _timed(engine) -> list[float]:
    per_search = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for query in QUERIES:
            engine.search(query, language="sv")
        per_search.append((time.perf_counter() - start) / len(QUERIES))
    return per_search


def run() -> list[tuple[str, str, str]]:
    from django.db import connection

    from actionplan.models import Action
    from search import engine

    if connection.vendor != "postgresql":
        return [("search", "not measured", "PostgreSQL only (SQLite: icontains fallback)")]
    year = database.DEMO_YEAR - 30
    from django.core.management import call_command

    call_command("generate_demo_plan", actions=ACTIONS, year=year, seed=13)
    with connection.cursor() as cursor:  # what autovacuum does soon after, in production
        cursor.execute("ANALYZE actionplan_action")
    public = Action.objects.public().count()
    engine.search(QUERIES[0], language="sv")  # warm
    stored = _timed(engine)
    action_kind = engine.KINDS["action"]
    engine.KINDS["action"] = dataclasses.replace(action_kind, stored_vector=None)
    try:
        computed = _timed(engine)
    finally:
        engine.KINDS["action"] = action_kind
    median = statistics.median(stored)
    before = statistics.median(computed)
    return [
        (
            f"search, {public:,} public actions (stored vector, GIN)",
            f"{median * 1000:.1f} ms per search ({1 / median:.0f}/s in one process)",
            f"all 7 kinds, {len(QUERIES)} Swedish queries × {ROUNDS}; "
            f"computed per query as before: {before * 1000:.0f} ms ({1 / before:.0f}/s), "
            f"{before / median:.0f}× slower",
        )
    ]
