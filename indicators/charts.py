"""Server-rendered SVG charts of a sub-target: measured values, baseline, target, trend.

The same markup goes into the web page (inline) and into a WeasyPrint PDF, so it is
self-contained: presentation attributes only (no CSS, no CSS variables, no ``style``),
no external references, no script. It is an image with a text alternative (``role="img"``,
``<title>``, ``<desc>``); the page puts a data table beside it.

Colours (on white, WCAG 2.1 AA; lines and markers need 3:1, text 4.5:1):
measured #0b4f4a (9.5:1), target #b3261e (6.5:1), trend #8a3b00 (7.9:1), baseline and
text #41545a (7.9:1), axis #1b2a2f (14:1). Series also differ by shape and dash pattern,
so colour is never the only cue. The light grid (#d9dfdc) is decoration only.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from flemingsberg.formatting import format_measure, format_number

from .models import FIRST_YEAR, SubTarget
from .progress import Progress

SVG_NS = "http://www.w3.org/2000/svg"

INK = "#1b2a2f"
INK_SOFT = "#41545a"
MEASURED = "#0b4f4a"
TARGET = "#b3261e"
TREND = "#8a3b00"
GRID = "#d9dfdc"
# The portal's own typeface first: the web pages and the PDFs both ship it (static/fonts/).
FONT = "'Source Sans 3', Helvetica, Arial, sans-serif"


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    labels: bool
    font_size: int
    point_radius: float

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


LARGE = Layout(640, 340, 72, 24, 20, 76, labels=True, font_size=13, point_radius=4.5)
# For phones: drawn 320 wide with 14-unit text, so that at a 320 px screen (about 288 px
# for the chart) every label stays at 12 px or more; the legend wraps onto more rows.
NARROW = Layout(320, 330, 60, 14, 20, 110, labels=True, font_size=14, point_radius=4)
SMALL = Layout(240, 90, 6, 6, 8, 8, labels=False, font_size=11, point_radius=3)
# The DEMO mark is text in every size, the small one's too: at least 13 units.
DEMO_FONT_SIZE = 13


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _fmt(number: float) -> str:
    """Coordinates with two decimals at most: small files, stable output."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def describe(sub_target: SubTarget, progress: Progress, points) -> str:
    """The chart's text alternative: every value it shows, in words."""
    unit = sub_target.indicator_unit
    parts = []
    if points:
        values = "; ".join(f"{year}: {format_measure(value, unit)}" for year, value in points)
        parts.append(_("Measured values: %(values)s.") % {"values": values})
    else:
        parts.append(_("No data yet."))
    if sub_target.counts_from_zero:
        parts.append(_("Counted from zero: the baseline is 0 by definition."))
    elif sub_target.baseline_value is not None:
        parts.append(
            _("Baseline %(year)s: %(value)s.")
            % {
                "year": sub_target.baseline_year,
                "value": format_measure(sub_target.baseline_value, unit),
            }
        )
    else:
        parts.append(_("No baseline."))
    if progress.target is not None:
        parts.append(
            _("Target %(year)s: %(value)s.")
            % {
                "year": sub_target.target_year,
                "value": format_measure(progress.target, unit, sub_target.display_decimals),
            }
        )
    else:
        parts.append(_("The target has no value until the baseline is known."))
    if progress.trend is not None:
        parts.append(
            _("The trend projected to %(year)s: %(value)s.")
            % {
                "year": sub_target.target_year,
                "value": format_measure(progress.projected, unit, sub_target.display_decimals),
            }
        )
    parts.append(_("Status: %(status)s.") % {"status": progress.status.label})
    if sub_target.has_demo_values:
        parts.append(_("DEMO: the values are generated demonstration data, not measurements."))
    return " ".join(parts)


