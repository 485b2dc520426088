import csv
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, ActionPlan
from actionplan.resources import COLUMNS
from actionplan.services import export_actions, import_actions

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


def test_good_csv_imports_every_reference(plan, editor_user, parties):
    data = _csv([_row("2026:01"), _row("2026:02", status="planned", progress="")])
    report = import_actions(plan=plan, by=editor_user, data=data, file_format="csv", dry_run=False)
    assert report.problems == []
    assert (report.new, report.updated) == (2, 0)
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


def test_dry_run_reports_and_saves_nothing(plan, editor_user):
    report = import_actions(
        plan=plan, by=editor_user, data=_csv([_row()]), file_format="csv", dry_run=True
    )
    assert report.ok and report.new == 1
    assert report.rows[0][0] == 2 and report.rows[0][2] == "2026:01"
    assert not Action.objects.exists()


def test_export_and_reimport_round_trip_in_both_formats(plan, editor_user):
    import_actions(
        plan=plan,
        by=editor_user,
        data=_csv([_row("2026:01"), _row("2026:02")]),
        file_format="csv",
        dry_run=False,
    )
    for file_format in ("xlsx", "csv"):
        content = export_actions(plan=plan, file_format=file_format)
        report = import_actions(
            plan=plan, by=editor_user, data=content, file_format=file_format, dry_run=False
        )
        assert report.problems == [], file_format
        assert (report.new, report.updated) == (0, 2)
    workbook = openpyxl.load_workbook(io.BytesIO(export_actions(plan=plan, file_format="xlsx")))
    header = [cell.value for cell in next(workbook.active.iter_rows(max_row=1))]
    assert header == list(COLUMNS)  # the same columns out as in
    assert Action.objects.count() == 2


BAD_ROWS = [
    ({"lead_party": "stockholms-stad"}, "lead_party", "okänd part"),
    ({"co_responsible": "nowhere"}, "co_responsible", "okänd part"),
    ({"goals": "mal-9"}, "goals", "okänt mål"),
    ({"status": "halfway"}, "status", "okänd status"),
    ({"progress": "140"}, "progress", "utanför 0–100"),
    ({"progress": "-5"}, "progress", "utanför 0–100"),
    ({"title_sv": ""}, "title_sv", "titel saknas"),
    ({"status": "completed", "progress": "80"}, "progress", "genomförd"),
    ({"end_year": "2030"}, "end_year", "utanför 2026–2028"),
]


@pytest.mark.parametrize(("values", "column", "reason"), BAD_ROWS)
def test_each_bad_row_is_named_and_nothing_is_imported(
    plan, editor_user, make_action, values, column, reason
):
    existing = make_action(plan, "2026:01", title="Före")
    rows = [_row("2026:01", title_sv="Efter"), _row("2026:02", **values), _row("2026:03")]
    report = import_actions(
        plan=plan, by=editor_user, data=_csv(rows), file_format="csv", dry_run=False
    )
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.row, problem.column) == (3, column)  # header is row 1
    assert reason in problem.reason
    assert f"rad 3, {column}:" in str(problem)
    # All or nothing: the good rows were rolled back too.
    assert list(Action.objects.values_list("number", flat=True)) == ["2026:01"]
    existing.refresh_from_db()
    assert existing.title_sv == "Före"


def test_duplicate_number_names_both_rows(plan, editor_user):
    rows = [_row("2026:01"), _row("2026:02"), _row("2026:01")]
    report = import_actions(
        plan=plan, by=editor_user, data=_csv(rows), file_format="csv", dry_run=False
    )
    assert [(p.row, p.column) for p in report.problems] == [(4, "number")]
    assert "dubblerat nummer 2026:01 (även på rad 2)" in report.problems[0].reason
    assert not Action.objects.exists()


def test_several_bad_rows_give_one_error_each(plan, editor_user):
    rows = [_row("2026:01", goals="x", status="y"), _row("2026:02"), _row("2026:03", progress="z")]
    report = import_actions(
        plan=plan, by=editor_user, data=_csv(rows), file_format="csv", dry_run=True
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "goals"), (4, "progress")]


