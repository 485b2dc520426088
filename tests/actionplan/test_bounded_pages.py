"""Pages whose size does not grow with the database: the comparison page counts and pages its
lists; forms that pick actions use an autocomplete limited by the rules, not a full select."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, ActionPlan, CommunicationActivity

pytestmark = pytest.mark.django_db


def _bulk_actions(plan, count: int, *, prefix: str, **fields) -> list[Action]:
    return Action.objects.bulk_create(
        Action(plan=plan, number=f"{prefix}:{n:04}", title=f"Åtgärd {prefix} {n}", **fields)
        for n in range(count)
    )


@pytest.fixture
def two_plans(make_plan):
    old = make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    new = make_plan(year=2027, status=ActionPlan.Status.ADOPTED)
    olds = _bulk_actions(old, 120, prefix="2026", status="ongoing")
    _bulk_actions(
        old,
        3,
        prefix="2026c",
        status="completed",
        progress=100,
        completed_on=datetime.date(2026, 6, 1),
    )
    Action.objects.bulk_create(
        Action(plan=new, number=f"2027:{n:04}", title=f"Fortsatt {n}", predecessor=action)
        for n, action in enumerate(olds[:70])
    )
    _bulk_actions(new, 60, prefix="2027n")
    return old, new


def _compare(client, query=""):
    return client.get(reverse("actionplan:compare") + "?from=2026&to=2027" + query)


def test_the_comparison_page_counts_everything_and_lists_a_page_of_each(
    visitor, two_plans, django_assert_num_queries
):
    # Queries: years (the form and the default), the two plans, and per kind a count and its
    # page: 3 + 4 × 2, whatever the plans' size.
    with django_assert_num_queries(11):
        response = _compare(visitor)
    assert response.status_code == 200
    parts = {part["kind"]: part["page"] for part in response.context["comparison"]}
    assert {kind: page.paginator.count for kind, page in parts.items()} == {
        "added": 60,
        "carried": 70,
        "completed": 3,
        "dropped": 50,
    }
    assert {kind: len(page.object_list) for kind, page in parts.items()} == {
        "added": 50,
        "carried": 50,
        "completed": 3,
        "dropped": 50,
    }
    html = response.content.decode()
    assert len(re.findall(r'<li><a href="[^"]+">20\d\d', html)) == 153  # the listed actions
    assert "carried_page=2" in html and "completed_page" not in html


def test_each_list_pages_on_its_own_and_keeps_the_years_and_other_pages(visitor, two_plans):
    response = _compare(visitor, "&carried_page=2&added_page=2")
    parts = {part["kind"]: part["page"] for part in response.context["comparison"]}
    assert parts["carried"].number == 2 and len(parts["carried"].object_list) == 20
    assert parts["added"].number == 2 and parts["dropped"].number == 1
    html = response.content.decode()
    # The carried list's "previous page" keeps both years and the added list's page.
    assert "?from=2026&amp;to=2027&amp;added_page=2&amp;carried_page=1#carried-title" in html


def test_a_page_number_out_of_range_shows_the_last_page(visitor, two_plans):
    response = _compare(visitor, "&dropped_page=99")
    parts = {part["kind"]: part["page"] for part in response.context["comparison"]}
    assert parts["dropped"].number == 1


# --- the admin: actions are picked through an autocomplete ---------------------------------


@pytest.fixture
def big_plan(make_plan):
    plan = make_plan(year=2026, status=ActionPlan.Status.DRAFT)
    _bulk_actions(plan, 300, prefix="2026")
    return plan


def test_the_communication_activity_form_lists_no_action(editor_client, big_plan):
    response = editor_client.get(reverse("admin:actionplan_communicationactivity_add"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Åtgärd 2026 17" not in html  # no <option> per action of the database
    assert 'data-model-name="communicationactivity"' in html or "admin-autocomplete" in html


def test_the_autocomplete_finds_actions_by_number_and_title(editor_client, big_plan):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "actionplan",
            "model_name": "communicationactivity",
            "field_name": "actions",
            "term": "2026 17",
        },
    )
    assert response.status_code == 200
    texts = [row["text"] for row in response.json()["results"]]
    assert texts and all("2026" in text and "17" in text for text in texts)
    assert len(texts) <= 20  # one page of results, never the whole table


def _autocomplete(client, term: str):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "actionplan",
            "model_name": "communicationactivity",
            "field_name": "actions",
            "term": term,
        },
    )


def test_the_autocomplete_answers_only_those_who_read_the_admin(make_staff, big_plan):
    from django.contrib.auth import get_user_model

    coordinator = Client()
    coordinator.force_login(make_staff("coordinator", "botkyrka"))
    assert _autocomplete(coordinator, "2026 17").json()["results"]
    without_role = Client()
    without_role.force_login(
        get_user_model().objects.create_user("utan-roll", password="x", is_staff=True)
    )
    assert _autocomplete(without_role, "2026 17").status_code == 403
    assert _autocomplete(Client(), "2026 17").status_code in (302, 403)


def test_the_autocomplete_offers_only_visible_actions(editor_client, big_plan, monkeypatch):
    from actionplan.models import ActionQuerySet

    # The rules decide: with visible_to answering nothing, nothing is offered.
    monkeypatch.setattr(ActionQuerySet, "visible_to", lambda self, user: self.none())
    assert _autocomplete(editor_client, "2026 17").json()["results"] == []


def test_linking_an_action_through_the_autocomplete_saves(editor_client, big_plan, parties):
    action = big_plan.actions.order_by("number").first()
    response = editor_client.post(
        reverse("admin:actionplan_communicationactivity_add"),
        {
            "plan": big_plan.pk,
            "title_sv": "Nyhetsbrev",
            "title_en": "Newsletter",
            "responsible_organisation": parties["huddinge"].pk,
            "actions": [action.pk],
            "status": CommunicationActivity._meta.get_field("status").default,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        errors = response.context["adminform"].form.errors
        assert "actions" not in errors, errors
