"""The one formatter of amounts, counts and percentages, in both languages."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from flemingsberg.formatting import (
    format_amount,
    format_count,
    format_measure,
    format_number,
    format_percent,
)

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "value", "full", "compact"),
    [
        ("sv", 1_000_000, f"1{NBSP}000{NBSP}000{NBSP}kr", f"1{NBSP}mnkr"),
        ("sv", 2_500_000, f"2{NBSP}500{NBSP}000{NBSP}kr", f"2,5{NBSP}mnkr"),
        ("sv", 500_000, f"500{NBSP}000{NBSP}kr", f"500{NBSP}000{NBSP}kr"),
        ("en", 1_000_000, f"SEK{NBSP}1,000,000", f"SEK{NBSP}1m"),
        ("en", 2_500_000, f"SEK{NBSP}2,500,000", f"SEK{NBSP}2.5m"),
        ("en", 500_000, f"SEK{NBSP}500,000", f"SEK{NBSP}500,000"),
    ],
)
def test_amounts_in_both_languages(language, value, full, compact):
    with translation.override(language):
        assert format_amount(value) == full
        assert format_amount(value, compact=True) == compact


def test_counts_have_no_decimals_and_keep_together():
    with translation.override("sv"):
        assert format_count(Decimal("6155.00")) == f"6{NBSP}155"
        assert format_count(Decimal("11225.07")) == f"11{NBSP}225"
        assert format_count(120) == "120"
        assert " " not in format_count(1_234_567)  # never a breaking space inside
    with translation.override("en"):
        assert format_count(Decimal("11225.07")) == "11,225"


def test_numbers_and_percentages():
    with translation.override("sv"):
        assert format_number(Decimal("12.50")) == "12,5"
        assert format_number(Decimal("10000.00")) == f"10{NBSP}000"
        assert format_percent(62) == f"62{NBSP}%"
        assert format_measure(Decimal("69.84"), "%") == f"69,8{NBSP}%"
        assert format_measure(Decimal("6155.00"), "bostäder") == f"6{NBSP}155{NBSP}bostäder"
        assert format_measure(Decimal("11225.07"), "bostäder", 0) == f"11{NBSP}225{NBSP}bostäder"
        assert format_measure(Decimal("1200000"), "kronor") == f"1{NBSP}200{NBSP}000{NBSP}kr"
    with translation.override("en"):
        assert format_percent(62) == "62%"
        assert format_measure(Decimal("1200000"), "kronor") == f"SEK{NBSP}1,200,000"
    for formatter in (format_amount, format_count, format_number, format_percent):
        assert formatter(None) == ""


def test_template_filters_are_the_same_functions():
    template = Template(
        "{% load portal %}{{ a|sek }}|{{ a|sek_short }}|{{ n|count }}|{{ p|percent }}"
    )
    with translation.override("sv"):
        rendered = template.render(Context({"a": 2_500_000, "n": Decimal("1500.00"), "p": 7}))
        expected = [format_amount(2_500_000), format_amount(2_500_000, compact=True)]
        expected += [format_count(1500), format_percent(7)]
        assert rendered.split("|") == expected
