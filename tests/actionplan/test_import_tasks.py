"""Large imports run as tasks (issue 13 build 3): the job page shows "rad n av N", the
worker does the dry run and, once confirmed, the import; still all or nothing."""

import csv
import io

import pytest
from django.urls import reverse

from actionplan.models import Action
from flemingsberg.models import ImportJob

ROWS = 5


def _csv(rows: int, bad_row: int | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["number", "title_sv", "lead_party", "goals"])
    writer.writeheader()
    for n in range(rows):
        writer.writerow(
            {
                "number": f"2026:{n:03d}",
                "title_sv": f"Åtgärd {n}",
                "lead_party": "huddinge",
                "goals": "mal-9" if n == bad_row else "mal-1",
            }
        )
    return out.getvalue().encode()


@pytest.fixture
def plan(make_plan, parties):
    return make_plan(year=2026)


@pytest.mark.django_db(transaction=True)
def test_a_large_import_runs_in_the_worker_with_progress(
    run_import, plan, make_staff, settings, task_worker
):
    settings.IMPORT_TASK_ROWS = ROWS - 1
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    run = run_import(make_staff("editor"), url, _csv(ROWS))
    assert run.job.state == ImportJob.State.CHECKING  # queued, not run in the request
    assert run.job.task_id
    page = run.page()
    assert "Filen kontrolleras (provkörning)" in page and "rad 0 av 5" in page
    storage = str(settings.STORAGES["import_export"]["OPTIONS"]["location"])
    task_worker(IMPORT_STORAGE_ROOT=storage)
    run.job.refresh_from_db()
    assert run.job.state == ImportJob.State.CHECKED, run.job.report
    assert run.job.report["new"] == ROWS
    assert not Action.objects.exists()
    run.confirm()
    assert run.job.state == ImportJob.State.IMPORTING
    assert "Importerar" in run.page()
    task_worker(IMPORT_STORAGE_ROOT=storage)
    run.job.refresh_from_db()
    assert run.job.state == ImportJob.State.IMPORTED, run.job.report
    assert Action.objects.count() == ROWS


@pytest.mark.django_db
def test_a_large_import_with_one_bad_row_imports_nothing(run_import, plan, make_staff, settings):
    """Through the task (the suite runs tasks at once): all or nothing as in the request."""
    settings.IMPORT_TASK_ROWS = 1
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    run = run_import(make_staff("editor"), url, _csv(ROWS, bad_row=3), confirm=True)
    assert run.job.task_id
    assert run.job.state == ImportJob.State.REFUSED
    assert run.problems == [(5, "goals", "okänt mål ”mal-9”")]
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_progress_reads_rows_of_the_file(run_import, plan, make_staff, settings):
    from flemingsberg.imports import _set_progress, progress_text

    run = run_import(
        make_staff("editor"), reverse("admin:actionplan_actionplan_import", args=[plan.pk]), _csv(2)
    )
    job = run.job
    job.rows, job.state = 50_000, ImportJob.State.IMPORTING
    _set_progress(job, 12_000)
    from flemingsberg.imports import progress_of

    assert progress_text(job, progress_of(job)) == "rad 12\xa0000 av 50\xa0000"
