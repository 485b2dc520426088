"""Demo values are marked DEMO wherever they show; counts of new things start from zero;
the phone layout of a chart keeps its text large."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from actionplan.models import ActionPlan
from actionplan.pdf import Kind, plan_document
from indicators.charts import NARROW, sub_target_chart
from indicators.models import Measurement, SubTarget
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def demo_values(programme_content):
    call_command("generate_demo_measurements", verbosity=0)
    return programme_content


def test_demo_command_marks_its_values(demo_values):
    values = Measurement.objects.all()
    assert values.count() == values.filter(is_demo=True).count() > 0
    call_command("generate_demo_measurements", "--remove", verbosity=0)
    assert not Measurement.objects.exists()


def test_overview_goal_and_sub_target_pages_say_demo_with_demo_values(visitor, demo_values):
    overview = visitor.get(reverse("indicators:overview")).content.decode()
    assert 'class="demo-banner"' in overview
    assert overview.count('<span class="badge badge-demo">DEMO</span>') == 7
    assert overview.count(">DEMO</text>") == 7  # in every small chart too
    sub_target = SubTarget.objects.get(slug="nya-bostader")
    page = visitor.get(sub_target.get_absolute_url()).content.decode()
    assert 'class="demo-banner"' in page
    assert (
        page.count("genererat demonstrationsvärde")
        == Measurement.objects.filter(sub_target=sub_target).count()
    )
    goal_page = visitor.get(sub_target.goal.get_absolute_url()).content.decode()
    assert 'class="demo-banner"' in goal_page and "badge-demo" in goal_page


def test_real_values_carry_no_demo_mark(visitor, programme_content):
    sub_target = SubTarget.objects.get(slug="nya-bostader")
    for year, value in ((2018, 900), (2020, 2400)):
        Measurement.objects.create(
            sub_target=sub_target, period_year=year, value=Decimal(value), is_published=True
        )
    for url in (reverse("indicators:overview"), sub_target.get_absolute_url(), "/"):
        assert "DEMO" not in visitor.get(url).content.decode(), url


def test_chart_and_report_say_demo(demo_values):
    sub_target = SubTarget.objects.with_status().get(slug="nya-bostader")
    svg = ET.fromstring(str(sub_target_chart(sub_target)))  # noqa: S314 – our own SVG
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "demo-mark"] == ["DEMO"]
    assert "DEMO: värdena är genererade demonstrationsdata" in svg.find(f"{SVG}desc").text
    import datetime

    plan = ActionPlan.objects.create(
        programme=demo_values,
        year=2026,
        title_sv="Handlingsplan 2026",
        status="adopted",
        decision=coordination_decision(datetime.date(2025, 12, 10)),
    )
    report = plan_document(plan, Kind.FOLLOW_UP, "en").html()
    assert "the measured values marked DEMO are generated demonstration data" in report
    assert report.count('<span class="demo-mark">DEMO</span>') >= 7


def test_new_homes_count_from_zero_and_show_the_share_reached(visitor, programme_content):
    sub_target = SubTarget.objects.get(slug="nya-bostader")
    assert sub_target.counts_from_zero and sub_target.baseline_value is None
    for year, value in ((2019, 2000), (2021, 4000), (2023, 6155)):
        Measurement.objects.create(
            sub_target=sub_target, period_year=year, value=Decimal(value), is_published=True
        )
    sub_target = SubTarget.objects.with_status().get(pk=sub_target.pk)
    assert sub_target.progress.share_of_way_percent == 62  # 6,155 of 10,000, from zero
    html = visitor.get(sub_target.get_absolute_url()).content.decode()
    assert "Andel av målet som nåtts" in html and "62\xa0%" in html
    assert "Noll per definition" in html
    # A projection of a count has no decimals.
    projected = re.search(r"Trenden framskriven till 2030</dt><dd>([^<]+)</dd>", html).group(1)
    assert "," not in projected and projected.endswith("\xa0bostäder")
    with translation.override("en"):
        page = visitor.get(reverse("indicators:sub_target", kwargs={"slug": sub_target.slug}))
    assert "Share of the target reached" in page.content.decode()


def test_only_the_counts_of_new_things_are_counted_from_zero(programme_content):
    from_zero = set(SubTarget.objects.filter(kind="new_count").values_list("slug", flat=True))
    assert from_zero == {"nya-bostader", "nya-arbetstillfallen"}
    assert SubTarget.objects.get(slug="stadskvaliteter-100000-invanare").effective_baseline is None


def test_the_narrow_chart_keeps_text_at_12_px_on_a_320_px_screen(demo_values):
    sub_target = SubTarget.objects.with_status().get(slug="nya-bostader")
    svg = ET.fromstring(str(sub_target_chart(sub_target, narrow=True)))  # noqa: S314
    width = float(svg.get("viewBox").split()[2])
    # At 320 px the page leaves 288 px for the chart (two 16 px margins).
    scale = 288 / width
    sizes = [float(t.get("font-size") or svg.get("font-size")) for t in svg.iter(f"{SVG}text")]
    assert sizes and min(sizes) * scale >= 12
    assert width == NARROW.width
    # The legend fits the narrow width: no label starts beyond it.
    xs = [float(t.get("x")) for t in svg.iter(f"{SVG}text") if t.get("x")]
    assert max(xs) < width