def sub_target_chart(
    sub_target: SubTarget, *, small: bool = False, narrow: bool = False
) -> SafeString:
    """The SVG of one sub-target; ``small`` is the overview's sparkline without labels,
    ``narrow`` the layout for phones (the page shows it instead of the wide one there)."""
    layout = SMALL if small else NARROW if narrow else LARGE
    progress = sub_target.progress
    points = [(m.period_year, m.value) for m in sub_target.get_published_measurements()]
    points.sort()
    suffix = "-small" if small else "-narrow" if narrow else ""
    dom_id = f"chart-{sub_target.slug}{suffix}"

    # Domain: the programme's start (or an earlier baseline) to the target year.
    years = [year for year, _value in points]
    if sub_target.baseline_year:
        years.append(sub_target.baseline_year)
    x_min = min([FIRST_YEAR, *years])
    x_max = max([sub_target.target_year, *years])
    # Values start at 0 (or below, for a negative measurement); a falling trend's
    # projection does not stretch the axis down, the line is cut off at the bottom instead.
    shown = [float(value) for _year, value in points]
    if sub_target.baseline_value is not None:
        shown.append(float(sub_target.baseline_value))
    bottom_value = min([0.0, *shown])
    top_value = max(
        [float(v) for v in (progress.target, progress.projected) if v is not None] + shown,
        default=0.0,
    )
    if sub_target.kind == SubTarget.Kind.SHARE:
        top_value = max(top_value, 100.0)
    step = _nice_step((top_value - bottom_value) or 1.0)
    y_max = math.ceil(top_value / step) * step if top_value > 0 else step
    y_min = math.floor(bottom_value / step) * step

    def x(year: float) -> float:
        return layout.left + (year - x_min) / (x_max - x_min) * layout.plot_width

    def y(value: float) -> float:
        return layout.top + (y_max - value) / (y_max - y_min) * layout.plot_height

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "version": "1.1",
            "width": str(layout.width),
            "height": str(layout.height),
            "viewBox": f"0 0 {layout.width} {layout.height}",
            "role": "img",
            "aria-labelledby": f"{dom_id}-title {dom_id}-desc",
            "class": "indicator-chart",
            "font-family": FONT,
            "font-size": str(layout.font_size),
        },
    )
    title = ET.SubElement(svg, "title", {"id": f"{dom_id}-title"})
    title.text = _("Chart: %(indicator)s") % {
        "indicator": sub_target.indicator_name or sub_target.statement
    }
    desc = ET.SubElement(svg, "desc", {"id": f"{dom_id}-desc"})
    desc.text = describe(sub_target, progress, points)
    ET.SubElement(
        svg,
        "rect",
        {"x": "0", "y": "0", "width": str(layout.width), "height": str(layout.height)},
        fill="#ffffff",
    )

    # Grid and axes.
    grid = ET.SubElement(svg, "g", {"class": "grid", "aria-hidden": "true"})
    tick = y_min
    while tick <= y_max + step / 1000:
        ET.SubElement(
            grid,
            "line",
            {
                "x1": _fmt(layout.left),
                "x2": _fmt(layout.left + layout.plot_width),
                "y1": _fmt(y(tick)),
                "y2": _fmt(y(tick)),
                "stroke": GRID,
                "stroke-width": "1",
            },
        )
        if layout.labels:
            label = ET.SubElement(
                grid,
                "text",
                {
                    "x": _fmt(layout.left - 8),
                    "y": _fmt(y(tick) + layout.font_size / 3),
                    "text-anchor": "end",
                    "fill": INK_SOFT,
                },
            )
            label.text = format_number(round(tick, 2))
        tick += step
    ET.SubElement(
        grid,
        "line",
        {
            "x1": _fmt(layout.left),
            "x2": _fmt(layout.left + layout.plot_width),
            "y1": _fmt(y(max(y_min, 0))),
            "y2": _fmt(y(max(y_min, 0))),
            "stroke": INK,
            "stroke-width": "1.5",
        },
    )
    if layout.labels:
        for year in _year_ticks(x_min, x_max):
            label = ET.SubElement(
                grid,
                "text",
                {
                    "x": _fmt(x(year)),
                    "y": _fmt(layout.top + layout.plot_height + layout.font_size + 6),
                    "text-anchor": "middle",
                    "fill": INK_SOFT,
                },
            )
            label.text = str(year)

    # Target: a dashed horizontal line up to the target year and a square marker there.
    if progress.target is not None:
        target_y = _fmt(y(float(progress.target)))
        group = ET.SubElement(svg, "g", {"class": "target"})
        ET.SubElement(
            group,
            "line",
            {
                "x1": _fmt(layout.left),
                "x2": _fmt(x(sub_target.target_year)),
                "y1": target_y,
                "y2": target_y,
                "stroke": TARGET,
                "stroke-width": "2",
                "stroke-dasharray": "8 4",
            },
        )
        size = layout.point_radius * 2.2
        ET.SubElement(
            group,
            "rect",
            {
                "x": _fmt(x(sub_target.target_year) - size / 2),
                "y": _fmt(y(float(progress.target)) - size / 2),
                "width": _fmt(size),
                "height": _fmt(size),
                "fill": TARGET,
            },
        )

    # Baseline: a dotted line from its year and a hollow diamond.
    if sub_target.baseline_value is not None:
        base_y = y(float(sub_target.baseline_value))
        base_x = x(sub_target.baseline_year)
        group = ET.SubElement(svg, "g", {"class": "baseline"})
        ET.SubElement(
            group,
            "line",
            {
                "x1": _fmt(base_x),
                "x2": _fmt(layout.left + layout.plot_width),
                "y1": _fmt(base_y),
                "y2": _fmt(base_y),
                "stroke": INK_SOFT,
                "stroke-width": "1.5",
                "stroke-dasharray": "2 3",
            },
        )
        r = layout.point_radius * 1.3
        ET.SubElement(
            group,
            "polygon",
            {
                "points": " ".join(
                    f"{_fmt(px)},{_fmt(py)}"
                    for px, py in (
                        (base_x, base_y - r),
                        (base_x + r, base_y),
                        (base_x, base_y + r),
                        (base_x - r, base_y),
                    )
                ),
                "fill": "#ffffff",
                "stroke": INK_SOFT,
                "stroke-width": "2",
            },
        )

    # Trend: from the first measured year to the target year, cut off at the bottom.
    if progress.trend is not None:
        start_year, end_year = points[0][0], float(sub_target.target_year)
        trend = progress.trend
        if trend.at(end_year) < y_min and trend.slope < 0:
            end_year = (y_min - trend.intercept) / trend.slope
        ET.SubElement(
            svg,
            "line",
            {
                "class": "trend",
                "x1": _fmt(x(start_year)),
                "x2": _fmt(x(end_year)),
                "y1": _fmt(y(trend.at(start_year))),
                "y2": _fmt(y(trend.at(end_year))),
                "stroke": TREND,
                "stroke-width": "2",
                "stroke-dasharray": "3 3 10 3",
            },
        )

    # Measured values: a line through them and a filled circle each.
    group = ET.SubElement(svg, "g", {"class": "measurements"})
    if len(points) > 1:
        ET.SubElement(
            group,
            "polyline",
            {
                "points": " ".join(f"{_fmt(x(yr))},{_fmt(y(float(v)))}" for yr, v in points),
                "fill": "none",
                "stroke": MEASURED,
                "stroke-width": "2.5",
            },
        )
    for year, value in points:
        circle = ET.SubElement(
            group,
            "circle",
            {
                "cx": _fmt(x(year)),
                "cy": _fmt(y(float(value))),
                "r": _fmt(layout.point_radius),
                "fill": MEASURED,
            },
        )
        ET.SubElement(
            circle, "title"
        ).text = f"{year}: {format_measure(value, sub_target.indicator_unit)}"

    if not points:
        empty = ET.SubElement(
            svg,
            "text",
            {
                "class": "no-data",
                "x": _fmt(layout.left + layout.plot_width / 2),
                "y": _fmt(layout.top + layout.plot_height / 2),
                "text-anchor": "middle",
                "fill": INK,
                "font-weight": "bold",
            },
        )
        empty.text = _("No data yet.")

    if sub_target.has_demo_values:
        demo = ET.SubElement(
            svg,
            "text",
            {
                "class": "demo-mark",
                "x": _fmt(layout.width - layout.right - 2),
                "y": _fmt(layout.top + DEMO_FONT_SIZE),
                "text-anchor": "end",
                "fill": TARGET,
                "font-weight": "bold",
                "font-size": str(max(DEMO_FONT_SIZE, layout.font_size)),
            },
        )
        demo.text = "DEMO"

    if layout.labels:
        _legend(svg, layout, sub_target, progress)
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 – escaped by ElementTree


