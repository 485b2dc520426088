"""Issue 10, items 1 and 2: admin actions and history reverts do no more than the role may.

Each test is a case that was reproduced on the portal before the rules module: a
read-only steering member unpublishing the programme, a coordinator publishing a draft
goal, steering reverting an adopted plan to a draft through django-simple-history, a
coordinator moving another party's measurement onto their own sub-target.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, ActionPlan
from indicators.models import Measurement, SubTarget
from programme.models import DevelopmentGoal, Programme
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _action_post(model, obj, action: str) -> tuple[str, dict]:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return url, {"action": action, "_selected_action": [obj.pk], "index": 0}


# --- 1. publish / unpublish ------------------------------------------------------------------


def test_steering_cannot_unpublish_the_programme(programme_content, steering_member, visitor):
    url, data = _action_post(Programme, programme_content, "unpublish")
    response = _client(steering_member).post(url, data)
    # The action is not offered to steering at all; the home page stays up.
    assert response.status_code in (200, 302, 403)
    programme_content.refresh_from_db()
    assert programme_content.is_published
    assert visitor.get("/").status_code == 200


def test_steering_is_not_offered_publish_actions(programme_content, steering_member):
    url = reverse("admin:programme_programme_changelist")
    html = _client(steering_member).get(url).content.decode()
    assert 'value="unpublish"' not in html and 'value="publish"' not in html


@pytest.mark.parametrize("party", ["huddinge", "botkyrka"])
def test_coordinator_cannot_publish_a_draft_goal(programme_content, make_staff, party):
    goal = programme_content.goals.first()
    goal.is_published = False
    goal.save()
    coordinator = make_staff("coordinator", party)
    url, data = _action_post(DevelopmentGoal, goal, "publish")
    _client(coordinator).post(url, data)
    goal.refresh_from_db()
    assert not goal.is_published


def test_coordinator_cannot_publish_a_draft_programme(programme_content, coordinator_huddinge):
    draft = Programme.objects.create(
        slug="utkast", title="Utkast", version_date=datetime.date(2026, 1, 1)
    )
    url, data = _action_post(Programme, draft, "publish")
    _client(coordinator_huddinge).post(url, data)
    draft.refresh_from_db()
    assert not draft.is_published


def test_editor_publishing_is_recorded_in_the_admin_log(programme_content, editor):
    goal = programme_content.goals.first()
    goal.is_published = False
    goal.save()
    url, data = _action_post(DevelopmentGoal, goal, "publish")
    response = _client(editor).post(url, data, follow=True)
    goal.refresh_from_db()
    assert goal.is_published
    entry = LogEntry.objects.get(object_id=str(goal.pk), user=editor)
    assert entry.is_change() and "publicerad" in entry.get_change_message().lower()
    assert "1 post publicerades." in response.content.decode()


def test_editor_unpublishing_is_recorded_and_takes_the_page_down(
    programme_content, editor, visitor
):
    assert visitor.get("/").status_code == 200
    url, data = _action_post(Programme, programme_content, "unpublish")
    _client(editor).post(url, data)
    assert LogEntry.objects.filter(object_id=str(programme_content.pk), user=editor).exists()
    assert visitor.get("/").status_code == 404


# --- 2. history revert -----------------------------------------------------------------------


@pytest.fixture
def adopted_plan(programme_content):
    """The 2026 plan of Flemingsberg 2050: a draft first (history version 1), then adopted."""
    plan = ActionPlan.objects.create(
        programme=programme_content, year=2026, title="Handlingsplan 2026"
    )
    plan.status = ActionPlan.Status.ADOPTED
    plan.decision = coordination_decision(datetime.date(2025, 12, 1))
    plan.save()
    return plan


def _revert_url(obj, version) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version]
    )


def _first_version(obj):
    return obj.history.order_by("history_date", "history_id").first().history_id


def test_steering_cannot_revert_the_adopted_plan_to_its_draft(adopted_plan, steering_member):
    version = _first_version(adopted_plan)
    response = _client(steering_member).post(
        _revert_url(adopted_plan, version),
        {"title_sv": "Handlingsplan 2026", "title_en": "", "notes_sv": "", "notes_en": ""},
    )
    assert response.status_code == 403
    adopted_plan.refresh_from_db()
    assert adopted_plan.status == ActionPlan.Status.ADOPTED
    assert adopted_plan.decision.date == datetime.date(2025, 12, 1)


def test_editor_revert_of_an_adopted_plan_is_refused_with_a_message(adopted_plan, editor):
    version = _first_version(adopted_plan)
    response = _client(editor).post(
        _revert_url(adopted_plan, version),
        {"title_sv": "Handlingsplan 2026", "title_en": "", "notes_sv": "", "notes_en": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "antagen" in response.content.decode()
    adopted_plan.refresh_from_db()
    assert adopted_plan.status == ActionPlan.Status.ADOPTED


def test_revert_of_a_draft_plan_keeps_its_lifecycle_state(programme_content, editor):
    plan = ActionPlan.objects.create(programme=programme_content, year=2027, title="Första")
    plan.title = "Andra"
    plan.status = ActionPlan.Status.PROPOSED
    plan.save()
    version = _first_version(plan)
    response = _client(editor).post(
        _revert_url(plan, version),
        {"title_sv": "Första", "title_en": "", "notes_sv": "", "notes_en": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    # The text comes back; the state, which moves only by a recorded transition, does not.
    assert plan.title_sv == "Första"
    assert plan.status == ActionPlan.Status.PROPOSED


def test_frozen_action_revert_is_refused_with_a_message_not_a_500(adopted_plan, editor, parties):
    action = Action.objects.create(
        plan=adopted_plan, number="2026:01", title="Åtgärd", lead_organisation=parties["huddinge"]
    )
    action.contact_person = "Ny kontakt"
    action.save()
    version = _first_version(action)
    response = _client(editor).post(
        _revert_url(action, version), {"contact_person": "", "status": "planned"}, follow=True
    )
    assert response.status_code == 200
    assert "antagen" in response.content.decode()
    action.refresh_from_db()
    assert action.contact_person == "Ny kontakt"


@pytest.fixture
def two_sub_targets(programme_content, parties):
    botkyrka = SubTarget.objects.filter(goal__programme=programme_content).first()
    botkyrka.measuring_organisation = parties["botkyrka"]
    botkyrka.save()
    huddinge = SubTarget.objects.exclude(pk=botkyrka.pk).first()
    huddinge.measuring_organisation = parties["huddinge"]
    huddinge.save()
    return botkyrka, huddinge


def test_coordinator_cannot_move_another_partys_measurement_by_revert(
    two_sub_targets, coordinator_huddinge
):
    botkyrka_target, huddinge_target = two_sub_targets
    measurement = Measurement.objects.create(
        sub_target=botkyrka_target, period_year=2024, value=Decimal(100), is_published=True
    )
    version = _first_version(measurement)
    response = _client(coordinator_huddinge).post(
        _revert_url(measurement, version),
        {"sub_target": huddinge_target.pk, "period_year": 2024, "value": "999"},
    )
    assert response.status_code == 403
    measurement.refresh_from_db()
    assert (measurement.sub_target_id, measurement.value) == (botkyrka_target.pk, Decimal(100))


def test_coordinator_reverts_an_own_measurement_but_not_onto_another_party(
    two_sub_targets, coordinator_botkyrka
):
    botkyrka_target, huddinge_target = two_sub_targets
    measurement = Measurement.objects.create(
        sub_target=botkyrka_target, period_year=2024, value=Decimal(100)
    )
    measurement.value = Decimal(120)
    measurement.save()
    client = _client(coordinator_botkyrka)
    version = _first_version(measurement)
    response = client.post(
        _revert_url(measurement, version),
        {"sub_target": huddinge_target.pk, "period_year": 2024, "value": "100"},
    )
    assert response.status_code == 200  # the form again, with the refusal; nothing saved
    measurement.refresh_from_db()
    assert (measurement.sub_target_id, measurement.value) == (botkyrka_target.pk, Decimal(120))
    response = client.post(
        _revert_url(measurement, version),
        {"sub_target": botkyrka_target.pk, "period_year": 2024, "value": "100"},
    )
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal(100)
