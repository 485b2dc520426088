"""Writes across several rows: importing a file of measurements."""

from __future__ import annotations

import tablib
from import_export.results import Result

from flemingsberg.cache import content_changed

from .resources import MeasurementResource


def import_measurements(*, dataset: tablib.Dataset, user, dry_run: bool) -> Result:
    """Import measurements as drafts, all or nothing; the result holds one error per bad row.

    A dry run checks and rolls back. Without the dry run, any bad row rolls back the whole
    file as well: nothing is stored unless every row is good.
    """
    result = MeasurementResource().import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )
    if not dry_run and not result.has_errors() and not result.has_validation_errors():
        # Rows are saved one by one (signals fire); said here too, so that a later switch
        # to bulk imports cannot leave stale public pages behind.
        content_changed()
    return result


def row_errors(result: Result) -> dict[int, list[str]]:
    """The messages of each bad row, by its number in the file (1 = the first data row)."""
    errors: dict[int, list[str]] = {}
    for invalid in result.invalid_rows:
        errors[invalid.number] = [
            message for messages in invalid.error_dict.values() for message in messages
        ]
    for number, row_error_list in result.row_errors():
        errors.setdefault(number, []).extend(str(error.error) for error in row_error_list)
    return errors
