"""Open data: each sub-target's published measurements and all of them, as CSV and JSON."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.views import COLUMNS

pytestmark = pytest.mark.django_db

EXPECTED_COLUMNS = [
    "sub_target",
    "goal",
    "indicator",
    "period_year",
    "period_date",
    "value",
    "unit",
    "source_note",
]


@pytest.fixture
def values(sub_target, measure):
    measure(sub_target, 2018, 1000, source_note="SCB")
    measure(sub_target, 2020, "2500.50", period_date=datetime.date(2020, 12, 31))
    measure(sub_target, 2021, 9999, published=False)
    return sub_target


def _csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert reader.fieldnames == EXPECTED_COLUMNS
    return list(reader)


def test_column_names_are_stable():
    assert list(COLUMNS) == EXPECTED_COLUMNS


def test_sub_target_csv_has_only_published_values(visitor, values):
    url = reverse("indicators:sub_target_csv", kwargs={"slug": values.slug})
    rows = _csv(visitor.get(url))
    assert rows == [
        {
            "sub_target": "delmal-1",
            "goal": "mal-1",
            "indicator": "Nya bostäder",
            "period_year": "2018",
            "period_date": "",
            "value": "1000",
            "unit": "bostäder",
            "source_note": "SCB",
        },
        {
            "sub_target": "delmal-1",
            "goal": "mal-1",
            "indicator": "Nya bostäder",
            "period_year": "2020",
            "period_date": "2020-12-31",
            "value": "2500.5",
            "unit": "bostäder",
            "source_note": "",
        },
    ]


def test_sub_target_json_in_english(visitor, values):
    with translation.override("en"):
        url = reverse("indicators:sub_target_json", kwargs={"slug": values.slug})
    assert url.startswith("/en/")
    data = visitor.get(url).json()
    assert data["columns"] == EXPECTED_COLUMNS
    assert [(row["period_year"], row["value"]) for row in data["measurements"]] == [
        (2018, 1000),
        (2020, 2500.5),
    ]
    assert data["measurements"][0]["unit"] == "homes"
    assert data["measurements"][0]["period_date"] is None


def test_all_in_one_download_covers_every_public_sub_target(
    visitor, values, measure, django_assert_max_num_queries
):
    other = values.goal.programme.goals.get(slug="mal-2").sub_targets.get()
    measure(other, 2019, 42)
    with django_assert_max_num_queries(1):  # measurements with sub-target and goal
        rows = _csv(visitor.get(reverse("indicators:all_csv")))
    assert [(row["sub_target"], row["period_year"]) for row in rows] == [
        ("delmal-1", "2018"),
        ("delmal-1", "2020"),
        ("delmal-2", "2019"),
    ]
    data = visitor.get(reverse("indicators:all_json")).json()
    assert len(data["measurements"]) == 3


def test_draft_sub_target_has_no_open_data(visitor, editor_client, values):
    values.is_published = False
    values.save()
    url = reverse("indicators:sub_target_csv", kwargs={"slug": values.slug})
    assert visitor.get(url).status_code == 404
    # Open data is the same for everyone, staff included.
    assert editor_client.get(url).status_code == 404
    assert _csv(visitor.get(reverse("indicators:all_csv"))) == []


def test_csv_opens_in_excel_bom_and_formulas_neutralised(visitor, sub_target, measure):
    measure(sub_target, 2019, 10, source_note='=HYPERLINK("https://example.invalid")')
    for url in (
        reverse("indicators:all_csv"),
        reverse("indicators:sub_target_csv", kwargs={"slug": sub_target.slug}),
    ):
        response = visitor.get(url)
        assert response.content.startswith(b"\xef\xbb\xbf"), url
        (row,) = _csv(response)
        assert row["source_note"] == '\'=HYPERLINK("https://example.invalid")', url


def test_the_excel_variant_uses_semicolons_and_decimal_commas(visitor, values):
    for url in (
        reverse("indicators:all_excel_csv"),
        reverse("indicators:sub_target_excel_csv", kwargs={"slug": values.slug}),
    ):
        response = visitor.get(url)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].endswith('-excel.csv"')
        assert response.content.startswith(b"\xef\xbb\xbf")
        reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        assert reader.fieldnames == EXPECTED_COLUMNS
        assert [row["value"] for row in reader] == ["1000", "2500,5"]
