"""Actions and status on the programme's pages, without programme importing us."""

from django import template
from django.template.loader import get_template

from flemingsberg.cache import memoised
from programme import roles

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


@register.simple_tag(takes_context=True)
def status_band(context, programme, goals=None, goal=None):
    """``{% status_band programme goals=goals %}`` on the home page (goals with their
    sub-targets prefetched), ``{% status_band programme goal=goal %}`` on a goal page.

    For anonymous visitors the band's HTML is memoised per content version and language
    (``flemingsberg.cache.memoised``): the home page and every goal page show it, and it
    costs a third of their render (three queries and the template). Staff see drafts in it,
    so theirs is worked out each time."""

    def band() -> str:
        status = programme_status(programme, goals=goals, goal=goal)
        return get_template("actionplan/includes/status_band.html").render({"status": status})

    request = context.get("request")
    if request is not None and roles.may_preview_drafts(request.user):
        return band()
    return memoised("status-band", band, programme.pk, goal.pk if goal is not None else "")


@register.filter
def responsible_on(action, date):
    """``{{ action|responsible_on:plan.names_on }}``: ``Action.responsible_on``."""
    return action.responsible_on(date)


@register.filter
def toc_page(pages: dict | None, anchor: str):
    """The page an anchor starts on, in a PDF rendered in parts (actionplan/pdf.py)."""
    return (pages or {}).get(anchor, "")
