import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from actionplan.models import FollowUpUpdate
from indicators.models import Measurement
from tests.search.conftest import searchable  # noqa: F401  (the shared content fixture)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    """Tests (and schemathesis) send many requests: the anonymous rate limit is off."""
    settings.API_ANON_THROTTLE_RATE = None
    cache.clear()


@pytest.fixture
def open_data(searchable):  # noqa: F811
    sub_target = searchable["sub_target"]
    Measurement.objects.create(
        sub_target=sub_target, period_year=2020, value=Decimal("1200"), is_published=True
    )
    Measurement.objects.create(
        sub_target=sub_target, period_year=2021, value=Decimal("9999"), is_published=False
    )
    FollowUpUpdate.objects.create(
        action=searchable["huddinge_action"],
        date=datetime.date(2026, 6, 1),
        status="ongoing",
        progress=40,
        text_sv="Två detaljplaner är på samråd.",
        text_en="Two local plans are out for consultation.",
    )
    return searchable
