"""The report of a closed follow-up round, rendered from its snapshot and stored unchanged."""

from __future__ import annotations

from django.db import transaction


def store_round_report(round) -> None:
    """Render the round's report (sv and en) from its snapshot and store it."""
    # Filled in the next step (the report itself); kept one function so the render job
    # queue can take it over.
    return None


def store_round_report_on_commit(round) -> None:
    transaction.on_commit(lambda: store_round_report(round))
