"""A plan's actions to and from spreadsheets, through the admin's import pages (upload, dry
run with the changes per row, confirmation) as staff use them."""

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, ActionPartner, ActionPlan
from actionplan.resources import COLUMNS
from actionplan.services import export_actions
from flemingsberg.models import ImportJob

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict], columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def _row(number="2026:01", **values) -> dict:
    row = {
        "number": number,
        "title_sv": f"Åtgärd {number}",
        "title_en": f"Action {number}",
        "lead_party": "huddinge",
        "co_responsible": "botkyrka: medfinansiär; Region Stockholm",
        "goals": "mal-1; Mål 2",
        "strategies": "strategi-1",
        "sub_strategies": "strategi-1/del-2",
        "start_year": "2026",
        "start_quarter": "2",
        "end_year": "2027",
        "end_quarter": "4",
        "status": "ongoing",
        "progress": "40",
        "budget_sek": "250000",
        "funder": "huddinge",
    }
    row.update(values)
    return row


@pytest.fixture
def plan(make_plan, parties):
    return make_plan(year=2026)


@pytest.fixture
def editor_user(make_staff):
    return make_staff("editor")


@pytest.fixture
def upload_url(plan):
    return reverse("admin:actionplan_actionplan_import", args=[plan.pk])


@pytest.fixture
def imported(run_import, upload_url):
    """Import rows as a user, confirmed: the finished job."""

    def run(user, data: bytes, **kwargs):
        return run_import(user, upload_url, data, confirm=True, **kwargs)

    return run


def test_good_csv_imports_every_reference(imported, editor_user, parties):
    run = imported(editor_user, _csv([_row("2026:01"), _row("2026:02", status="planned")]))
    assert run.job.state == ImportJob.State.IMPORTED, run.problems
    assert (run.report["new"], run.report["updated"]) == (2, 0)
    action = Action.objects.get(number="2026:01")
    assert action.lead_organisation == parties["huddinge"]
    assert {(p.organisation.slug, p.role) for p in action.partners.all()} == {
        ("botkyrka", "medfinansiär"),
        ("region-stockholm", ""),
    }
    assert sorted(action.goals.values_list("slug", flat=True)) == ["mal-1", "mal-2"]
    assert action.sub_strategies.get().slug == "del-2"
    assert (action.status, action.progress, action.budget_sek) == ("ongoing", 40, 250000)
    assert action.history.first().history_user == editor_user
    assert not run.job.storage_name  # the file is deleted once imported


def test_dry_run_writes_nothing_and_confirm_imports_the_kept_file(
    run_import, upload_url, editor_user
):
    run = run_import(editor_user, upload_url, _csv([_row()]))
    assert run.job.state == ImportJob.State.CHECKED
    html = run.page()
    assert "Provkörning: 1 nya" in html and "Bekräfta import" in html
    assert not Action.objects.exists()
    assert not ActionPartner.objects.exists()
    assert Action.history.count() == 0  # not even a rolled-back history row
    assert run.job.storage_name  # kept on the server between the dry run and the confirm
    run.confirm()
    assert run.job.state == ImportJob.State.IMPORTED
    assert Action.objects.get().number == "2026:01"


def test_a_confirm_posts_no_file_and_a_large_file_is_confirmed(
    run_import, upload_url, editor_user, settings
):
    """A 5.5 MB file passed the dry run and then the confirm answered a bare 400 (the file came
    back base64-encoded in the form, over Django's 2.5 MB limit). The confirm now sends the
    job's address only."""
    description = "Lång beskrivning. " * 1_000  # about 18 KB a row
    rows = [_row(f"2026:{n:03d}", description_sv=description) for n in range(300)]
    data = _csv(rows)
    assert len(data) > 5 * 1024 * 1024
    settings.IMPORT_TASK_ROWS = 1_000  # run in the request
    run = run_import(editor_user, upload_url, data, confirm=True)
    assert run.job.state == ImportJob.State.IMPORTED, run.problems
    assert Action.objects.count() == 300


