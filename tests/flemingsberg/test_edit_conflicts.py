"""Lost updates: a stale change form does not undo someone else's change (issue 11, 5)."""

import pytest
from django.test import Client
from django.urls import reverse

from actionplan.models import ActionPlan, CommunicationActivity
from indicators.models import SubTarget
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def programme(build_programme):
    return build_programme(goals=1, strategies=1)


@pytest.fixture
def action(programme, parties):
    from actionplan.models import Action

    plan = ActionPlan.objects.create(programme=programme, year=2026, title="Handlingsplan 2026")
    action = Action.objects.create(
        plan=plan, number="2026:01", title="Åtgärd", lead_organisation=parties["huddinge"]
    )
    action.goals.set(programme.goals.all())
    return action


def test_second_stale_save_of_an_action_is_refused_and_keeps_its_input(action, make_staff):
    anna = make_staff("coordinator", "huddinge", username="anna")
    bo = make_staff("coordinator", "huddinge", username="bo")
    url = reverse("admin:actionplan_action_change", args=[action.pk])
    anna_client, bo_client = _client(anna), _client(bo)
    anna_page, bo_page = anna_client.get(url), bo_client.get(url)

    response = anna_client.post(url, form_data(anna_page, contact_person="Anna Andersson"))
    assert response.status_code == 302
    stale = form_data(bo_page, description_sv="Bos nya beskrivning")
    response = bo_client.post(url, stale)
    # Before the fix Bo's stale form put the old contact person back.
    assert response.status_code == 200
    page = response.content.decode()
    assert "anna sparade detta efter att du öppnade det" in page
    assert "Kontaktperson" in page  # which field she changed
    assert "Bos nya beskrivning" in page  # his input is still there
    action.refresh_from_db()
    assert action.contact_person == "Anna Andersson"
    assert action.description_sv == ""

    # Having seen the conflict, saving the redisplayed form again is deliberate.
    response = bo_client.post(url, form_data(response, contact_person="Anna Andersson"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.contact_person, action.description_sv) == (
        "Anna Andersson",
        "Bos nya beskrivning",
    )


def test_a_fresh_form_saves_without_a_conflict(action, make_staff):
    user = make_staff("coordinator", "huddinge")
    client = _client(user)
    url = reverse("admin:actionplan_action_change", args=[action.pk])
    for text in ("Första", "Andra"):
        response = client.post(url, form_data(client.get(url), contact_person=text))
        assert response.status_code == 302
    action.refresh_from_db()
    assert action.contact_person == "Andra"


def _plan(programme, **_):
    return ActionPlan.objects.create(programme=programme, year=2027, title="Plan 2027")


def _sub_target(programme, **_):
    return SubTarget.objects.get(goal__programme=programme)


def _activity(programme, parties):
    plan = ActionPlan.objects.create(programme=programme, year=2027, title="Plan 2027")
    return CommunicationActivity.objects.create(
        plan=plan, title="Möte", responsible_organisation=parties["huddinge"]
    )


def _goal(programme, **_):
    return programme.goals.get()


@pytest.mark.parametrize(
    ("make", "url_name", "field", "theirs", "mine"),
    [
        (_plan, "actionplan_actionplan", "notes_sv", "Deras anteckning", "Min anteckning"),
        (_sub_target, "indicators_subtarget", "data_source_sv", "SCB", "Kolada"),
        (_activity, "actionplan_communicationactivity", "channel_sv", "Webb", "Affisch"),
        (_goal, "programme_developmentgoal", "description_sv", "Deras text", "Min text"),
    ],
)
def test_every_shared_change_form_detects_a_stale_save(
    programme, parties, editor, make_staff, make, url_name, field, theirs, mine
):
    obj = make(programme, parties=parties)
    url = reverse(f"admin:{url_name}_change", args=[obj.pk])
    other = make_staff("editor", "huddinge", username="kollega")
    client, other_client = _client(editor), _client(other)
    my_page = client.get(url)
    assert my_page.status_code == 200
    response = other_client.post(url, form_data(other_client.get(url), **{field: theirs}))
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(url, form_data(my_page, **{field: mine}))
    assert response.status_code == 200
    assert "kollega sparade detta" in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == theirs


def test_the_version_is_a_hidden_field_of_the_change_form(action, editor):
    page = _client(editor).get(reverse("admin:actionplan_action_change", args=[action.pk]))
    assert 'type="hidden" name="edit_version"' in page.content.decode()
