"""The uploaded file between the dry run and the confirmation (issue 10 item 5): kept in
django-import-export's storage in a folder of the user; a confirmation names the job, and
only its user may give it; nothing reads a file name from the browser."""

import csv
import io
import tempfile
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from actionplan.models import Action
from flemingsberg.cache import content_version
from flemingsberg.models import ImportJob

pytestmark = pytest.mark.django_db


def _csv(*numbers) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["number", "title_sv", "lead_party", "goals"])
    writer.writeheader()
    for number in numbers:
        writer.writerow(
            {
                "number": number,
                "title_sv": f"Åtgärd {number}",
                "lead_party": "huddinge",
                "goals": "mal-1",
            }
        )
    return out.getvalue().encode()


@pytest.fixture
def plan(make_plan, parties):
    return make_plan(year=2026)


@pytest.fixture
def checked(run_import, plan, make_staff):
    """An editor's file, checked and waiting for its confirmation."""
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    run = run_import(make_staff("editor"), url, _csv("2026:01"))
    assert run.job.state == ImportJob.State.CHECKED
    return run


def _stored_path(settings, job) -> Path:
    root = Path(settings.STORAGES["import_export"]["OPTIONS"]["location"])
    return root / job.storage_folder / job.storage_name


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_upload_is_kept_in_the_library_storage_in_the_users_folder(checked, settings):
    job = checked.job
    path = _stored_path(settings, job)
    assert path.is_file()
    assert path.parent.name == str(job.user_id)
    assert len(job.storage_name) == 32  # MediaStorage's random name
    assert not Path(tempfile.gettempdir(), job.storage_name).exists()
    assert settings.IMPORT_EXPORT_TMP_STORAGE_CLASS == "import_export.tmp_storages.MediaStorage"


def test_another_users_confirm_is_refused_with_a_message(checked, plan, make_staff, settings):
    other = Client()
    other.force_login(make_staff("editor", "huddinge", username="other-editor"))
    url = reverse("admin:actionplan_actionplan_import_job_confirm", args=[plan.pk, checked.job.pk])
    response = other.post(url)
    assert response.status_code == 302
    assert _messages(response) == [
        "Den här importen laddades upp av en annan användare; bara hen kan se och bekräfta den."
    ]
    page = other.get(
        reverse("admin:actionplan_actionplan_import_job", args=[plan.pk, checked.job.pk])
    )
    assert page.status_code == 302  # nor see it
    checked.job.refresh_from_db()
    assert checked.job.state == ImportJob.State.CHECKED
    assert _stored_path(settings, checked.job).is_file()  # the owner's file is untouched
    assert not Action.objects.exists()


def test_a_forged_job_is_refused_with_a_message(checked, plan):
    url = reverse(
        "admin:actionplan_actionplan_import_job_confirm",
        args=[plan.pk, "00000000-0000-0000-0000-000000000000"],
    )
    response = checked.client.post(url)
    assert _messages(response) == [
        "Den importen finns inte: den kan ha gått ut. Ladda upp filen igen."
    ]
    assert not Action.objects.exists()


def test_a_file_name_from_the_browser_is_never_read_or_deleted(editor_client, tmp_path):
    """The measurement import's library confirm step read and then deleted whatever file in
    the temp folder its form named. That view is gone; the name reaches no file."""
    victim = Path(tempfile.gettempdir(), "victim-of-a-forged-import.csv")
    victim.write_text("sub_target,period_year,value\ndelmal-1,2019,5\n")
    try:
        response = editor_client.post(
            "/admin/indicators/measurement/process_import/",
            {"import_file_name": victim.name, "original_file_name": "a.csv", "format": "0"},
        )
        assert response.status_code in (302, 404)
        assert victim.exists()
    finally:
        victim.unlink()


def test_a_confirm_is_done_once(checked):
    checked.confirm()
    assert checked.job.state == ImportJob.State.IMPORTED
    again = checked.confirm()
    assert "kan inte bekräftas" in _messages(again)[-1]
    assert Action.objects.count() == 1


def test_discarding_deletes_the_file(checked, plan, settings):
    path = _stored_path(settings, checked.job)
    url = reverse("admin:actionplan_actionplan_import_job_discard", args=[plan.pk, checked.job.pk])
    checked.client.post(url)
    checked.job.refresh_from_db()
    assert checked.job.state == ImportJob.State.DISCARDED
    assert not path.exists()
    assert checked.confirm().status_code == 302
    assert not Action.objects.exists()


@pytest.mark.django_db(transaction=True)  # the real import's bump waits for its commit
def test_a_dry_run_invalidates_no_page_and_an_import_does_once(run_import, plan, make_staff):
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    editor = make_staff("editor")
    before = content_version()
    run = run_import(editor, url, _csv("2026:01", "2026:02", "2026:03"))
    assert run.job.state == ImportJob.State.CHECKED
    assert content_version() == before
    run.confirm()
    assert run.job.state == ImportJob.State.IMPORTED
    # Three actions with their goals and history records, in one transaction: one bump.
    assert Action.objects.count() == 3
    assert content_version() == before + 1


def test_progress_is_reported_as_rows_of_the_file(checked, plan):
    url = reverse("admin:actionplan_actionplan_import_job_progress", args=[plan.pk, checked.job.pk])
    data = checked.client.get(url).json()
    assert data == {"state": "checked", "done": 1, "total": 1, "text": "rad 1 av 1"}
