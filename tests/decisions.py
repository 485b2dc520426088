"""Decision records for tests: an adopted plan rests on the coordination group's decision."""

from __future__ import annotations

import datetime

from programme.models import Decision


def coordination_decision(
    date: datetime.date | str = datetime.date(2025, 12, 1),
    paragraph: str = "§ 1",
    number: str = "",
    **fields,
) -> Decision:
    """A decision of the political coordination group (what adopts a plan)."""
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    return Decision.objects.create(
        body=Decision.Body.COORDINATION_GROUP,
        date=date,
        minutes_paragraph=paragraph,
        reference_number=number,
        **fields,
    )
