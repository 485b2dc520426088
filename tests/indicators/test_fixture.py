"""The seven sub-targets of the programme, as `load_programme_content` ships them."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.models import Measurement, SubTarget

pytestmark = pytest.mark.django_db

# (slug, kind, target value) in the programme's order; the statements are the seed's words
# (tests/programme/test_fixture_fidelity.py compares them with the seed itself).
EXPECTED = [
    ("stadskvaliteter-100000-invanare", "absolute", 100000, "invånare"),
    ("nya-arbetstillfallen", "new_count", 15000, "arbetstillfällen"),
    ("forskningscentrum", "multiple", 2, "forskningscentrum"),
    ("forskningsanslag", "multiple", 2, "kronor"),
    ("nya-bostader", "new_count", 10000, "bostäder"),
    ("attraktiv-plats-att-bo", "share", 90, "%"),
    ("hallbart-resande", "share", 70, "%"),
]


def test_seven_sub_targets_with_kind_target_and_unit(programme_content):
    rows = list(
        SubTarget.objects.for_programme(programme_content).values_list(
            "slug", "kind", "target_value", "indicator_unit_sv"
        )
    )
    assert rows == [(slug, kind, Decimal(value), unit) for slug, kind, value, unit in EXPECTED]
    assert set(SubTarget.objects.values_list("target_year", flat=True)) == {2030}


def test_no_invented_baselines_sources_or_values(programme_content):
    sub_targets = SubTarget.objects.all()
    assert not sub_targets.filter(baseline_value__isnull=False).exists()
    assert not sub_targets.filter(baseline_year__isnull=False).exists()
    assert not sub_targets.exclude(data_source="").exists()
    assert not sub_targets.filter(measuring_organisation__isnull=False).exists()
    assert not Measurement.objects.exists()  # no demo values in the content


def test_the_2017_figures_are_context_not_baselines(programme_content):
    contexts = dict(SubTarget.objects.values_list("slug", "context_sv"))
    assert "13 000 arbetstillfällen" in contexts["nya-arbetstillfallen"]
    assert "17 000 studenter" in contexts["forskningscentrum"]
    assert "13 000 boende" in contexts["stadskvaliteter-100000-invanare"]
    english = dict(SubTarget.objects.values_list("slug", "context_en"))
    assert "13,000 jobs" in english["nya-arbetstillfallen"]
    for slug, text in contexts.items():
        if text:
            assert "inte ett utgångsvärde" in text, slug


def test_every_sub_target_shows_no_data_yet(visitor, programme_content):
    html = visitor.get("/indikatorer/").content.decode()
    assert html.count('class="status status-not_enough_data"') >= 7
    assert html.count("Inget värde har publicerats ännu.") == 7
    for sub_target in SubTarget.objects.all():
        with translation.override("en"):
            page = visitor.get(sub_target.get_absolute_url()).content.decode()
        assert "No value has been published for this sub-target yet" in page
        if sub_target.counts_from_zero:
            assert "Zero by definition: the target counts new ones since the programme." in page
        else:
            assert "No baseline is known: no source gives one." in page
