"""When a sub-target's next value is due, and when it is missing (issue 15, item 3)."""

import datetime

import pytest

from indicators.models import Measurement, SubTarget

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


@pytest.fixture
def sub_target(build_programme, parties):
    build_programme(goals=1, strategies=1)
    sub_target = SubTarget.objects.get()
    sub_target.measuring_organisation = parties["huddinge"]
    sub_target.frequency = SubTarget.Frequency.ANNUAL
    sub_target.save()
    return sub_target


def _due(sub_target):
    return SubTarget.objects.with_latest_period().get(pk=sub_target.pk).value_due(today=TODAY)


def test_the_value_of_the_year_after_the_newest_is_due_when_that_year_is_over(sub_target):
    Measurement.objects.create(sub_target=sub_target, period_year=2025, value=1)
    due = _due(sub_target)
    assert (due.period_year, due.due_on, due.is_missing) == (2026, datetime.date(2027, 1, 1), False)


def test_a_value_not_entered_after_its_year_is_missing(sub_target):
    Measurement.objects.create(sub_target=sub_target, period_year=2024, value=1)
    due = _due(sub_target)
    assert (due.period_year, due.due_on, due.is_missing) == (2025, datetime.date(2026, 1, 1), True)


def test_a_draft_counts_as_entered(sub_target):
    Measurement.objects.create(sub_target=sub_target, period_year=2024, value=1)
    Measurement.objects.create(sub_target=sub_target, period_year=2025, value=2, is_published=False)
    assert _due(sub_target).period_year == 2026


def test_every_second_year_from_the_baseline(sub_target):
    sub_target.frequency = SubTarget.Frequency.EVERY_TWO_YEARS
    sub_target.baseline_value, sub_target.baseline_year = 5, 2022
    sub_target.save()
    due = _due(sub_target)
    assert (due.period_year, due.is_missing) == (2024, True)


def test_the_date_an_editor_set_wins(sub_target):
    Measurement.objects.create(sub_target=sub_target, period_year=2024, value=1)
    sub_target.next_value_due = datetime.date(2026, 6, 30)
    sub_target.save()
    due = _due(sub_target)
    assert (due.period_year, due.due_on, due.is_missing) == (2025, datetime.date(2026, 6, 30), True)
    Measurement.objects.create(sub_target=sub_target, period_year=2025, value=1)
    assert _due(sub_target) is None


def test_irregular_or_unknown_is_never_due(sub_target):
    assert _due(sub_target) is None  # annual, but neither a value nor a baseline to go on
    sub_target.frequency = SubTarget.Frequency.IRREGULAR
    sub_target.save()
    Measurement.objects.create(sub_target=sub_target, period_year=2020, value=1)
    assert _due(sub_target) is None


def test_values_due_lists_missing_and_soon_due_only(sub_target, django_assert_num_queries):
    Measurement.objects.create(sub_target=sub_target, period_year=2025, value=1)
    with django_assert_num_queries(1):  # the sub-targets with their newest year
        assert SubTarget.objects.values_due(today=TODAY, within_days=7) == []
    (due,) = SubTarget.objects.values_due(today=TODAY, within_days=30)
    assert due.due_on == datetime.date(2027, 1, 1)
