"""The admin's action export: a title typed as a formula stays text in XLSX and CSV."""

import csv
import io

import openpyxl
import pytest

from actionplan.services import export_actions

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://example.invalid","Klicka")'


@pytest.fixture
def plan_with_formula(make_plan, make_action):
    plan = make_plan(year=2026)
    make_action(plan, "2026:01", title=FORMULA, contact_person="@admin", description="-1+1")
    return plan


def test_csv_export_neutralises_formulas_and_has_a_bom(plan_with_formula):
    content = export_actions(plan=plan_with_formula, file_format="csv")
    assert content.startswith(b"\xef\xbb\xbf")
    (row,) = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    assert row["title_sv"] == "'" + FORMULA
    assert row["contact_person"] == "'@admin"
    assert row["description_sv"] == "'-1+1"
    assert row["number"] == "2026:01"


def test_xlsx_export_writes_formulas_as_text_cells(plan_with_formula):
    content = export_actions(plan=plan_with_formula, file_format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["title_sv"].value == FORMULA
    assert row["title_sv"].data_type == "s"  # not "f": Excel shows the text, runs nothing
    assert row["contact_person"].data_type == "s"
