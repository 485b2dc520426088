"""An adopted plan is frozen on the server: everything the decision covers is refused by
model validation, whatever path the change takes; follow-up goes on (issue 11, 3)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from actionplan.admin import ActionAdmin, ActionAdminForm
from actionplan.models import (
    Action,
    ActionPartner,
    ActionPlan,
    CommunicationActivity,
    FundingContribution,
)
from tests.decisions import coordination_decision

from .test_permissions import action_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(make_plan):
    return make_plan(year=2026, status=ActionPlan.Status.ADOPTED)


@pytest.fixture
def action(adopted, make_action, parties):
    return make_action(
        adopted,
        "2026:01",
        lead="huddinge",
        partners=["botkyrka"],
        start_year=2026,
        start_quarter=1,
        end_year=2027,
        end_quarter=4,
        budget_sek=500_000,
        funder=parties["huddinge"],
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("budget_sek", 900_000),
        ("start_year", 2027),
        ("end_quarter", 2),
        ("funder", "botkyrka"),
        ("description_sv", "Ny beskrivning"),
    ],
)
def test_model_validation_refuses_changing_what_the_decision_covers(action, parties, field, value):
    if field == "funder":
        value = parties[value]
    setattr(action, field, value)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert field in error.value.message_dict
    assert "är en del av beslutet" in " ".join(error.value.message_dict[field])


def test_follow_up_fields_stay_open_on_an_adopted_action(action):
    action.status, action.progress, action.contact_person = "ongoing", 40, "Ny kontakt"
    action.full_clean()


def test_an_action_cannot_be_moved_out_of_an_adopted_plan(action, make_plan):
    action.plan = make_plan(year=2027)
    action.start_year = action.end_year = None
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "plan" in error.value.message_dict


def test_an_action_cannot_be_moved_into_an_adopted_plan(adopted, make_plan, make_action):
    draft_action = make_action(make_plan(year=2027), "2027:01")
    draft_action.plan = adopted
    with pytest.raises(ValidationError) as error:
        draft_action.full_clean()
    assert "plan" in error.value.message_dict


def test_funding_of_an_adopted_plan_is_frozen(adopted, parties):
    funding = FundingContribution.objects.create(
        plan=adopted, organisation=parties["huddinge"], year=2026, amount_sek=1_000_000
    )
    funding.amount_sek = 2_000_000
    with pytest.raises(ValidationError) as error:
        funding.full_clean()
    assert "amount_sek" in error.value.message_dict
    new = FundingContribution(
        plan=adopted, organisation=parties["botkyrka"], year=2026, amount_sek=5
    )
    with pytest.raises(ValidationError):
        new.full_clean()
    with pytest.raises(ValidationError):
        FundingContribution.objects.get(pk=funding.pk).delete()
    assert FundingContribution.objects.filter(pk=funding.pk).exists()


def test_partners_of_an_adopted_action_are_frozen(action, parties):
    partner = action.partners.get()
    partner.role = "Huvudman"
    with pytest.raises(ValidationError):
        partner.full_clean()
    with pytest.raises(ValidationError):
        ActionPartner(action=action, organisation=parties["region-stockholm"]).full_clean()
    with pytest.raises(ValidationError):
        partner.delete()


def test_plan_texts_are_frozen_and_the_plan_cannot_be_deleted(adopted):
    adopted.notes = "Ändrade anteckningar"
    with pytest.raises(ValidationError) as error:
        adopted.full_clean()
    assert "notes_sv" in error.value.message_dict
    with pytest.raises(ValidationError):
        ActionPlan.objects.get(pk=adopted.pk).delete()


def test_communication_activity_texts_are_frozen_but_status_goes_on(adopted, parties):
    activity = CommunicationActivity.objects.create(
        plan=adopted, title="Informationsmöte", responsible_organisation=parties["huddinge"]
    )
    activity.status = CommunicationActivity.Status.COMPLETED
    activity.full_clean()
    activity.title = "Annat möte"
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "title_sv" in error.value.message_dict


def test_a_form_that_shows_every_field_still_refuses_many_to_many_changes(action, programme):
    """Whatever shows the fields (another admin, a future API form), the goals, strategies
    and sub-strategies of an adopted action do not change."""
    data = action_form_data(action)
    data["strategies"] = [programme.strategies.first().pk]
    form = ActionAdminForm(instance=Action.objects.get(pk=action.pk), data=data)
    assert not form.is_valid()
    assert "strategies" in form.errors


def test_admin_shows_budget_timeframe_and_funding_read_only_and_ignores_a_post(
    action, editor, parties
):
    client = _client(editor)
    url = reverse("admin:actionplan_action_change", args=[action.pk])
    page = client.get(url).content.decode()
    for name in ("budget_sek", "start_year", "end_quarter", "funder"):
        assert f'name="{name}"' not in page
    data = action_form_data(
        action, budget_sek="1", start_year="2028", funder=parties["botkyrka"].pk
    )
    response = client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.budget_sek, action.start_year, action.funder) == (
        500_000,
        2026,
        parties["huddinge"],
    )


def test_admin_read_only_fields_are_the_models_decision_fields(action, editor, rf):
    from django.contrib.admin.sites import site

    request = rf.get("/")
    request.user = editor
    readonly = set(site._registry[Action].get_readonly_fields(request, action))
    assert set(Action.decision_columns()) <= readonly
    assert isinstance(site._registry[Action], ActionAdmin)


def test_plan_funding_inline_is_read_only_once_adopted(adopted, parties, editor):
    FundingContribution.objects.create(
        plan=adopted, organisation=parties["huddinge"], year=2026, amount_sek=1_000_000
    )
    page = _client(editor).get(reverse("admin:actionplan_actionplan_change", args=[adopted.pk]))
    assert 'name="funding-0-amount_sek"' not in page.content.decode()


def test_history_revert_cannot_change_the_decision(make_plan, make_action, editor):
    plan = make_plan(year=2026, status=ActionPlan.Status.PROPOSED)
    action = make_action(plan, "2026:01", lead="huddinge", budget_sek=100)
    action.budget_sek = 200
    action.save()  # a second version, while the plan is still a proposal
    first = action.history.order_by("history_id").first()
    assert first.budget_sek == 100
    ActionPlan.objects.filter(pk=plan.pk).update(
        status=ActionPlan.Status.ADOPTED, decision=coordination_decision(datetime.date(2025, 12, 1))
    )
    url = reverse("admin:actionplan_action_simple_history", args=[action.pk, first.history_id])
    client = _client(editor)
    client.post(url, action_form_data(action))
    action.refresh_from_db()
    assert action.budget_sek == 200
    # Whatever view reverts, the form's validation refuses it: the historical version
    # through the admin's form.
    historic = first.instance
    historic._state.adding = False
    form = ActionAdminForm(instance=historic, data=action_form_data(action, budget_sek="100"))
    assert not form.is_valid()
    assert "budget_sek" in form.errors
