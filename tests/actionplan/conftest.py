"""Builders for action plan tests: a plan with a few actions, fast (bulk) for big ones."""

import datetime

import pytest

from actionplan.models import Action, ActionPartner, ActionPlan
from tests.decisions import coordination_decision


@pytest.fixture
def programme(build_programme):
    return build_programme(goals=3, strategies=2)


@pytest.fixture
def make_plan(programme):
    def make(year: int = 2026, status: str = ActionPlan.Status.DRAFT, **fields) -> ActionPlan:
        if status in ActionPlan.FROZEN_STATUSES and "decision" not in fields:
            fields["decision"] = coordination_decision(datetime.date(year - 1, 12, 1))
        return ActionPlan.objects.create(
            programme=fields.pop("programme", programme),
            year=year,
            title=fields.pop("title", f"Handlingsplan {year}"),
            title_en=fields.pop("title_en", f"Action plan {year}"),
            status=status,
            **fields,
        )

    return make


@pytest.fixture
def make_action(programme, parties):
    goal = programme.goals.first()

    def make(plan, number: str, lead: str = "huddinge", partners=(), **fields) -> Action:
        action = Action.objects.create(
            plan=plan,
            number=number,
            title=fields.pop("title", f"Åtgärd {number}"),
            title_en=fields.pop("title_en", f"Action {number}"),
            lead_organisation=parties[lead] if lead else None,
            **fields,
        )
        action.goals.add(goal)
        for slug in partners:
            ActionPartner.objects.create(action=action, organisation=parties[slug], role="Stöd")
        return action

    return make
