"""The action list in the admin opens at the user's own organisation, which they can clear,
with readable columns (issue 15, item 3)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from actionplan.models import FollowUpUpdate

pytestmark = pytest.mark.django_db

URL = reverse("admin:actionplan_action_changelist")


@pytest.fixture
def actions(make_plan, make_action, editor):
    plan = make_plan(year=2026, status="adopted")
    own = make_action(plan, "2026:01", lead="huddinge", title="Leds av Huddinge")
    shared = make_action(plan, "2026:02", lead="botkyrka", partners=["huddinge"], title="Delad")
    other = make_action(plan, "2026:03", lead="region-stockholm", title="Regionens")
    FollowUpUpdate.objects.create(
        action=own, date=datetime.date(2026, 3, 14), status="ongoing", progress=40, author=editor
    )
    own.refresh_current_state()
    return own, shared, other


def _titles(response) -> set[str]:
    return {action.title for action in response.context["cl"].result_list}


def test_a_coordinators_list_opens_at_their_own_organisation(actions, coordinator_huddinge):
    client = Client()
    client.force_login(coordinator_huddinge)
    response = client.get(URL)
    assert _titles(response) == {"Leds av Huddinge", "Delad"}
    html = response.content.decode()
    # the columns: party, status, progress, last update
    for text in ("Huddinge", "Pågående", "40\u00a0%", "14 mars 2026"):
        assert text in html, text


def test_the_user_clears_the_default_filter(actions, coordinator_huddinge):
    client = Client()
    client.force_login(coordinator_huddinge)
    opened = client.get(URL).content.decode()
    assert "?party=all" in opened  # the "All parties" choice
    response = client.get(URL, {"party": "all"})
    assert _titles(response) == {"Leds av Huddinge", "Delad", "Regionens"}


def test_the_user_chooses_another_party(actions, parties, coordinator_huddinge):
    client = Client()
    client.force_login(coordinator_huddinge)
    response = client.get(URL, {"party": parties["region-stockholm"].pk})
    assert _titles(response) == {"Regionens"}


def test_an_editor_of_a_party_also_opens_at_their_own_organisation(actions, editor):
    client = Client()
    client.force_login(editor)  # an editor of Region Stockholm
    assert _titles(client.get(URL)) == {"Regionens"}


def test_a_superuser_without_an_organisation_sees_every_action(actions, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.se", "x")
    client = Client()
    client.force_login(admin)
    assert len(_titles(client.get(URL))) == 3


def test_the_list_queries_do_not_grow_with_the_actions(
    make_plan, make_action, coordinator_huddinge, django_assert_num_queries
):
    plan = make_plan(year=2026, status="adopted")
    for number in range(20):
        make_action(plan, f"2026:{number:02}", lead="huddinge", partners=["botkyrka"])
    client = Client()
    client.force_login(coordinator_huddinge)
    client.get(URL)
    # session, user, membership, the user's and the groups' permissions, the parties and
    # the plans (filter choices), the filtered count, the total count, the rows (plan, lead
    # party, latest update as a subquery): the same with 20 or 200 rows
    with django_assert_num_queries(10):
        response = client.get(URL)
    assert len(response.context["cl"].result_list) == 20