def test_an_update_with_empty_cells_keeps_the_stored_values(
    run_import, upload_url, editor_user, make_action, plan, parties
):
    """Issue 11 item 2: an update row with empty cells cleared description, contact,
    strategies, quarters and co-funders, and the dry run only said "update"."""
    action = make_action(
        plan,
        "2026:01",
        description="Beskrivning",
        contact_person="Anna Andersson",
        start_year=2026,
        start_quarter=2,
        end_year=2027,
        end_quarter=3,
        progress=20,
        status="ongoing",
    )
    action.strategies.add(plan.programme.strategies.get(slug="strategi-1"))
    ActionPartner.objects.create(action=action, organisation=parties["botkyrka"], role="Stöd")
    row = dict.fromkeys(COLUMNS, "")
    row.update(number="2026:01", progress="60")  # one change, every other cell empty
    run = run_import(editor_user, upload_url, _csv([row]))
    assert run.job.state == ImportJob.State.CHECKED, run.problems
    assert run.report["rows"] == [
        {
            "row": 2,
            "type": "update",
            "label": "2026:01 Åtgärd 2026:01",
            "changes": [["progress", "20", "60"]],
        }
    ]
    html = run.page()
    assert "<code>progress</code>: <del>20</del> → <ins>60</ins>" in html
    run.confirm()
    action.refresh_from_db()
    assert action.progress == 60
    assert (action.description_sv, action.contact_person) == ("Beskrivning", "Anna Andersson")
    assert (action.start_quarter, action.end_year, action.end_quarter) == (2, 2027, 3)
    assert list(action.strategies.values_list("slug", flat=True)) == ["strategi-1"]
    assert [(p.organisation.slug, p.role) for p in action.partners.all()] == [("botkyrka", "Stöd")]


def test_the_dry_run_shows_each_changed_field_old_and_new(
    run_import, upload_url, editor_user, make_action, plan
):
    make_action(plan, "2026:01", title="Före", status="planned")
    make_action(plan, "2026:02", title="Oförändrad")
    rows = [
        {"number": "2026:01", "title_sv": "Efter", "status": "Pågående", "goals": "mal-1; mal-2"},
        {"number": "2026:02", "title_sv": "Oförändrad"},
        {"number": "2026:03", "title_sv": "Ny", "lead_party": "huddinge", "goals": "mal-1"},
    ]
    run = run_import(
        editor_user, upload_url, _csv(rows, ("number", "title_sv", "status", "lead_party", "goals"))
    )
    report = run.report
    assert (report["new"], report["updated"], report["unchanged"]) == (1, 1, 1)
    changed = report["rows"][0]
    assert changed["row"] == 2 and changed["type"] == "update"
    assert changed["changes"] == [
        ["title_sv", "Före", "Efter"],
        ["goals", "mal-1", "mal-1; mal-2"],
        ["status", "planned", "ongoing"],
    ]
    assert report["rows"][1]["row"] == 4 and report["rows"][1]["type"] == "new"
    assert Action.objects.get(number="2026:01").title_sv == "Före"  # a dry run


def test_export_and_reimport_round_trip_in_both_formats(
    imported, run_import, upload_url, editor_user, plan
):
    imported(editor_user, _csv([_row("2026:01"), _row("2026:02")]))
    for file_format in ("xlsx", "csv"):
        content = export_actions(plan=plan, file_format=file_format)
        run = run_import(editor_user, upload_url, content, name=f"export.{file_format}")
        assert run.job.state == ImportJob.State.CHECKED, (file_format, run.problems)
        # What was exported comes back unchanged: nothing to do.
        assert (run.report["new"], run.report["updated"], run.report["unchanged"]) == (0, 0, 2)
    workbook = openpyxl.load_workbook(io.BytesIO(export_actions(plan=plan, file_format="xlsx")))
    header = [cell.value for cell in next(workbook.active.iter_rows(max_row=1))]
    assert header == list(COLUMNS)  # the same columns out as in
    assert Action.objects.count() == 2


