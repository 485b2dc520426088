"""Every model staff edit has a history, readable in Swedish (issue 11, 8)."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, ActionPlan, FundingContribution
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

# Records of their own, written once and never edited: they need no second history.
LOGS = {
    "actionplan.plantransition",
    "actionplan.adoptedplandocument",
    # A closed round's snapshot and stored report are records: written once, never edited.
    "actionplan.roundactionsnapshot",
    "actionplan.roundtargetsnapshot",
    "actionplan.roundreportdocument",
    # A reminder sent is a record of the mail: written once by send_reminders, never edited.
    "actionplan.reminder",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_content_model_has_a_history():
    missing = [
        model._meta.label_lower
        for app in ("programme", "indicators", "actionplan")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        and model._meta.label_lower not in LOGS
        and not hasattr(model._meta, "simple_history_manager_attribute")
    ]
    assert missing == []


def test_translated_fields_are_in_the_history():
    from programme.models import DevelopmentGoal

    columns = {f.name for f in DevelopmentGoal.history.model._meta.fields}
    assert {"title_sv", "title_en", "description_sv"} <= columns


@pytest.fixture
def programme(build_programme):
    return build_programme(goals=1, strategies=1)


def test_funding_changes_are_in_the_plans_history(programme, parties, editor):
    plan = ActionPlan.objects.create(programme=programme, year=2026, title="Plan 2026")
    funding = FundingContribution.objects.create(
        plan=plan, organisation=parties["huddinge"], year=2026, amount_sek=1_000_000
    )
    client = _client(editor)
    url = reverse("admin:actionplan_actionplan_change", args=[plan.pk])
    response = client.post(url, form_data(client.get(url), **{"funding-0-amount_sek": "1250000"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    versions = list(funding.history.order_by("history_id"))
    assert [v.amount_sek for v in versions] == [1_000_000, 1_250_000]
    assert versions[-1].history_user == editor
    page = client.get(reverse("admin:actionplan_actionplan_history", args=[plan.pk]))
    text = page.content.decode()
    assert "Historik för finansiering" in text
    assert "Belopp (kr):</strong> 1000000 &rarr; 1250000" in text


def test_history_list_is_in_swedish_with_labels_not_codes(programme, parties, editor):
    plan = ActionPlan.objects.create(programme=programme, year=2026, title="Plan 2026")
    action = Action.objects.create(
        plan=plan, number="2026:01", title="Åtgärd", lead_organisation=parties["huddinge"]
    )
    action.status = Action.Status.POSTPONED
    action.lead_organisation = parties["botkyrka"]
    action._history_user = editor
    action.save()
    page = _client(editor).get(reverse("admin:actionplan_action_history", args=[action.pk]))
    text = page.content.decode()
    assert "Ändrad av" in text and "Ändringar" in text
    assert "Status:</strong> Planerad &rarr; Uppskjuten" in text
    assert "Huddinge kommun &rarr; Botkyrka kommun" in text
    assert "planned" not in text.split('id="change-history"')[1]


def test_publishing_from_the_list_is_in_the_history(programme, editor):
    goal = programme.goals.get()
    goal.is_published = False
    goal.save()
    response = _client(editor).post(
        reverse("admin:programme_developmentgoal_changelist"),
        {"action": "publish", "_selected_action": [goal.pk]},
    )
    assert response.status_code == 302
    latest = goal.history.order_by("-history_id").first()
    assert (latest.is_published, latest.history_user) == (True, editor)