@pytest.mark.parametrize(
    ("data", "file_format"),
    [
        (b"PK\x03\x04 this is not a workbook", "xlsx"),
        (b"\x00\x01\x02", "xlsx"),
        (b"", "csv"),
    ],
)
def test_malformed_file_is_refused(plan, editor_user, data, file_format):
    report = import_actions(
        plan=plan, by=editor_user, data=data, file_format=file_format, dry_run=False
    )
    assert len(report.problems) == 1
    assert "felaktig fil" in report.problems[0].reason
    assert not Action.objects.exists()


def test_missing_and_unknown_columns_are_reported(plan, editor_user):
    data = b"number,title_sv,colour\n2026:01,Titel,red\n"
    report = import_actions(plan=plan, by=editor_user, data=data, file_format="csv")
    reasons = {(p.column, p.reason) for p in report.problems}
    assert ("lead_party", "kolumn saknas") in reasons
    assert ("colour", "okänd kolumn") in reasons


def test_import_into_adopted_plan_is_refused_with_a_clear_message(make_plan, editor_user):
    plan = make_plan(year=2025, status=ActionPlan.Status.ADOPTED)
    report = import_actions(
        plan=plan, by=editor_user, data=_csv([_row("2025:01")]), file_format="csv", dry_run=False
    )
    assert not report.ok
    assert "är antagen" in report.problems[0].reason
    assert not Action.objects.exists()


def test_coordinator_imports_only_own_partys_actions(plan, make_staff, make_action):
    coordinator = make_staff("coordinator", "huddinge")
    other = make_action(plan, "2026:05", lead="botkyrka")
    ok = import_actions(
        plan=plan, by=coordinator, data=_csv([_row("2026:01")]), file_format="csv", dry_run=False
    )
    assert ok.problems == [] and ok.new == 1
    report = import_actions(
        plan=plan,
        by=coordinator,
        data=_csv([_row("2026:02", lead_party="botkyrka")]),
        file_format="csv",
        dry_run=False,
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "lead_party")]
    assert "egen parts" in report.problems[0].reason
    # Taking over another party's existing action by giving it one's own lead is refused.
    report = import_actions(
        plan=plan, by=coordinator, data=_csv([_row("2026:05")]), file_format="csv", dry_run=False
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "number")]
    other.refresh_from_db()
    assert other.lead_organisation.slug == "botkyrka"
    assert Action.objects.count() == 2


def test_steering_may_not_import(plan, make_staff):
    with pytest.raises(PermissionDenied):
        import_actions(plan=plan, by=make_staff("steering"), data=_csv([_row()]), file_format="csv")


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


def test_admin_import_dry_run_then_confirm(plan, editor_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(editor_user)
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    upload = SimpleUploadedFile("actions.csv", _csv([_row()]), content_type="text/csv")
    response = client.post(url, {"file": upload, "file_format": "csv"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Provkörning: 1 nya" in html and "Bekräfta import" in html
    assert not Action.objects.exists()
    payload = response.context["payload"]
    response = client.post(url, {"payload": payload, "file_format": "csv", "confirm": "on"})
    assert Action.objects.get().number == "2026:01"


def test_admin_import_shows_row_errors(plan, editor_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.csv", _csv([_row(goals="nope")]), content_type="text/csv")
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    html = _client(editor_user).post(url, {"file": upload, "file_format": "csv"}).content.decode()
    assert "inget importerades" in html
    assert "okänt mål ”nope”" in html


@pytest.mark.parametrize("role", ["coordinator", "editor", "steering"])
def test_every_role_may_export(plan, make_staff, make_action, role):
    make_action(plan, "2026:01")
    url = reverse("admin:actionplan_actionplan_export", args=[plan.pk, "csv"])
    response = _client(make_staff(role)).get(url)
    assert response.status_code == 200
    assert "2026:01" in response.content.decode()
