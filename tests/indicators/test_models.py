"""Data rules of sub-targets and measurements, kept by the database."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Measurement, SubTarget

pytestmark = pytest.mark.django_db


def test_one_value_per_sub_target_and_year(sub_target, measure):
    measure(sub_target, 2020, 100)
    with pytest.raises(IntegrityError), transaction.atomic():
        measure(sub_target, 2020, 200)


def test_year_outside_the_programme_span_is_refused_by_the_database(sub_target):
    for year in (2016, 2051):
        with pytest.raises(IntegrityError), transaction.atomic():
            Measurement.objects.create(sub_target=sub_target, period_year=year, value=1)


def test_baseline_needs_value_and_year_together(sub_target):
    sub_target.baseline_value = Decimal(5)
    with pytest.raises(IntegrityError), transaction.atomic():
        sub_target.save()


def test_share_target_is_a_percentage(sub_target):
    sub_target.kind = SubTarget.Kind.SHARE
    sub_target.target_value = Decimal(120)
    with pytest.raises(IntegrityError), transaction.atomic():
        sub_target.save()


def test_clean_refuses_a_date_outside_the_year_and_a_share_above_100(sub_target):
    import datetime

    sub_target.kind = SubTarget.Kind.SHARE
    sub_target.target_value = Decimal(90)
    sub_target.save()
    measurement = Measurement(
        sub_target=sub_target,
        period_year=2020,
        period_date=datetime.date(2021, 3, 1),
        value=Decimal(101),
    )
    with pytest.raises(ValidationError) as error:
        measurement.full_clean()
    assert set(error.value.message_dict) == {"period_date", "value"}


def test_measurements_keep_an_audit_trail(sub_target, measure, editor):
    measurement = measure(sub_target, 2020, 100, entered_by=editor)
    measurement.value = Decimal(110)
    measurement.save()
    values = list(measurement.history.order_by("history_date").values_list("value", flat=True))
    assert values == [Decimal(100), Decimal(110)]
    assert measurement.entered_by == editor


def test_no_baseline_means_no_invented_target_for_a_multiple(sub_target):
    sub_target.kind = SubTarget.Kind.MULTIPLE
    sub_target.target_value = Decimal(2)
    assert sub_target.target_absolute is None
    sub_target.baseline_value, sub_target.baseline_year = Decimal(7), 2017
    assert sub_target.target_absolute == Decimal(14)


def test_demo_measurements_are_marked_and_removable(sub_target):
    from django.core.management import call_command

    call_command("generate_demo_measurements", verbosity=0)
    notes = set(Measurement.objects.values_list("source_note", flat=True))
    assert notes == {"DEMO – fiktiva värden"}
    call_command("generate_demo_measurements", "--remove", verbosity=0)
    assert not Measurement.objects.exists()
