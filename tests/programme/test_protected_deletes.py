"""Deletes do not take data with them: what plans, measurements and decisions rest on is
protected, and the admin says why a delete is refused (issue 11, 6)."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, ActionPlan
from indicators.models import Measurement, SubTarget
from programme.models import DevelopmentGoal, Organisation
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(build_programme):
    return build_programme(goals=2, strategies=1)


@pytest.fixture
def adopted_action(programme, parties):
    plan = ActionPlan.objects.create(
        programme=programme,
        year=2026,
        title="Handlingsplan 2026",
        status=ActionPlan.Status.ADOPTED,
        decision=coordination_decision(datetime.date(2025, 12, 1)),
    )
    action = Action.objects.create(
        plan=plan, number="2026:01", title="Bygga bostäder", lead_organisation=parties["huddinge"]
    )
    action.goals.set([programme.goals.get(slug="mal-2")])
    action.strategies.set(programme.strategies.all())
    return action


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_goal_with_sub_targets_and_measurements_is_not_deleted(programme):
    goal = programme.goals.get(slug="mal-1")
    sub_target = goal.sub_targets.get()
    Measurement.objects.create(sub_target=sub_target, period_year=2020, value=Decimal(5))
    with pytest.raises(ProtectedError):
        goal.delete()
    assert SubTarget.objects.filter(pk=sub_target.pk).exists()
    assert Measurement.objects.filter(sub_target=sub_target).count() == 1
    with pytest.raises(ProtectedError):
        sub_target.delete()  # nor a sub-target with its measurements


def test_a_goal_or_strategy_of_adopted_actions_is_not_unlinked_by_a_delete(
    programme, adopted_action
):
    goal = programme.goals.get(slug="mal-2")
    goal.sub_targets.all().delete()  # nothing else rests on it
    with pytest.raises(ProtectedError):
        goal.delete()
    with pytest.raises(ProtectedError):
        DevelopmentGoal.objects.filter(pk=goal.pk).delete()
    with pytest.raises(ProtectedError):
        programme.strategies.get().delete()
    assert list(adopted_action.goals.all()) == [goal]
    assert adopted_action.strategies.count() == 1


def test_an_organisation_measuring_a_sub_target_is_not_deleted(programme):
    other = Organisation.objects.create(slug="scb", name="Statistiska centralbyrån")
    sub_target = SubTarget.objects.get(slug="delmal-1")
    sub_target.measuring_organisation = other
    sub_target.save()
    with pytest.raises(ProtectedError):
        other.delete()
    sub_target.refresh_from_db()
    assert sub_target.measuring_organisation == other


def test_content_nothing_rests_on_can_still_be_deleted(programme):
    goal = programme.goals.get(slug="mal-1")
    goal.sub_targets.all().delete()
    goal.delete()
    assert not DevelopmentGoal.objects.filter(pk=goal.pk).exists()


def test_the_admin_says_why_a_goal_cannot_be_deleted(programme, adopted_action, editor):
    goal = programme.goals.get(slug="mal-2")
    url = reverse("admin:programme_developmentgoal_delete", args=[goal.pk])
    client = _client(editor)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "kan inte tas bort" in text
    assert "avpublicera" in text.lower()
    # The action is named as staff know it, with a link to it, not as a link-table row.
    action_url = reverse("admin:actionplan_action_change", args=[adopted_action.pk])
    assert f'<a href="{action_url}">2026:01 Bygga bostäder</a>' in text
    assert 'Delmål 2030: <a href="' in text
    assert "Utvecklingsmål ”Mål 2” kan inte tas bort" in text
    assert "object (" not in text
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert DevelopmentGoal.objects.filter(pk=goal.pk).exists()


def test_the_admin_bulk_delete_says_why_too(programme, adopted_action, editor):
    goal = programme.goals.get(slug="mal-2")
    response = _client(editor).post(
        reverse("admin:programme_developmentgoal_changelist"),
        {"action": "delete_selected", "_selected_action": [goal.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "kan inte tas bort" in response.content.decode()
    assert DevelopmentGoal.objects.filter(pk=goal.pk).exists()
