"""Issue 10, item 4: nothing unpublished reaches anonymous visitors through a relation.

Reproduced before the fix: a coordinator linked another party's draft actions to an adopted
plan's communication activity and their numbers and titles showed on the public
communication plan; an action page showed the title of an unpublished goal; the API's goal
filter answered an unpublished goal's slug differently from an unknown one.
"""

import pytest
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, CommunicationActivity
from programme.models import DevelopmentGoal
from tests.search.conftest import searchable  # noqa: F401  (the shared content fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(searchable, parties):  # noqa: F811
    return CommunicationActivity.objects.create(
        plan=searchable["adopted_plan"],
        title="Informationsmöte",
        responsible_organisation=parties["huddinge"],
    )


def _draft_action(searchable):  # noqa: F811
    return Action.objects.get(plan=searchable["draft_plan"])


def _activity_form(activity, actions) -> dict:
    return {
        "plan": activity.plan_id,
        "order": 0,
        "title_sv": activity.title_sv,
        "title_en": "",
        "message_sv": "",
        "message_en": "",
        "target_audience_sv": "",
        "target_audience_en": "",
        "channel_sv": "",
        "channel_en": "",
        "timing": "",
        "responsible_organisation": activity.responsible_organisation_id,
        "actions": [action.pk for action in actions],
        "status": "planned",
    }


def test_coordinator_cannot_link_a_draft_plans_action(activity, searchable, make_staff):  # noqa: F811
    client = Client()
    client.force_login(make_staff("coordinator", "huddinge"))
    draft_action = _draft_action(searchable)
    url = reverse("admin:actionplan_communicationactivity_change", args=[activity.pk])
    response = client.post(url, _activity_form(activity, [draft_action]))
    assert response.status_code == 200  # the form again, with the error and the input
    assert "Hemlig åtgärd" in response.content.decode() or "2027:01" in response.content.decode()
    assert not activity.actions.exists()
    # The plan's own actions can be linked.
    response = client.post(url, _activity_form(activity, [searchable["huddinge_action"]]))
    assert response.status_code == 302
    assert list(activity.actions.all()) == [searchable["huddinge_action"]]


def test_public_communication_plan_never_shows_a_draft_action(activity, searchable, visitor):  # noqa: F811
    # Even if a link exists in the database (made before the rule, or by hand).
    activity.actions.add(_draft_action(searchable), searchable["huddinge_action"])
    url = reverse("actionplan:communication", args=[2026])
    html = visitor.get(url).content.decode()
    assert "Informationsmöte" in html
    assert "2026:01" in html
    assert "2027:01" not in html


def test_action_page_does_not_show_an_unpublished_goal(searchable, visitor):  # noqa: F811
    action = searchable["huddinge_action"]
    action.goals.add(DevelopmentGoal.objects.get(slug="utkast"))
    html = visitor.get(action.get_absolute_url()).content.decode()
    assert "En levande stad" in html
    assert "Hemligt utkast" not in html


def test_plan_page_does_not_show_an_unpublished_goal(searchable, visitor):  # noqa: F811
    searchable["huddinge_action"].goals.add(DevelopmentGoal.objects.get(slug="utkast"))
    html = visitor.get(reverse("actionplan:year", args=[2026])).content.decode()
    assert "Planera fler bostäder" in html
    # The row links its goals by number; the draft goal's link (its slug) must not be there.
    assert DevelopmentGoal.objects.get(slug="stad").get_absolute_url() in html
    assert "/utkast/" not in html


def test_api_goal_filter_does_not_tell_an_unpublished_goal_from_an_unknown_one(
    searchable,  # noqa: F811
    visitor,
    settings,
):
    settings.API_ANON_THROTTLE_RATE = None
    searchable["huddinge_action"].goals.add(DevelopmentGoal.objects.get(slug="utkast"))
    unpublished = visitor.get("/api/v1/actions/", {"goal": "utkast"})
    unknown = visitor.get("/api/v1/actions/", {"goal": "finns-inte"})
    assert unpublished.status_code == unknown.status_code == 400
    assert unpublished.json() == unknown.json()


def test_a_goal_of_an_unpublished_programme_is_not_public(searchable, visitor):  # noqa: F811
    programme = searchable["programme"]
    programme.is_published = False
    programme.save()
    assert not DevelopmentGoal.objects.public().exists()
    assert not Action.objects.public().exists()
    assert visitor.get("/api/v1/goals/").json()["count"] == 0
    assert visitor.get("/api/v1/actions/").json()["count"] == 0
