"""Import of measurements from CSV and XLSX through the admin: dry run, one problem per bad
cell, all or nothing; only editors and coordinators of the measuring organisation."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from flemingsberg.models import ImportJob
from indicators.models import Measurement

pytestmark = pytest.mark.django_db

HEADER = "sub_target,period_year,period_date,value,source_note\n"
URL = "admin:indicators_measurement_import"


@pytest.fixture
def upload(run_import):
    def run(user, data, **kwargs):
        return run_import(user, reverse(URL), data, **kwargs)

    return run


def test_good_file_is_checked_by_a_dry_run_and_then_stored_as_drafts(upload, sub_target, editor):
    data = HEADER + 'delmal-1,2018,,1200,SCB\ndelmal-1,2019,2019-12-31,"2 400,5",SCB\n'
    run = upload(editor, data.encode())
    assert run.job.state == ImportJob.State.CHECKED
    assert run.report["new"] == 2
    assert not Measurement.objects.exists()
    assert "Provkörning: 2 nya" in run.page()
    run.confirm()
    assert run.job.state == ImportJob.State.IMPORTED
    stored = list(Measurement.objects.values_list("period_year", "value", "is_published"))
    assert stored == [(2018, Decimal(1200), False), (2019, Decimal("2400.5"), False)]
    assert {m.entered_by for m in Measurement.objects.all()} == {editor}


def test_every_bad_row_gets_one_problem_in_swedish_and_nothing_is_stored(
    upload, sub_target, measure, editor
):
    measure(sub_target, 2017, 100)
    data = HEADER + (
        "delmal-1,2018,,1000,ok\n"  # row 2: good
        "okant-delmal,2019,,1000,\n"  # row 3: unknown sub-target
        "delmal-1,2020,,många,\n"  # row 4: not a number
        "delmal-1,2051,,1000,\n"  # row 5: outside the programme
        "delmal-1,2018,,1100,\n"  # row 6: a second value for 2018 in the file
        "delmal-1,2017,,1000,\n"  # row 7: 2017 exists already
    )
    run = upload(editor, data.encode(), confirm=True)
    assert run.job.state == ImportJob.State.REFUSED
    problems = {row: (column, reason) for row, column, reason in run.problems}
    assert sorted(problems) == [3, 4, 5, 6, 7]
    assert len(run.problems) == 5
    assert problems[3] == ("sub_target", "Okänt delmål ”okant-delmal”.")
    assert problems[4][0] == "value" and "många" in problems[4][1]
    assert problems[5][0] == "period_year" and "2051" in problems[5][1]
    assert (
        problems[6][0] == "period_year" and "Dubblett: filen har ett annat värde" in problems[6][1]
    )
    assert problems[7][1] == "Delmålet har redan ett värde för detta år."
    assert "Okänt delmål ”okant-delmal”." in run.page()
    # Nothing stored: the good first row was rolled back with the rest.
    assert list(Measurement.objects.values_list("period_year", flat=True)) == [2017]


def test_coordinator_imports_only_for_own_organisation(
    upload, sub_target, parties, coordinator_huddinge, coordinator_botkyrka
):
    sub_target.measuring_organisation = parties["huddinge"]
    sub_target.save()
    data = (HEADER + "delmal-1,2018,,1000,\n").encode()
    denied = upload(coordinator_botkyrka, data)
    assert denied.job.state == ImportJob.State.REFUSED
    assert denied.problems == [(2, "sub_target", "Du får inte föra in värden för ”delmal-1”.")]
    allowed = upload(coordinator_huddinge, data, confirm=True)
    assert allowed.job.state == ImportJob.State.IMPORTED
    assert Measurement.objects.count() == 1


def test_downloaded_csv_imports_again(upload, visitor, sub_target, measure, editor):
    measure(sub_target, 2018, 1000, source_note="SCB")
    content = visitor.get(reverse("indicators:all_csv")).content  # with a BOM: read as such
    Measurement.objects.all().delete()
    run = upload(editor, content, confirm=True)
    assert run.job.state == ImportJob.State.IMPORTED, run.problems
    assert Measurement.objects.get().source_note == "SCB"


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_admin_imports_an_xlsx_file_after_a_dry_run(upload, editor, sub_target):
    content = _xlsx([["sub_target", "period_year", "value"], ["delmal-1", 2018, 1234.5]])
    run = upload(editor, content, name="matningar.xlsx")
    assert run.job.state == ImportJob.State.CHECKED
    assert not Measurement.objects.exists()  # the dry run stored nothing
    response = run.confirm()
    assert response.status_code == 302
    assert Measurement.objects.get().value == Decimal("1234.5")


def test_a_bad_file_offers_no_confirm(upload, editor, sub_target):
    content = _xlsx([["sub_target", "period_year", "value"], ["delmal-1", 2016, "x"]])
    run = upload(editor, content, name="matningar.xlsx")
    assert run.job.state == ImportJob.State.REFUSED
    assert "Bekräfta import" not in run.page()
    assert run.confirm().status_code == 302
    assert run.job.state == ImportJob.State.REFUSED
    assert not Measurement.objects.exists()


def test_steering_member_may_not_import(client, steering_member):
    client.force_login(steering_member)
    assert client.get(reverse(URL)).status_code == 403


def test_the_changelist_links_to_the_import(editor_client, coordinator_huddinge, client):
    changelist = reverse("admin:indicators_measurement_changelist")
    assert reverse(URL) in editor_client.get(changelist).content.decode()


# --- who enters measurements, by every route (issue 10, "Tests that can fail") ---------------

ENTERERS = [
    ("editor", "region-stockholm", True),
    ("coordinator", "huddinge", True),  # Huddinge measures delmal-1
    ("coordinator", "botkyrka", False),
    ("coordinator", "region-stockholm", False),
    ("steering", "huddinge", False),
]


def _by_import(client, sub_target, run_import, user):
    data = (HEADER + "delmal-1,2019,,1500,\n").encode()
    run_import(user, reverse(URL), data, confirm=True)


def _by_add_form(client, sub_target, run_import, user):
    client.post(
        reverse("admin:indicators_measurement_add"),
        {"sub_target": sub_target.pk, "period_year": "2019", "value": "1500"},
    )


def _by_inline(client, sub_target, run_import, user):
    url = reverse("admin:indicators_subtarget_change", args=[sub_target.pk])
    response = client.get(url)
    if response.status_code != 200 or not response.context.get("inline_admin_formsets"):
        client.post(url, {})
        return
    form = response.context["adminform"].form
    data = {
        name: form.initial.get(name, field.initial)
        for name, field in form.fields.items()
        if form.initial.get(name, field.initial) not in (None, False)
    }
    # Every inline's management form (none of their rows is added), then one new value.
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {
                f"{inline.formset.prefix}-{name}": value
                for name, value in {**management.initial, "TOTAL_FORMS": 0}.items()
            }
        )
    prefix = next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Measurement
    )
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-period_year": "2019",
            f"{prefix}-0-value": "1500",
        }
    )
    client.post(url, data)


@pytest.mark.parametrize("route", [_by_import, _by_add_form, _by_inline])
@pytest.mark.parametrize(("role", "party", "allowed"), ENTERERS)
def test_only_editors_and_the_measuring_organisation_enter_values(
    client, make_staff, parties, sub_target, run_import, route, role, party, allowed
):
    sub_target.measuring_organisation = parties["huddinge"]
    sub_target.save()
    user = make_staff(role, party)
    client.force_login(user)
    route(client, sub_target, run_import, user)
    stored = list(Measurement.objects.values_list("period_year", "value", "is_published"))
    assert stored == ([(2019, Decimal(1500), False)] if allowed else [])
