"""The one way the portal writes numbers, counts, percentages and amounts of money.

Pages, charts and PDFs all call these functions (templates through the filters of
``{% load portal %}``), so a figure reads the same everywhere, in the active language:

========================  ====================  ======================
what                      Swedish               English
========================  ====================  ======================
``format_number(12.5)``   12,5                  12.5
``format_count(1500)``    1 500                 1,500
``format_amount(1e6)``    1 000 000 kr          SEK 1,000,000
``format_amount(2.5e6,    2,5 mnkr              SEK 2.5m
compact=True)``
``format_percent(70)``    70 %                  70%
``format_date(d)``        12 november 2026      12 November 2026
``format_month(d)``       juli 2007             July 2007
========================  ====================  ======================

Spaces inside a figure (the Swedish thousands separator, between a number and its unit)
are non-breaking, so a figure never wraps over two lines. Counts never show decimals.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import dateformat, formats
from django.utils.translation import get_language

NBSP = "\u00a0"
MILLION = Decimal(1_000_000)


def _language() -> str:
    return (get_language() or "sv").split("-")[0]


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _grouped(value: Decimal | int) -> str:
    # Django's formats of the active language: sv groups with a no-break space, en with ",".
    return formats.number_format(value, force_grouping=True).replace(" ", NBSP)


def format_number(value, decimals: int | None = None) -> str:
    """A measured value: grouped, localised, without needless decimals (10 000; 12,5).

    ``decimals`` rounds to that many places first. Empty for None.
    """
    number = _decimal(value)
    if number is None:
        return ""
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if number == number.to_integral_value():
        return _grouped(int(number))
    return _grouped(number.normalize())


def format_count(value) -> str:
    """A number of things (actions, homes, jobs): a whole number, grouped."""
    number = _decimal(value)
    if number is None:
        return ""
    return _grouped(int(number.to_integral_value(rounding=ROUND_HALF_UP)))


def format_percent(value, decimals: int = 0) -> str:
    """70 % in Swedish (a no-break space before the sign), 70% in English."""
    number = format_number(value, decimals=decimals)
    if not number:
        return ""
    return f"{number}%" if _language() == "en" else f"{number}{NBSP}%"


def format_amount(value, *, compact: bool = False) -> str:
    """An amount in Swedish kronor: 1 000 000 kr / SEK 1,000,000.

    ``compact`` writes a million or more in millions: 2,5 mnkr / SEK 2.5m.
    """
    number = _decimal(value)
    if number is None:
        return ""
    english = _language() == "en"
    if compact and abs(number) >= MILLION:
        millions = format_number(number / MILLION, decimals=1)
        return f"SEK{NBSP}{millions}m" if english else f"{millions}{NBSP}mnkr"
    whole = format_count(number)
    return f"SEK{NBSP}{whole}" if english else f"{whole}{NBSP}kr"


# Units that are money: a value in them is written as an amount.
_MONEY_UNITS = {"kr", "kronor", "sek"}


def format_measure(value, unit: str = "", decimals: int | None = None) -> str:
    """A value with its unit (10 000 bostäder, 70 %, 1 200 000 kr); empty for None.

    ``decimals`` rounds first: 0 for a computed figure of a count (a projection of homes
    has no decimals); percentages get one decimal at most.
    """
    unit = (unit or "").strip()
    if _decimal(value) is None:
        return ""
    if unit == "%":
        return format_percent(value, decimals=1 if decimals is None else decimals)
    if unit.casefold() in _MONEY_UNITS:
        return format_amount(value)
    number = format_number(value, decimals=decimals)
    return f"{number}{NBSP}{unit}" if unit else number


def format_date(value: datetime.date | None) -> str:
    """A date as words: 12 november 2026 / 12 November 2026; empty for None."""
    if value is None:
        return ""
    return dateformat.format(value, "j F Y")


def format_month(value: datetime.date | None) -> str:
    """A month of a year: juli 2007 / July 2007; empty for None."""
    if value is None:
        return ""
    return dateformat.format(value, "F Y")
