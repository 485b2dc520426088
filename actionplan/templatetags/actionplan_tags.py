"""Actions and status on the programme's pages, without programme importing us."""

from django import template
from django.template.loader import get_template

from programme.models import memoised_for
from programme.templatetags.memo import viewer

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


def _linked_actions(context, kind: str, target, actions) -> str:
    """The actions in adopted plans that serve ``target`` (a goal or a strategy), at most
    ``LIMIT``: one query and the list's template, worked out once per content version for
    visitors (``memoised_for``)."""

    def html() -> str:
        return get_template("actionplan/includes/linked_actions.html").render(
            {"actions": list(actions[:LIMIT]), "heading_id": f"{kind}-actions-{target.pk}"}
        )

    return memoised_for(viewer(context), f"{kind}-actions", html, target.pk)


@register.simple_tag(takes_context=True)
def goal_actions(context, goal):
    return _linked_actions(context, "goal", goal, _public_actions().serving_goal(goal))


@register.simple_tag(takes_context=True)
def strategy_actions(context, strategy):
    return _linked_actions(
        context, "strategy", strategy, _public_actions().serving_strategy(strategy)
    )


@register.simple_tag(takes_context=True)
def status_band(context, programme, goals=None, goal=None):
    """``{% status_band programme goals=goals %}`` on the home page (goals with their
    sub-targets prefetched), ``{% status_band programme goal=goal %}`` on a goal page.

    For visitors the band's HTML is memoised per content version and language
    (``memoised_for``): the home page and every goal page show it, and it costs a third of
    their render (three queries and the template). Staff see drafts in it, so theirs is
    worked out each time."""

    def band() -> str:
        status = programme_status(programme, goals=goals, goal=goal)
        return get_template("actionplan/includes/status_band.html").render({"status": status})

    return memoised_for(
        viewer(context), "status-band", band, programme.pk, goal.pk if goal is not None else ""
    )


@register.filter
def responsible_on(action, date):
    """``{{ action|responsible_on:plan.names_on }}``: ``Action.responsible_on``."""
    return action.responsible_on(date)


@register.filter
def toc_page(pages: dict | None, anchor: str):
    """The page an anchor starts on, in a PDF rendered in parts (actionplan/pdf.py)."""
    return (pages or {}).get(anchor, "")