BAD_CELLS = [
    ({"lead_party": "stockholms-stad"}, "lead_party", "okänd part ”stockholms-stad”"),
    ({"co_responsible": "nowhere"}, "co_responsible", "okänd part ”nowhere”"),
    ({"co_responsible": "huddinge"}, "co_responsible", "kan inte också vara medansvarig"),
    ({"goals": "mal-9"}, "goals", "okänt mål ”mal-9”"),
    ({"status": "halfway"}, "status", "okänd status ”halfway”"),
    ({"progress": "140"}, "progress", "utanför 0–100"),
    ({"progress": "-5"}, "progress", "utanför 0–100"),
    ({"progress": "4,5"}, "progress", "inte ett heltal"),
    ({"budget_sek": "mycket"}, "budget_sek", "inte ett tal"),
    ({"title_sv": ""}, "title_sv", "titel saknas"),
    ({"title_sv": "x" * 301}, "title_sv", "som mest 300 tecken"),
    (
        {"status": "completed", "progress": "80", "completed_on": "2026-06-30"},
        "progress",
        "genomförd åtgärd har framdriften 100",
    ),
    ({"completed_on": "31/12/2026"}, "completed_on", "inte ett datum"),
    ({"end_year": "2030"}, "end_year", "utanför 2026–2028"),
    ({"start_year": "2027", "end_year": "2026"}, "end_year", "slutet ligger före starten"),
    ({"predecessor": "1999:01"}, "predecessor", "ingen åtgärd 1999:01"),
]


@pytest.mark.parametrize(("values", "column", "reason"), BAD_CELLS)
def test_each_bad_cell_is_named_and_nothing_is_imported(
    imported, editor_user, make_action, plan, values, column, reason
):
    existing = make_action(plan, "2026:01", title="Före")
    rows = [_row("2026:01", title_sv="Efter"), _row("2026:02", **values), _row("2026:03")]
    run = imported(editor_user, _csv(rows))
    assert run.job.state == ImportJob.State.REFUSED
    assert len(run.problems) == 1, run.problems
    row, problem_column, problem = run.problems[0]
    assert (row, problem_column) == (3, column)  # header is row 1
    assert reason in problem
    html = run.page()
    assert "inget importerades" in html and reason in html
    # All or nothing: the good rows were not imported either.
    assert list(Action.objects.values_list("number", flat=True)) == ["2026:01"]
    existing.refresh_from_db()
    assert existing.title_sv == "Före"


def test_a_row_with_several_bad_cells_gets_one_problem_per_cell(imported, editor_user):
    rows = [_row("2026:01", goals="x", status="y"), _row("2026:02"), _row("2026:03", progress="z")]
    run = imported(editor_user, _csv(rows))
    assert [(row, column) for row, column, _reason in run.problems] == [
        (2, "goals"),
        (2, "status"),
        (4, "progress"),
    ]


def test_duplicate_number_names_both_rows(imported, editor_user):
    run = imported(editor_user, _csv([_row("2026:01"), _row("2026:02"), _row("2026:01")]))
    assert [(row, column) for row, column, _reason in run.problems] == [(4, "number")]
    assert "dubblerat nummer 2026:01 (även på rad 2)" in run.problems[0][2]
    assert not Action.objects.exists()


def test_missing_and_unknown_columns_are_reported(imported, editor_user):
    run = imported(editor_user, b"title_sv,colour\nTitel,red\n")
    reasons = {(column, reason) for _row, column, reason in run.problems}
    assert reasons == {("number", "kolumn saknas"), ("colour", "okänd kolumn")}


def test_import_into_adopted_plan_is_refused_with_a_clear_message(
    run_import, make_plan, editor_user
):
    plan = make_plan(year=2025, status=ActionPlan.Status.ADOPTED)
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    run = run_import(editor_user, url, _csv([_row("2025:01", start_year="", end_year="")]))
    assert run.job.state == ImportJob.State.REFUSED
    assert "är antagen" in run.problems[0][2]
    assert not Action.objects.exists()


