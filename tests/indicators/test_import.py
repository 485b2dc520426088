"""Import of measurements from CSV and XLSX: dry run, one error per bad row, all or nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from indicators.models import Measurement
from indicators.services import import_measurements, row_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the messages staff get, in English (/en/admin/ and English errors);
    the Swedish wording is covered by tests/flemingsberg/test_translations.py."""
    with translation.override("en"):
        yield


HEADER = "sub_target,period_year,period_date,value,source_note\n"


def dataset(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(text, format="csv")


def test_good_file_is_checked_by_a_dry_run_and_then_stored_as_drafts(sub_target, editor):
    data = HEADER + 'delmal-1,2018,,1200,SCB\ndelmal-1,2019,2019-12-31,"2 400,5",SCB\n'
    dry = import_measurements(dataset=dataset(data), user=editor, dry_run=True)
    assert not dry.has_errors() and not dry.has_validation_errors()
    assert dry.totals["new"] == 2
    assert not Measurement.objects.exists()

    result = import_measurements(dataset=dataset(data), user=editor, dry_run=False)
    assert not result.has_validation_errors()
    stored = list(Measurement.objects.values_list("period_year", "value", "is_published"))
    assert stored == [(2018, Decimal(1200), False), (2019, Decimal("2400.5"), False)]
    assert {m.entered_by for m in Measurement.objects.all()} == {editor}


def test_every_bad_row_gets_one_error_and_nothing_is_stored(sub_target, measure, editor):
    measure(sub_target, 2017, 100)
    data = HEADER + (
        "delmal-1,2018,,1000,ok\n"  # row 1: good
        "okant-delmal,2019,,1000,\n"  # row 2: unknown sub-target
        "delmal-1,2020,,många,\n"  # row 3: not a number
        "delmal-1,2051,,1000,\n"  # row 4: outside the programme
        "delmal-1,2018,,1100,\n"  # row 5: a second value for 2018 in the file
        "delmal-1,2017,,1000,\n"  # row 6: 2017 exists already
    )
    result = import_measurements(dataset=dataset(data), user=editor, dry_run=False)
    errors = row_errors(result)
    assert sorted(errors) == [2, 3, 4, 5, 6]
    assert all(len(messages) == 1 for messages in errors.values()), errors
    assert "okant-delmal" in errors[2][0]
    assert "många" in errors[3][0]
    assert "2051" in errors[4][0]
    assert "Duplicate period" in errors[5][0]
    assert errors[6] == ["This sub-target has a value for this year already."]
    # Nothing stored: the good first row was rolled back with the rest.
    assert list(Measurement.objects.values_list("period_year", flat=True)) == [2017]


def test_coordinator_imports_only_for_own_organisation(
    sub_target, parties, coordinator_huddinge, coordinator_botkyrka
):
    sub_target.measuring_organisation = parties["huddinge"]
    sub_target.save()
    data = HEADER + "delmal-1,2018,,1000,\n"
    denied = import_measurements(dataset=dataset(data), user=coordinator_botkyrka, dry_run=False)
    assert "delmal-1" in row_errors(denied)[1][0]
    assert not Measurement.objects.exists()
    allowed = import_measurements(dataset=dataset(data), user=coordinator_huddinge, dry_run=False)
    assert not allowed.has_validation_errors()
    assert Measurement.objects.count() == 1


def test_anonymous_import_is_refused(sub_target):
    data = HEADER + "delmal-1,2018,,1000,\n"
    result = import_measurements(dataset=dataset(data), user=AnonymousUser(), dry_run=False)
    assert result.has_validation_errors()
    assert not Measurement.objects.exists()


def test_downloaded_csv_imports_again(visitor, sub_target, measure, editor):
    measure(sub_target, 2018, 1000, source_note="SCB")
    # The download has a byte-order mark (for Excel); the admin's import reads it as
    # django-import-export does, "utf-8-sig".
    text = visitor.get(reverse("indicators:all_csv")).content.decode("utf-8-sig")
    Measurement.objects.all().delete()
    result = import_measurements(dataset=dataset(text), user=editor, dry_run=False)
    assert not result.has_validation_errors() and not result.has_errors()
    assert Measurement.objects.get().source_note == "SCB"


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_admin_imports_an_xlsx_file_after_a_dry_run(editor_client, sub_target):
    url = reverse("admin:indicators_measurement_import")
    content = _xlsx([["sub_target", "period_year", "value"], ["delmal-1", 2018, 1234.5]])
    upload = io.BytesIO(content)
    upload.name = "matningar.xlsx"
    response = editor_client.post(url, {"format": "1", "import_file": upload})
    assert response.status_code == 200
    assert "confirm_form" in response.context
    assert not Measurement.objects.exists()  # the dry run stored nothing
    confirm = response.context["confirm_form"].initial
    response = editor_client.post(reverse("admin:indicators_measurement_process_import"), confirm)
    assert response.status_code == 302
    assert Measurement.objects.get().value == Decimal("1234.5")


def test_admin_shows_errors_and_offers_no_confirm_for_a_bad_file(editor_client, sub_target):
    url = reverse("admin:indicators_measurement_import")
    content = _xlsx([["sub_target", "period_year", "value"], ["delmal-1", 2016, "x"]])
    upload = io.BytesIO(content)
    upload.name = "matningar.xlsx"
    response = editor_client.post(url, {"format": "1", "import_file": upload})
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert response.context["result"].has_validation_errors()
    assert not Measurement.objects.exists()


def test_steering_member_may_not_import(client, steering_member):
    client.force_login(steering_member)
    assert client.get(reverse("admin:indicators_measurement_import")).status_code == 403