def _year_ticks(x_min: int, x_max: int) -> list[int]:
    """First and last year and the round years between, not crowding each other."""
    ticks = [x_min]
    for year in range(x_min + 1, x_max):
        if year % 5 == 0 and year - ticks[-1] >= 3 and x_max - year >= 3:
            ticks.append(year)
    ticks.append(x_max)
    return ticks


def _legend(svg: ET.Element, layout: Layout, sub_target: SubTarget, progress: Progress) -> None:
    entries = [(_("Measured"), MEASURED, None)]
    if progress.trend is not None:
        entries.append((_("Trend"), TREND, "3 3 10 3"))
    if progress.target is not None:
        entries.append(
            (_("Target %(year)s") % {"year": sub_target.target_year}, TARGET, "8 4"),
        )
    if sub_target.baseline_value is not None:
        entries.append((_("Baseline"), INK_SOFT, "2 3"))
    legend = ET.SubElement(svg, "g", {"class": "legend", "aria-hidden": "true"})
    # Lay the entries out in rows that fit the width; the last row sits 18 above the bottom.
    rows: list[list[tuple[str, str, str | None, float]]] = [[]]
    used = layout.left
    for label, colour, dash in entries:
        width = 30 + len(label) * layout.font_size * 0.6 + 20
        if rows[-1] and used + width - 20 > layout.width - layout.right:
            rows.append([])
            used = layout.left
        rows[-1].append((label, colour, dash, used))
        used += width
    step = layout.font_size + 10
    for number, row in enumerate(rows):
        y = layout.height - 18 - (len(rows) - 1 - number) * step
        _legend_row(legend, row, y)


def _legend_row(legend: ET.Element, row, y: float) -> None:
    for label, colour, dash, x in row:
        attrs = {
            "x1": _fmt(x),
            "x2": _fmt(x + 24),
            "y1": _fmt(y),
            "y2": _fmt(y),
            "stroke": colour,
            "stroke-width": "2.5",
        }
        if dash:
            attrs["stroke-dasharray"] = dash
        ET.SubElement(legend, "line", attrs)
        text = ET.SubElement(legend, "text", {"x": _fmt(x + 30), "y": _fmt(y + 4), "fill": INK})
        text.text = label
