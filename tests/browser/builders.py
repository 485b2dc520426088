"""Test data for the browser scenarios, built with the models on top of ``programme_content``.

Plain functions, not fixtures: each scenario says what it needs in its own fixture.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from actionplan.models import Action, ActionPartner, ActionPlan
from programme.models import Organisation, Programme
from tests.decisions import coordination_decision


@dataclass(frozen=True)
class ActionSpec:
    number: str
    title_sv: str
    title_en: str
    lead: str  # an organisation slug
    goal_orders: tuple[int, ...]
    partners: tuple[str, ...] = ()


# Four actions: two Huddinge ones (one led, one co-responsible), one Botkyrka, one Region.
ACTIONS = (
    ActionSpec("01", "Cykelstråk till stationen", "Cycle path to the station", "huddinge", (1,)),
    ActionSpec("02", "Ny skolgård i Storvreten", "New schoolyard in Storvreten", "botkyrka", (2,)),
    ActionSpec(
        "03",
        "Gemensam bostadsplanering",
        "Joint housing planning",
        "region-stockholm",
        (2,),
        partners=("huddinge",),
    ),
    ActionSpec("04", "Trygg belysning vid torget", "Safe lighting at the square", "huddinge", (2,)),
)


def build_plan(
    programme: Programme,
    *,
    year: int,
    title_sv: str,
    title_en: str,
    adopted: bool,
    actions: tuple[ActionSpec, ...] = ACTIONS,
) -> ActionPlan:
    """A plan of ``programme`` with ``actions``; adopted (public) or a draft."""
    decision = (
        {
            "status": ActionPlan.Status.ADOPTED,
            "decision": coordination_decision(datetime.date(year - 1, 12, 10)),
        }
        if adopted
        else {"status": ActionPlan.Status.DRAFT}
    )
    plan = ActionPlan.objects.create(
        programme=programme, year=year, title_sv=title_sv, title_en=title_en, **decision
    )
    goals = {goal.order: goal for goal in programme.goals.all()}
    organisations = {org.slug: org for org in Organisation.objects.all()}
    for spec in actions:
        action = Action.objects.create(
            plan=plan,
            number=f"{year}:{spec.number}",
            title_sv=spec.title_sv,
            title_en=spec.title_en,
            lead_organisation=organisations[spec.lead],
            start_year=year,
            end_year=year + 1,
        )
        action.goals.set([goals[order] for order in spec.goal_orders])
        for slug in spec.partners:
            ActionPartner.objects.create(action=action, organisation=organisations[slug])
    return plan
