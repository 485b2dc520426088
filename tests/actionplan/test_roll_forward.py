import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, ActionPlan
from actionplan.services import plan_roll_forward
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(make_plan, make_action):
    plan = make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    make_action(plan, "2026:01", status="ongoing", progress=30, partners=["botkyrka"])
    make_action(plan, "2026:02", status="planned")
    make_action(plan, "2026:03", status="postponed")
    make_action(
        plan, "2026:04", status="completed", progress=100, completed_on=datetime.date(2026, 6, 1)
    )
    make_action(plan, "2026:05", status="cancelled")
    return plan


def test_roll_forward_carries_unfinished_actions_linked_to_predecessors(adopted, make_staff):
    editor = make_staff("editor")
    new_plan, count = plan_roll_forward(plan=adopted, by=editor)
    assert count == 3
    assert (new_plan.year, new_plan.status, new_plan.predecessor) == (2027, "draft", adopted)
    carried = {a.number: a for a in Action.objects.in_plan(new_plan)}
    assert set(carried) == {"2027:01", "2027:02", "2027:03"}
    first = carried["2027:01"]
    assert first.predecessor.number == "2026:01"
    assert [p.organisation.slug for p in first.partners.all()] == ["botkyrka"]
    assert first.goals.count() == 1
    assert new_plan.transitions.get().by == editor
    with pytest.raises(Exception, match="redan en plan"):
        plan_roll_forward(plan=adopted, by=editor)


@pytest.mark.parametrize("role", ["coordinator", "steering"])
def test_only_editors_roll_forward(adopted, make_staff, role):
    with pytest.raises(PermissionDenied):
        plan_roll_forward(plan=adopted, by=make_staff(role))


def test_admin_action_reports_the_count(adopted, make_staff):
    client = Client()
    client.force_login(make_staff("editor"))
    response = client.post(
        reverse("admin:actionplan_actionplan_changelist"),
        {"action": "roll_forward", "_selected_action": [adopted.pk]},
        follow=True,
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context["messages"]
    ]
    assert any("3 åtgärder fördes över" in text for text in texts)
    assert ActionPlan.objects.filter(year=2027).exists()


def test_coordinator_does_not_get_the_roll_forward_action(adopted, make_staff):
    client = Client()
    client.force_login(make_staff("coordinator"))
    client.post(
        reverse("admin:actionplan_actionplan_changelist"),
        {"action": "roll_forward", "_selected_action": [adopted.pk]},
    )
    assert not ActionPlan.objects.filter(year=2027).exists()


def test_comparison_page_sorts_added_carried_completed_dropped(
    adopted, make_staff, make_action, visitor
):
    editor = make_staff("editor")
    new_plan, _count = plan_roll_forward(plan=adopted, by=editor)
    make_action(new_plan, "2027:10", title="Helt ny")
    ActionPlan.objects.filter(pk=new_plan.pk).update(
        status="adopted", decision=coordination_decision(datetime.date(2026, 12, 1))
    )
    response = visitor.get(reverse("actionplan:compare") + "?from=2026&to=2027")
    comparison = response.context["comparison"]
    numbers = {part["kind"]: [a.number for a in part["page"]] for part in comparison}
    assert numbers == {
        "added": ["2027:10"],
        "carried": ["2027:01", "2027:02", "2027:03"],
        "completed": ["2026:04"],
        "dropped": ["2026:05"],
    }
    assert response.content.decode().count("<h1") == 1
