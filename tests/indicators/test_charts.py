"""The SVG chart: valid XML, one circle per published value, a text alternative, no CSS."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.charts import format_number, sub_target_chart
from indicators.models import SubTarget

pytestmark = pytest.mark.django_db

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(sub_target, **kwargs) -> ET.Element:
    fresh = SubTarget.objects.with_published_measurements().get(pk=sub_target.pk)
    return ET.fromstring(str(sub_target_chart(fresh, **kwargs)))  # noqa: S314 – our own SVG


def points(svg: ET.Element) -> list[ET.Element]:
    return svg.findall("svg:g[@class='measurements']/svg:circle", NS)


def test_chart_has_one_point_per_published_value_trend_and_target(sub_target, measure):
    measure(sub_target, 2018, 1000)
    measure(sub_target, 2020, 3000, period_date=datetime.date(2020, 12, 31))
    measure(sub_target, 2022, 4500)
    measure(sub_target, 2023, 9999, published=False)
    with translation.override("en"):
        svg = parse(sub_target)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("role") == "img"
    assert len(points(svg)) == 3
    assert svg.find("svg:g[@class='target']", NS) is not None
    assert svg.find("svg:line[@class='trend']", NS) is not None
    assert svg.find("svg:g[@class='baseline']", NS) is None  # none is known
    title = svg.find("svg:title", NS)
    desc = svg.find("svg:desc", NS)
    assert title.text == "Chart: New homes"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    # A no-break space between a figure and its unit (flemingsberg.formatting).
    assert "2018: 1,000\xa0homes; 2020: 3,000\xa0homes; 2022: 4,500\xa0homes" in desc.text
    assert "Target 2030: 10,000\xa0homes" in desc.text
    assert "9,999" not in desc.text


def test_chart_is_self_contained_for_the_pdf(sub_target, measure):
    measure(sub_target, 2018, 1000)
    measure(sub_target, 2020, 3000)
    markup = str(sub_target_chart(SubTarget.objects.get(pk=sub_target.pk)))
    for forbidden in ("style=", "var(", "<script", "href", "url(", "<image", "@import"):
        assert forbidden not in markup


def test_chart_without_data_says_so_and_has_no_points(sub_target):
    with translation.override("sv"):
        svg = parse(sub_target)
    assert points(svg) == []
    assert svg.find("svg:text[@class='no-data']", NS).text == "Inga data ännu."
    assert svg.find("svg:desc", NS).text.startswith("Inga data ännu.")


def test_chart_with_baseline_draws_it(sub_target, measure):
    sub_target.baseline_value, sub_target.baseline_year = Decimal(2000), 2017
    sub_target.save()
    measure(sub_target, 2019, 2500)
    svg = parse(sub_target)
    assert svg.find("svg:g[@class='baseline']", NS) is not None
    assert len(points(svg)) == 1
    assert svg.find("svg:line[@class='trend']", NS) is None  # one value: no trend


def test_small_chart_has_no_axis_labels_but_the_same_points(sub_target, measure):
    measure(sub_target, 2018, 1000)
    measure(sub_target, 2020, 3000)
    svg = parse(sub_target, small=True)
    assert len(points(svg)) == 2
    assert svg.find("svg:g[@class='legend']", NS) is None
    assert svg.find("svg:title", NS).get("id") == "chart-delmal-1-small-title"


def test_falling_trend_stays_inside_the_plot(sub_target, measure):
    measure(sub_target, 2018, 5000)
    measure(sub_target, 2020, 1000)  # falls below 0 long before 2030
    svg = parse(sub_target)
    trend = svg.find("svg:line[@class='trend']", NS)
    height = float(svg.get("height"))
    assert 0 <= float(trend.get("y2")) <= height


def test_numbers_are_localised():
    with translation.override("sv"):
        assert format_number(Decimal("10000.00")) == "10\xa0000"
        assert format_number(Decimal("12.50")) == "12,5"
    with translation.override("en"):
        assert format_number(Decimal("10000")) == "10,000"