# --- who may import what (issue 10 item 3) ------------------------------------------------


def test_coordinator_imports_only_own_partys_actions(imported, make_staff, make_action, plan):
    coordinator = make_staff("coordinator", "huddinge")
    other = make_action(plan, "2026:05", lead="botkyrka")
    ok = imported(coordinator, _csv([_row("2026:01")]))
    assert ok.job.state == ImportJob.State.IMPORTED, ok.problems
    refused = imported(coordinator, _csv([_row("2026:02", lead_party="botkyrka")]))
    assert [(r, c) for r, c, _reason in refused.problems] == [(2, "lead_party")]
    assert "egen parts" in refused.problems[0][2]
    taken_over = imported(coordinator, _csv([_row("2026:05")]))
    assert "number" in {c for _r, c, _reason in taken_over.problems}
    other.refresh_from_db()
    assert other.lead_organisation.slug == "botkyrka"
    assert Action.objects.count() == 2


def test_a_co_responsible_coordinator_cannot_take_over_the_lead(
    imported, make_staff, make_action, plan, parties
):
    """Issue 10 item 3: a row for an action led by Botkyrka, where Huddinge is co-responsible,
    made Huddinge the lead and removed Botkyrka."""
    action = make_action(plan, "2026:07", lead="botkyrka", partners=["huddinge"])
    coordinator = make_staff("coordinator", "huddinge")
    row = _row("2026:07", lead_party="huddinge", co_responsible="region-stockholm")
    run = imported(coordinator, _csv([row]))
    assert run.job.state == ImportJob.State.REFUSED
    assert [(r, c) for r, c, _reason in run.problems] == [(2, "number")]
    assert "leds av en annan part" in run.problems[0][2]
    action.refresh_from_db()
    assert action.lead_organisation == parties["botkyrka"]
    assert [p.organisation.slug for p in action.partners.all()] == ["huddinge"]


def test_no_coordinator_import_changes_the_lead_party(
    imported, make_staff, make_action, plan, parties
):
    action = make_action(plan, "2026:08", lead="huddinge")
    coordinator = make_staff("coordinator", "huddinge")
    run = imported(coordinator, _csv([_row("2026:08", lead_party="botkyrka")]))
    assert [(r, c) for r, c, _reason in run.problems] == [(2, "lead_party")]
    action.refresh_from_db()
    assert action.lead_organisation == parties["huddinge"]
    # Their own party's action with the lead left as it is: changed.
    run = imported(coordinator, _csv([_row("2026:08", title_sv="Ny titel", lead_party="")]))
    assert run.job.state == ImportJob.State.IMPORTED, run.problems
    action.refresh_from_db()
    assert (action.title_sv, action.lead_organisation) == ("Ny titel", parties["huddinge"])


def test_an_editor_may_change_the_lead_party(imported, editor_user, make_action, plan, parties):
    action = make_action(plan, "2026:09", lead="huddinge")
    run = imported(editor_user, _csv([_row("2026:09", lead_party="botkyrka", co_responsible="")]))
    assert run.job.state == ImportJob.State.IMPORTED, run.problems
    action.refresh_from_db()
    assert action.lead_organisation == parties["botkyrka"]


# --- through the admin pages ---------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"), [("coordinator", 200), ("editor", 200), ("steering", 403)]
)
def test_import_page_matrix(plan, make_staff, role, status):
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    assert _client(make_staff(role)).get(url).status_code == status


def test_steering_may_not_upload(run_import, upload_url, make_staff):
    run = run_import(make_staff("steering"), upload_url, _csv([_row()]))
    assert run.response.status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "editor", "steering"])
def test_every_role_may_export(plan, make_staff, make_action, role):
    make_action(plan, "2026:01")
    url = reverse("admin:actionplan_actionplan_export", args=[plan.pk, "csv"])
    response = _client(make_staff(role)).get(url)
    assert response.status_code == 200
    assert "2026:01" in response.content.decode()
