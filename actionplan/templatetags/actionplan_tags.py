"""Actions on the programme's goal and strategy pages, without programme importing us."""

from django import template

from ..models import Action

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
