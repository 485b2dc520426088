"""Where the programme stands: the status band at the top of the home and goal pages.

:func:`programme_status` gathers, for a programme (or one of its goals):

* the action plan in force (the newest adopted plan of the programme, a real one before a
  demo one), or plainly none, with the newest public plan of an earlier programme version
  for context (in the real content: the 2007 plan under the replaced 2007 programme);
* that plan's actions by status (for a goal: the actions serving it);
* each 2030 sub-target's status and latest assessment;
* "last updated": the newest published change among the programme version, the plan in
  force, its actions and follow-ups, and the sub-targets' published values and assessments;
* whether demo data is shown, so the band says DEMO with it.

The editors' start page (another issue) can reuse it. Queries: the plan in force with the
times its actions and follow-ups last changed (1, two subqueries), its status counts (1),
or, without a plan, the earlier plan (1). The sub-targets come with their measurements and
assessments already fetched (``DevelopmentGoal.objects.with_sub_targets``).
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from indicators.models import SubTarget
from indicators.progress import GoalSummary, summarise
from programme.models import DevelopmentGoal, Programme

from .models import (
    Action,
    ActionPlan,
    ActionStatus,
    FollowUpRound,
    FollowUpUpdate,
    RoundReportDocument,
)

SVG_NS = "http://www.w3.org/2000/svg"

# Bar colours per action status, the same hues as the status labels (actionplan.css); the
# bar is a picture of the numbers listed beside it, which say everything in text.
BAR_FILLS = {
    ActionStatus.PLANNED: "#8a9a96",
    ActionStatus.ONGOING: "#0b4f4a",
    ActionStatus.COMPLETED: "#1d5e20",
    ActionStatus.POSTPONED: "#b8690f",
    ActionStatus.CANCELLED: "#6b1d1d",
}


@dataclass(frozen=True)
class StatusCount:
    status: ActionStatus
    count: int
    share: float  # 0–100, of all the actions counted

    @property
    def label(self) -> str:
        return self.status.label


@dataclass
class ProgrammeStatus:
    programme: Programme
    goal: DevelopmentGoal | None
    plan: ActionPlan | None
    earlier_plan: ActionPlan | None
    counts: list[StatusCount]
    total: int
    sub_targets: list[SubTarget]
    summary: GoalSummary
    last_updated: datetime.date | None
    # The latest closed (public) follow-up round of the plan in force, with
    # ``has_report`` (its report is stored in the page's language);
    # templates/actionplan/includes/status_round.html renders it, nothing while None.
    latest_round: FollowUpRound | None = None
    bar: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def is_demo_plan(self) -> bool:
        return self.plan is not None and self.plan.is_demo

    @property
    def has_demo_values(self) -> bool:
        return any(sub_target.has_demo_values for sub_target in self.sub_targets)

    @property
    def has_demo(self) -> bool:
        return self.is_demo_plan or self.has_demo_values


def _as_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def _plan_in_force(programme: Programme, goal: DevelopmentGoal | None) -> ActionPlan | None:
    """The newest adopted plan of the programme, with ``actions_changed`` and
    ``updates_changed``: when its actions (serving ``goal``) and their follow-ups last
    changed. One query."""
    actions = Action.objects.filter(plan=OuterRef("pk"))
    updates = FollowUpUpdate.objects.filter(action__plan=OuterRef("pk"))
    if goal is not None:
        actions = actions.serving_goal(goal)
        updates = updates.filter(action__goals=goal)
    return (
        ActionPlan.objects.for_programme(programme)
        .annotate(
            actions_changed=Subquery(actions.order_by("-updated_at").values("updated_at")[:1]),
            updates_changed=Subquery(updates.order_by("-updated_at").values("updated_at")[:1]),
        )
        .latest_adopted()
    )


def _earlier_plan(programme: Programme) -> ActionPlan | None:
    """The newest public plan of another (earlier) programme version, for context."""
    return (
        ActionPlan.objects.public()
        .exclude(programme=programme)
        .filter(programme__version_date__lt=programme.version_date)
        .select_related("programme")
        .order_by("is_demo", "-year", "-pk")
        .first()
    )


def _latest_round(plan: ActionPlan) -> FollowUpRound | None:
    """The plan's latest closed round, if public, with whether its report is stored in the
    active language (an EXISTS): one query."""
    stored = RoundReportDocument.objects.filter(
        round=OuterRef("pk"), language=translation.get_language() or "sv"
    )
    round = (
        FollowUpRound.objects.public()
        .filter(plan=plan)
        .annotate(has_report=Exists(stored))
        .order_by("-closed_at", "-pk")
        .first()
    )
    if round is not None:
        round.plan = plan  # its URLs name the plan's year: no second query
    return round


def programme_status(
    programme: Programme,
    *,
    goals: Iterable[DevelopmentGoal] | None = None,
    goal: DevelopmentGoal | None = None,
) -> ProgrammeStatus:
    """The status of ``programme`` (``goals`` with their sub-targets prefetched), or of one
    ``goal`` of it (its sub-targets prefetched)."""
    if goal is not None:
        sub_targets = list(goal.sub_targets.all())
    else:
        sub_targets = [target for each in goals or () for target in each.sub_targets.all()]
    plan = _plan_in_force(programme, goal)
    counts: list[StatusCount] = []
    total = 0
    earlier = None
    if plan is not None:
        actions = Action.objects.in_plan(plan)
        raw = (actions.serving_goal(goal) if goal is not None else actions).status_counts()
        total = sum(raw.values())
        counts = [
            StatusCount(
                status=ActionStatus(value),
                count=number,
                share=(100 * number / total) if total else 0.0,
            )
            for value, number in raw.items()
        ]
    else:
        earlier = _earlier_plan(programme)
    latest_round = _latest_round(plan) if plan is not None else None
    stamps = [_as_date(programme.adopted_on or programme.version_date)]
    if plan is not None:
        stamps += [_as_date(plan.decision.date if plan.decision else None)]
        stamps += [_as_date(plan.updated_at)]
        stamps += [_as_date(plan.actions_changed), _as_date(plan.updates_changed)]
    stamps += [_as_date(target.last_changed) for target in sub_targets]
    known = [stamp for stamp in stamps if stamp is not None]
    return ProgrammeStatus(
        programme=programme,
        goal=goal,
        plan=plan,
        earlier_plan=earlier,
        counts=counts,
        total=total,
        sub_targets=sub_targets,
        summary=summarise(target.progress.status for target in sub_targets),
        last_updated=max(known, default=None),
        bar=status_bar_svg(counts),
        latest_round=latest_round,
    )


def _fmt(number: float) -> str:
    return f"{number:.2f}".rstrip("0").rstrip(".")


def status_bar_svg(counts: list[StatusCount]) -> SafeString:
    """A stacked bar of the actions by status, one segment per status with actions.

    Decoration only (``aria-hidden``): the numbers beside it are the text. Presentation
    attributes only, no style (strict CSP), so the same markup goes into the PDFs.
    """
    shown = [item for item in counts if item.count]
    if not shown:
        return mark_safe("")
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": "status-bar",
            "viewBox": "0 0 1000 40",
            "preserveAspectRatio": "none",
            "width": "100%",
            "height": "24",
            "aria-hidden": "true",
            "focusable": "false",
        },
    )
    x = 0.0
    for item in shown:
        width = 10 * item.share
        ET.SubElement(
            svg,
            "rect",
            {
                "class": f"segment segment-{item.status.value}",
                "x": _fmt(x),
                "y": "0",
                "width": _fmt(width),
                "height": "40",
                "fill": BAR_FILLS[item.status],
            },
        )
        x += width
        # A white gap between segments, so that neighbours never merge into one colour.
        if x < 1000:
            ET.SubElement(
                svg,
                "rect",
                {"x": _fmt(x - 2), "y": "0", "width": "4", "height": "40", "fill": "#ffffff"},
            )
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 – built by ElementTree
