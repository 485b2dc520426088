"""Sub-targets with measurements, on top of the small programme of ``build_programme``."""

from decimal import Decimal

import pytest

from indicators.models import Measurement, SubTarget


@pytest.fixture
def programme(build_programme):
    return build_programme(goals=2, strategies=1)


@pytest.fixture
def sub_target(programme) -> SubTarget:
    """`delmal-1`: at least 10,000 new homes, measured by Huddinge, no baseline."""
    sub_target = SubTarget.objects.get(slug="delmal-1")
    sub_target.kind = SubTarget.Kind.ABSOLUTE
    sub_target.target_value = Decimal(10000)
    sub_target.indicator_name = "Nya bostäder"
    sub_target.indicator_name_en = "New homes"
    sub_target.indicator_unit = "bostäder"
    sub_target.indicator_unit_en = "homes"
    sub_target.save()
    return sub_target


@pytest.fixture
def measure():
    def add(sub_target, year: int, value, *, published: bool = True, **extra) -> Measurement:
        return Measurement.objects.create(
            sub_target=sub_target,
            period_year=year,
            value=Decimal(str(value)),
            is_published=published,
            **extra,
        )

    return add
