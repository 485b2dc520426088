"""Actions and status on the programme's pages, without programme importing us."""

from django import template

from ..models import Action
from ..status import programme_status

register = template.Library()

LIMIT = 50


def _public_actions():
    # One query: public, real (not demo) plans, newest plan first, with plan and lead party.
    return (
        Action.objects.public()
        .filter(plan__is_demo=False)
        .select_related("plan", "lead_organisation")
        .order_by("-plan__year", "number", "pk")
    )


@register.inclusion_tag("actionplan/includes/linked_actions.html")
def goal_actions(goal):
    actions = list(_public_actions().serving_goal(goal)[:LIMIT])
    return {"actions": actions, "heading_id": f"goal-actions-{goal.pk}"}


@register.inclusion_tag("actionplan/includes/linked_actions.html")
def strategy_actions(strategy):
    actions = list(_public_actions().serving_strategy(strategy)[:LIMIT])
    return {"actions": actions, "heading_id": f"strategy-actions-{strategy.pk}"}


@register.inclusion_tag("actionplan/includes/status_band.html")
def status_band(programme, goals=None, goal=None):
    """``{% status_band programme goals=goals %}`` on the home page (goals with their
    sub-targets prefetched), ``{% status_band programme goal=goal %}`` on a goal page."""
    return {"status": programme_status(programme, goals=goals, goal=goal)}


@register.filter
def responsible_on(action, date):
    """``{{ action|responsible_on:plan.names_on }}``: ``Action.responsible_on``."""
    return action.responsible_on(date)


@register.filter
def toc_page(pages: dict | None, anchor: str):
    """The page an anchor starts on, in a PDF rendered in parts (actionplan/pdf.py)."""
    return (pages or {}).get(anchor, "")
