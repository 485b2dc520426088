"""The admin's start page per role (issue 15, item 3): what each role sees first, and in a
fixed number of queries."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Measurement, SubTarget

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start_page(user):
    return _client(user).get(reverse("admin:index"))


@pytest.fixture
def adopted(make_plan):
    return make_plan(year=2026, status="adopted")


@pytest.fixture
def measured(programme, parties):
    """Two sub-targets Huddinge measures every year: one with last year's value missing, one
    up to date; and one Botkyrka measures."""
    first, second, third = SubTarget.objects.filter(goal__programme=programme).order_by("pk")[:3]
    SubTarget.objects.filter(pk__in=[first.pk, second.pk]).update(
        measuring_organisation=parties["huddinge"], frequency="annual"
    )
    SubTarget.objects.filter(pk=third.pk).update(
        measuring_organisation=parties["botkyrka"], frequency="annual"
    )
    today = datetime.date.today()
    Measurement.objects.create(sub_target=first, period_year=today.year - 2, value=10)
    Measurement.objects.create(sub_target=second, period_year=today.year, value=10)
    Measurement.objects.create(sub_target=third, period_year=today.year - 3, value=10)
    return first, second, third


def test_a_coordinator_sees_their_organisations_actions_with_their_role(
    adopted, make_action, make_plan, coordinator_huddinge
):
    make_action(adopted, "2026:01", lead="huddinge", title="Huddinges egen åtgärd")
    make_action(adopted, "2026:02", lead="botkyrka", partners=["huddinge"], title="Delad åtgärd")
    make_action(adopted, "2026:03", lead="botkyrka", title="Botkyrkas åtgärd")
    superseded = make_plan(year=2025, status="superseded")
    make_action(superseded, "2025:01", lead="huddinge", title="Gammal åtgärd")

    response = _start_page(coordinator_huddinge)

    assert response.status_code == 200
    page = response.context["start_page"]
    rows = {row.action.title: row for row in page["actions"]}
    assert set(rows) == {"Huddinges egen åtgärd", "Delad åtgärd"}
    assert rows["Huddinges egen åtgärd"].is_lead
    assert not rows["Delad åtgärd"].is_lead and rows["Delad åtgärd"].partner_role == "Stöd"
    html = response.content.decode()
    assert "Huddinge kommun" in html
    assert "Ansvarig part" in html  # the role shown: "Lead party"
    assert "Stöd" in html
    assert "Botkyrkas åtgärd" not in html.split('id="start-models"')[0]
    # The model list is still there, below.
    assert reverse("admin:actionplan_action_changelist") in html


def test_a_coordinator_sees_their_values_due_and_missing_only(
    programme, measured, coordinator_huddinge
):
    first, _second, _third = measured
    page = _start_page(coordinator_huddinge).context["start_page"]
    due = page["values_due"]
    assert [d.sub_target.pk for d in due] == [first.pk]
    assert due[0].period_year == datetime.date.today().year - 1
    assert due[0].is_missing


def test_an_action_past_its_end_is_overdue_for_its_coordinator(
    adopted, make_action, coordinator_huddinge
):
    make_action(adopted, "2026:01", lead="huddinge", end_year=2026, end_quarter=1)
    make_action(
        adopted,
        "2026:02",
        lead="huddinge",
        end_year=2026,
        end_quarter=1,
        status="completed",
        progress=100,
        completed_on=datetime.date(2026, 3, 1),
    )
    make_action(adopted, "2026:03", lead="huddinge", end_year=2028)
    page = _start_page(coordinator_huddinge).context["start_page"]
    today = datetime.date.today()
    expected = ["2026:01"] if today >= datetime.date(2026, 4, 1) else []
    assert [row.action.number for row in page["past_end"]] == expected


def test_an_editor_sees_every_organisations_values_due(programme, measured, editor):
    first, _second, third = measured
    response = _start_page(editor)
    due = response.context["start_page"]["values_due"]
    assert {d.sub_target.pk for d in due} == {first.pk, third.pk}
    assert "Botkyrka" in response.content.decode()


def test_the_start_page_queries_do_not_grow_with_the_actions(
    adopted, make_action, measured, coordinator_huddinge, django_assert_num_queries
):
    for number in range(12):
        make_action(adopted, f"2026:{number:02}", lead="huddinge", partners=["botkyrka"])
        make_action(
            adopted, f"2026:{number + 50:02}", lead="region-stockholm", partners=["huddinge"]
        )
    client = _client(coordinator_huddinge)
    # session, user, membership, organisation, the actions (plan, lead party, latest
    # update date as a subquery), the organisation's partnerships in them, the sub-targets
    # with their newest value, the user's and the groups' permissions (the model list)
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:index"))
    assert len(response.context["start_page"]["actions"]) == 24


def test_the_editors_start_page_queries(measured, editor, django_assert_num_queries):
    client = _client(editor)
    # session, user, membership, the sub-targets with their newest value, the user's and
    # the groups' permissions (the model list)
    with django_assert_num_queries(6):
        client.get(reverse("admin:index"))


def test_the_steering_groups_start_page_queries(steering_member, django_assert_num_queries):
    client = _client(steering_member)
    # session, user, membership, the user's and the groups' permissions (the model list)
    with django_assert_num_queries(5):
        response = client.get(reverse("admin:index"))
    assert response.context["start_page"]["role"] == "steering"


def test_a_superuser_without_a_role_gets_the_editors_page(db, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.se", "x")
    response = _start_page(admin)
    assert response.context["start_page"]["role"] == "editor"
