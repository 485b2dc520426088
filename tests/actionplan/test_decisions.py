"""Decisions as records (issue 15, item 5): adopting a plan needs the political coordination
group's decision, which is then the plan's (frozen with it) and shown on its pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actionplan import services
from actionplan.models import ActionPlan
from programme.models import Decision
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db

NOVEMBER_12 = datetime.date(2026, 11, 12)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def proposed(make_plan, make_action):
    plan = make_plan(year=2027, status=ActionPlan.Status.PROPOSED)
    make_action(plan, "2027:01", lead="region-stockholm")
    return plan


@pytest.fixture
def decision():
    return coordination_decision(NOVEMBER_12, paragraph="§ 14", number="PSG 2026/7")


def steering_decision() -> Decision:
    return Decision.objects.create(body=Decision.Body.STEERING_GROUP, date=NOVEMBER_12)


# --- the service ------------------------------------------------------------------------------


def test_adoption_without_a_decision_is_refused_by_the_service(proposed, editor):
    with pytest.raises(ValidationError) as error:
        services.transition_plan(plan=proposed, to_status="adopted", by=editor)
    assert "den politiska samordningsgruppens beslut" in " ".join(error.value.messages)
    assert "decision" in error.value.message_dict
    proposed.refresh_from_db()
    assert proposed.status == ActionPlan.Status.PROPOSED
    assert not proposed.transitions.filter(to_status="adopted").exists()


@pytest.mark.parametrize(
    "other",
    [
        steering_decision,
        lambda: coordination_decision(NOVEMBER_12, kind=Decision.Kind.PROPOSAL),
    ],
    ids=["steering group", "a proposal"],
)
def test_only_the_coordination_groups_decision_adopts(proposed, editor, other):
    with pytest.raises(ValidationError) as error:
        services.transition_plan(plan=proposed, to_status="adopted", by=editor, decision=other())
    message = " ".join(error.value.messages)
    assert "är inte ett beslut av den politiska samordningsgruppen" in message
    proposed.refresh_from_db()
    assert proposed.status == ActionPlan.Status.PROPOSED
    assert proposed.decision is None


def test_adoption_with_the_coordination_groups_decision(proposed, editor, decision):
    plan = services.transition_plan(
        plan=proposed, to_status="adopted", by=editor, decision=decision
    )
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ADOPTED
    assert plan.decision == decision
    assert plan.transitions.get(to_status="adopted").by == editor


# --- the admin's lifecycle form ---------------------------------------------------------------


def _adopt(user, plan, **data):
    url = reverse("admin:actionplan_actionplan_transition", args=[plan.pk])
    return _client(user).post(url, {"to_status": "adopted", **data})


def test_admin_form_refuses_adoption_without_a_decision_and_keeps_the_input(proposed, editor):
    response = _adopt(editor, proposed, note="Samordningsgruppens möte")
    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert "den politiska samordningsgruppens beslut" in html  # the message names it
    assert 'value="Samordningsgruppens möte"' in html  # what was typed is kept
    assert 'value="adopted" selected' in html
    proposed.refresh_from_db()
    assert proposed.status == ActionPlan.Status.PROPOSED


def test_admin_form_refuses_another_bodys_decision_and_keeps_the_choice(proposed, editor):
    other = steering_decision()
    response = _adopt(editor, proposed, decision=other.pk, note="Försök")
    # The steering group's decision is not among the choices at all.
    assert response.status_code == 200
    form = response.context["form"]
    assert "decision" in form.errors
    assert 'value="Försök"' in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == ActionPlan.Status.PROPOSED


def test_admin_form_adopts_with_the_decision(proposed, editor, decision):
    response = _adopt(editor, proposed, decision=decision.pk)
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert (proposed.status, proposed.decision) == (ActionPlan.Status.ADOPTED, decision)
    page = _client(editor).get(reverse("admin:actionplan_actionplan_change", args=[proposed.pk]))
    assert "Politiska samordningsgruppen 12 november 2026, § 14, dnr PSG 2026/7" in (
        page.content.decode()
    )


def test_admin_change_page_offers_the_coordination_groups_decisions(proposed, editor, decision):
    steering_decision()
    page = _client(editor).get(reverse("admin:actionplan_actionplan_change", args=[proposed.pk]))
    html = page.content.decode()
    start = html.index('name="decision"')
    select = html[start : html.index("</select>", start)]
    # Only the coordination group's decision is offered, besides the empty choice.
    assert f'<option value="{decision.pk}">' in select
    assert select.count("<option value=") == 2
    assert reverse("admin:programme_decision_add") in html


# --- frozen with the plan ---------------------------------------------------------------------


def test_the_decision_is_part_of_what_adoption_froze(make_plan, decision):
    plan = make_plan(year=2026, status=ActionPlan.Status.ADOPTED, decision=decision)
    plan.decision = coordination_decision(datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "decision" in error.value.message_dict
    # The decision itself: what was decided no longer changes, its English rendering may.
    decision.refresh_from_db()
    decision.date = datetime.date(2026, 11, 13)
    decision.reference_number = "ändrat"
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert {"date", "reference_number"} <= set(error.value.message_dict)
    decision.refresh_from_db()
    decision.text_en = "The plan was adopted."
    decision.full_clean()


def test_a_used_decision_cannot_be_deleted_in_the_admin(make_plan, decision, editor):
    make_plan(year=2026, status=ActionPlan.Status.ADOPTED, decision=decision)
    url = reverse("admin:programme_decision_delete", args=[decision.pk])
    assert _client(editor).post(url, {"post": "yes"}).status_code == 403
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_adopted_needs_a_decision_in_the_database(make_plan):
    plan = make_plan(year=2026)
    plan.status = ActionPlan.Status.ADOPTED
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "decision" in error.value.message_dict


# --- shown where the plan is shown ------------------------------------------------------------


def test_plan_page_shows_the_decision(make_plan, make_action, decision, visitor):
    plan = make_plan(year=2027, status=ActionPlan.Status.ADOPTED, decision=decision)
    make_action(plan, "2027:01", lead="region-stockholm")
    html = visitor.get(plan.get_absolute_url()).content.decode()
    assert "<strong>Beslut:</strong> Politiska samordningsgruppen 12 november 2026, § 14, dnr " in (
        html
    )
    assert "PSG 2026/7" in html
    with translation.override("en"):
        url = reverse("actionplan:year", kwargs={"year": 2027})
    english = visitor.get(url).content.decode()
    assert "Decision:</strong> Political coordination group 12 November 2026, § 14, ref. PSG" in (
        english
    )
    # A plan of 2026 names the county's party as it is called now.
    assert "Region Stockholm" in html and "Stockholms läns landsting" not in html


def test_api_gives_the_plans_decision(make_plan, decision, visitor):
    make_plan(year=2027, status=ActionPlan.Status.ADOPTED, decision=decision)
    data = visitor.get("/api/v1/action-plans/?lang=sv").json()
    (plan,) = data["results"]
    assert plan["decision"] == {
        "body": "coordination_group",
        "body_label": "Politiska samordningsgruppen",
        "organisation": None,
        "body_name": "",
        "kind": "decision",
        "date": "2026-11-12",
        "minutes_paragraph": "§ 14",
        "reference_number": "PSG 2026/7",
        "text": "",
        "source": "",
        "url": "",
        "programme": None,
    }


def test_party_decision_names_its_body_and_party_and_one_per_programme(parties, build_programme):
    programme = build_programme(goals=1, strategies=1)
    party = Decision(body=Decision.Body.PARTY, date=NOVEMBER_12)
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert {"organisation", "body_name"} <= set(error.value.message_dict)
    first = Decision.objects.create(
        body=Decision.Body.PARTY,
        organisation=parties["huddinge"],
        body_name="Kommunfullmäktige",
        date=NOVEMBER_12,
        programme=programme,
    )
    assert first.summary() == "Kommunfullmäktige, Huddinge kommun 12 november 2026"
    second = Decision(
        body=Decision.Body.PARTY,
        organisation=parties["huddinge"],
        body_name="Kommunstyrelsen",
        date=NOVEMBER_12,
        programme=programme,
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "already has a decision" in str(error.value) or "redan" in str(error.value)


def test_editors_record_decisions_in_the_admin_with_history(editor, make_staff, decision):
    from tests.admin_forms import form_data

    client = _client(editor)
    url = reverse("admin:programme_decision_change", args=[decision.pk])
    response = client.post(url, form_data(client.get(url), reference_number="PSG 2026/8"))
    assert response.status_code == 302
    versions = list(decision.history.order_by("history_id"))
    assert [v.reference_number for v in versions] == ["PSG 2026/7", "PSG 2026/8"]
    assert versions[-1].history_user == editor
    # A coordinator reads decisions but records none.
    coordinator = _client(make_staff("coordinator", "huddinge"))
    assert coordinator.get(url).status_code == 200
    assert coordinator.get(reverse("admin:programme_decision_add")).status_code == 403
    refused = coordinator.post(url, form_data(client.get(url), reference_number="X"))
    assert refused.status_code == 403
    decision.refresh_from_db()
    assert decision.reference_number == "PSG 2026/8"
