"""Sub-target status, charts and values in templates, also those of other apps' pages.

``{% load indicator_tags %}`` lets the programme's goal page show its sub-targets'
statuses without that app importing this one.
"""

from __future__ import annotations

from django import template

from flemingsberg.formatting import format_measure, format_number

from ..charts import sub_target_chart
from ..progress import GoalSummary, summarise

register = template.Library()


@register.simple_tag
def chart(sub_target, small: bool = False, narrow: bool = False):
    return sub_target_chart(sub_target, small=small, narrow=narrow)


@register.simple_tag
def goal_summary(sub_targets) -> GoalSummary:
    """``{% goal_summary goal.sub_targets.all as summary %}`` (uses the prefetch)."""
    return summarise(sub_target.progress.status for sub_target in sub_targets)


# The portal's one formatter (flemingsberg.formatting), under the names these templates use.
@register.filter
def number(value):
    return format_number(value)


@register.filter
def measure(value, unit: str = ""):
    return format_measure(value, unit)
