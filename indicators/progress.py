"""Progress of a sub-target towards its 2030 target, and its status.

The method, as the public method page also states it:

1. **Share of the way** = (latest value − baseline) ÷ (target − baseline). It needs a
   baseline that a source gives; without one it is not shown. It is not capped: a value
   below the baseline gives a negative share, one above the target more than 100 %. A
   target that counts new things ("minst 10 000 nya bostäder") starts from zero by
   definition, so its share is the share of the target reached.
2. **Target**: an absolute number or a percentage as the programme states it; for a
   multiple of the baseline (“double”) the baseline × the factor, so without a baseline
   such a target has no value yet.
3. **Status** from the published measurements (one per year), all of the programme's
   sub-targets being floors to reach (“at least”, “double”):

   - *not enough data*: no target value (a multiple of a baseline no source gives), or no
     measurement; ``Progress.reason`` says which;
   - *on track*: the latest value has reached the target already;
   - *not enough data*: fewer than two measured years (one value gives no trend);
   - otherwise a least-squares linear trend is fitted through the (year, value) points:
     *off track* if it is flat or falling; else it is projected to the target year and
     the status is *on track* if the projection reaches the target, *at risk* if it
     reaches at least 90 % of the target, and *off track* below that.

The public method text (``templates/indicators/includes/method.html``) says the same in
plain words: the least-squares line is "the straight line that runs as close as possible
to all measured values".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# A projection within this fraction of the target counts as "at risk", not "off track".
AT_RISK_SHARE_OF_TARGET = Decimal("0.9")
MINIMUM_POINTS_FOR_TREND = 2


class Status(models.TextChoices):
    # Ordered from best to worst; the roll-up takes the worst of those with data.
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NOT_ENOUGH_DATA = "not_enough_data", _("Not enough data")


SEVERITY = [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]


class Reason(models.TextChoices):
    """Why a sub-target has no status (``Status.NOT_ENOUGH_DATA``), in one sentence each."""

    NO_BASELINE = (
        "no_baseline",
        _(
            "No status: the target is a multiple of the baseline, and no source gives the "
            "baseline yet, so the target has no value to compare with."
        ),
    )
    NO_TARGET = "no_target", _("No status: the programme gives no number for this target.")
    NO_VALUES = "no_values", _("No status yet: no value has been published.")
    ONE_VALUE = (
        "one_value",
        _("No status yet: only one year has been measured, and a trend needs at least two."),
    )


@dataclass(frozen=True)
class Trend:
    """value = intercept + slope × year, fitted by least squares."""

    slope: float
    intercept: float

    def at(self, year: float) -> float:
        return self.intercept + self.slope * year


@dataclass(frozen=True)
class Progress:
    status: Status
    latest_year: int | None = None
    latest_value: Decimal | None = None
    target: Decimal | None = None
    share_of_way: Decimal | None = None
    trend: Trend | None = None
    projected: Decimal | None = None
    reason: Reason | None = None

    @property
    def target_reached(self) -> bool:
        return (
            self.target is not None
            and self.latest_value is not None
            and self.latest_value >= self.target
        )

    @property
    def share_of_way_percent(self) -> Decimal | None:
        if self.share_of_way is None:
            return None
        return (self.share_of_way * 100).quantize(Decimal("1"))


def linear_trend(points: Sequence[tuple[int, Decimal]]) -> Trend | None:
    """Ordinary least squares through (year, value); None with fewer than two distinct years."""
    if len({year for year, _value in points}) < MINIMUM_POINTS_FOR_TREND:
        return None
    n = len(points)
    mean_x = sum(year for year, _value in points) / n
    mean_y = sum(float(value) for _year, value in points) / n
    sxx = sum((year - mean_x) ** 2 for year, _value in points)
    sxy = sum((year - mean_x) * (float(value) - mean_y) for year, value in points)
    slope = sxy / sxx
    return Trend(slope=slope, intercept=mean_y - slope * mean_x)


def compute_progress(
    *,
    points: Iterable[tuple[int, Decimal]],
    baseline: Decimal | None,
    target: Decimal | None,
    target_year: int,
    needs_baseline_for_target: bool = False,
) -> Progress:
    """Status and share of the way for one sub-target; the method is the module docstring.

    ``needs_baseline_for_target``: the target is a multiple of the baseline, so a missing
    target means a missing baseline (the reason given for the missing status).
    """
    points = sorted(points)
    if target is None:
        reason = Reason.NO_BASELINE if needs_baseline_for_target else Reason.NO_TARGET
        latest = points[-1] if points else (None, None)
        return Progress(
            status=Status.NOT_ENOUGH_DATA,
            target=target,
            latest_year=latest[0],
            latest_value=latest[1],
            reason=reason,
        )
    if not points:
        return Progress(status=Status.NOT_ENOUGH_DATA, target=target, reason=Reason.NO_VALUES)
    latest_year, latest_value = points[-1]
    share = None
    if baseline is not None and target != baseline:
        share = ((latest_value - baseline) / (target - baseline)).quantize(Decimal("0.001"))
    known = {
        "latest_year": latest_year,
        "latest_value": latest_value,
        "target": target,
        "share_of_way": share,
    }
    if latest_value >= target:
        return Progress(status=Status.ON_TRACK, **known)
    trend = linear_trend(points)
    if trend is None:
        return Progress(status=Status.NOT_ENOUGH_DATA, reason=Reason.ONE_VALUE, **known)
    projected = Decimal(str(round(trend.at(target_year), 2)))
    if trend.slope <= 0:
        status = Status.OFF_TRACK
    elif projected >= target:
        status = Status.ON_TRACK
    elif projected >= target * AT_RISK_SHARE_OF_TARGET:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return Progress(status=status, trend=trend, projected=projected, **known)


@dataclass(frozen=True)
class GoalSummary:
    """The roll-up of a goal's sub-targets: counts per status and the worst known status."""

    total: int
    counts: dict[str, int]
    status: Status

    @property
    def with_data(self) -> int:
        return self.total - self.counts.get(Status.NOT_ENOUGH_DATA, 0)


def summarise(statuses: Iterable[Status]) -> GoalSummary:
    """Worst status among the sub-targets that have enough data; none with data → not enough."""
    counts = Counter(statuses)
    known = [status for status in SEVERITY if counts.get(status)]
    overall = known[-1] if known else Status.NOT_ENOUGH_DATA
    return GoalSummary(
        total=sum(counts.values()),
        counts={status.value: counts.get(status, 0) for status in Status},
        status=overall,
    )
