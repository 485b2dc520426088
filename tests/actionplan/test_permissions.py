"""The permission matrix: role × own/other party × view, change, add, transition.

All staff users here work for Region Stockholm. "Own" actions are led by it or have it
as co-responsible; "other" actions belong to Huddinge alone.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from actionplan.models import Action, ActionPlan, FollowUpUpdate, PlanTransition
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "editor", "steering"]


@pytest.fixture
def plan(make_plan):
    return make_plan(year=2026)


@pytest.fixture
def actions(plan, make_action):
    return {
        "led": make_action(plan, "2026:01", lead="region-stockholm"),
        "co-responsible": make_action(
            plan, "2026:02", lead="botkyrka", partners=["region-stockholm"]
        ),
        "other": make_action(plan, "2026:03", lead="huddinge"),
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_url(action) -> str:
    return reverse("admin:actionplan_action_change", args=[action.pk])


def action_form_data(action, **changes) -> dict:
    """What the admin's change form posts for an action (no inline rows added)."""
    data = {
        "plan": action.plan_id,
        "number": action.number,
        "title_sv": action.title_sv,
        "title_en": action.title_en or "",
        "description_sv": action.description_sv or "",
        "description_en": action.description_en or "",
        "lead_organisation": action.lead_organisation_id or "",
        "contact_person": action.contact_person,
        "goals": [goal.pk for goal in action.goals.all()],
        "status": action.status,
        "progress": action.progress if action.progress is not None else "",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }
    for partner_index, partner in enumerate(action.partners.all()):
        data.update(
            {
                f"partners-{partner_index}-id": partner.pk,
                f"partners-{partner_index}-action": action.pk,
                f"partners-{partner_index}-organisation": partner.organisation_id,
                f"partners-{partner_index}-role": partner.role,
            }
        )
        data["partners-TOTAL_FORMS"] = data["partners-INITIAL_FORMS"] = str(partner_index + 1)
    data.update(changes)
    return data


def test_modifiable_by_follows_roles_and_parties(actions, make_staff, visitor):
    coordinator = make_staff("coordinator")
    assert set(Action.objects.modifiable_by(coordinator)) == {
        actions["led"],
        actions["co-responsible"],
    }
    assert set(Action.objects.modifiable_by(make_staff("editor"))) == set(actions.values())
    assert not Action.objects.modifiable_by(make_staff("steering")).exists()
    from django.contrib.auth.models import AnonymousUser

    assert not Action.objects.modifiable_by(AnonymousUser()).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["led", "co-responsible", "other"])
def test_every_role_can_view_every_action_in_the_admin(actions, make_staff, role, which):
    response = _client(make_staff(role)).get(_change_url(actions[which]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "which", "allowed"),
    [
        ("coordinator", "led", True),
        ("coordinator", "co-responsible", True),
        ("coordinator", "other", False),
        ("editor", "led", True),
        ("editor", "other", True),
        ("steering", "led", False),
        ("steering", "other", False),
    ],
)
def test_change_matrix(actions, make_staff, role, which, allowed):
    action = actions[which]
    data = action_form_data(action, progress="55", status="ongoing")
    response = _client(make_staff(role)).post(_change_url(action), data)
    action.refresh_from_db()
    if allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert (action.status, action.progress) == ("ongoing", 55)
    else:
        assert response.status_code == 403  # refused, not just hidden
        assert (action.status, action.progress) == ("planned", None)


def test_coordinator_cannot_move_an_action_to_another_party(actions, make_staff):
    action = actions["led"]
    data = action_form_data(action, lead_organisation=actions["other"].lead_organisation_id)
    _client(make_staff("coordinator")).post(_change_url(action), data)
    action.refresh_from_db()
    assert action.lead_organisation.slug == "region-stockholm"


@pytest.mark.parametrize("which", ["led", "other"])
def test_delete_matrix_for_coordinator(actions, make_staff, which):
    action = actions[which]
    url = reverse("admin:actionplan_action_delete", args=[action.pk])
    response = _client(make_staff("coordinator")).post(url, {"post": "yes"})
    assert response.status_code == (302 if which == "led" else 403)
    assert Action.objects.filter(pk=action.pk).exists() == (which != "led")


def _new_action_data(plan, programme, lead) -> dict:
    return {
        "plan": plan.pk,
        "number": "2026:10",
        "title_sv": "Ny åtgärd",
        "lead_organisation": lead.pk,
        "goals": [programme.goals.first().pk],
        "status": "planned",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }


def test_coordinator_drafts_new_action_for_own_party_only(plan, programme, parties, make_staff):
    client = _client(make_staff("coordinator"))
    url = reverse("admin:actionplan_action_add")
    response = client.post(url, _new_action_data(plan, programme, parties["huddinge"]))
    assert response.status_code == 200  # the other party is not a valid choice
    assert not Action.objects.exists()
    response = client.post(url, _new_action_data(plan, programme, parties["region-stockholm"]))
    assert response.status_code == 302
    assert Action.objects.get().lead_organisation == parties["region-stockholm"]


def test_new_action_needs_a_goal(plan, programme, parties, make_staff):
    data = _new_action_data(plan, programme, parties["region-stockholm"])
    data["goals"] = []
    response = _client(make_staff("editor")).post(reverse("admin:actionplan_action_add"), data)
    assert response.status_code == 200
    assert "Välj minst ett utvecklingsmål." in response.content.decode()
    assert not Action.objects.exists()


def test_steering_cannot_add_actions(plan, programme, parties, make_staff):
    data = _new_action_data(plan, programme, parties["region-stockholm"])
    response = _client(make_staff("steering")).post(reverse("admin:actionplan_action_add"), data)
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_coordinator_adds_follow_up_to_own_action(plan, actions, make_staff):
    # Follow-up is recorded on the actions of an adopted plan.
    ActionPlan.objects.filter(pk=plan.pk).update(
        status=ActionPlan.Status.ADOPTED, decision=coordination_decision(datetime.date(2025, 12, 1))
    )
    coordinator = make_staff("coordinator")
    action = actions["co-responsible"]
    data = action_form_data(action)
    data.update(
        {
            "updates-TOTAL_FORMS": "1",
            "updates-0-date": "2026-04-01",
            "updates-0-status": "ongoing",
            "updates-0-progress": "25",
            "updates-0-text_sv": "Igång",
        }
    )
    response = _client(coordinator).post(_change_url(action), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    update = FollowUpUpdate.objects.get()
    assert update.author == coordinator
    action.refresh_from_db()
    assert (action.status, action.progress) == ("ongoing", 25)
    history = action.history.first()
    assert history.history_user == coordinator


# --- the plan lifecycle -------------------------------------------------------------


def _transition(user, plan, to_status, **extra):
    url = reverse("admin:actionplan_actionplan_transition", args=[plan.pk])
    # A decision is posted as its id, like the form's select.
    data = {name: getattr(value, "pk", value) for name, value in extra.items()}
    return _client(user).post(url, {"to_status": to_status, **data})


@pytest.mark.parametrize("role", ["coordinator", "steering"])
def test_only_editors_move_plans(plan, make_staff, role):
    response = _transition(make_staff(role), plan, "proposed")
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert not PlanTransition.objects.exists()


def test_editor_moves_plan_through_lifecycle_and_each_move_is_recorded(plan, make_staff):
    editor = make_staff("editor")
    assert _transition(editor, plan, "proposed").status_code == 302
    # Adoption without a decision date is refused with a message, nothing changes.
    _transition(editor, plan, "adopted")
    plan.refresh_from_db()
    assert plan.status == "proposed"
    _transition(
        editor,
        plan,
        "adopted",
        decision=coordination_decision("2025-12-10", paragraph="§ 12"),
    )
    plan.refresh_from_db()
    assert plan.status == "adopted"
    assert plan.decision.date == datetime.date(2025, 12, 10)
    moves = list(plan.transitions.values_list("from_status", "to_status", "by"))
    assert moves == [("draft", "proposed", editor.pk), ("proposed", "adopted", editor.pk)]
    assert all(t.at for t in plan.transitions.all())


def test_draft_cannot_jump_to_adopted(plan, make_staff):
    _transition(make_staff("editor"), plan, "adopted", decision=coordination_decision("2025-12-10"))
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_adopting_next_year_supersedes_the_previous_plan(make_plan, make_staff):
    old = make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    new = make_plan(year=2027, status=ActionPlan.Status.PROPOSED)
    editor = make_staff("editor")
    _transition(editor, new, "adopted", decision=coordination_decision("2026-12-01"))
    old.refresh_from_db()
    assert old.status == "superseded"
    assert old.transitions.get().by == editor


def test_transition_page_shows_the_form_on_get(plan, make_staff):
    url = reverse("admin:actionplan_actionplan_transition", args=[plan.pk])
    response = _client(make_staff("editor")).get(url)
    assert response.status_code == 200
    assert 'name="decision"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT  # a GET moves nothing


def test_adopted_plan_freezes_content_in_admin_but_follow_up_continues(
    make_plan, make_action, make_staff
):
    plan = make_plan(status=ActionPlan.Status.ADOPTED)
    action = make_action(plan, "2026:01", lead="region-stockholm")
    client = _client(make_staff("coordinator"))
    page = client.get(_change_url(action)).content.decode()
    assert "är antagen" in page
    data = action_form_data(action, title_sv="Ändrad titel", status="ongoing", progress="10")
    response = client.post(_change_url(action), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    action.refresh_from_db()
    assert action.title_sv == "Åtgärd 2026:01"  # read-only: the posted change is ignored
    assert (action.status, action.progress) == ("ongoing", 10)


def test_adopted_plan_takes_no_new_actions(make_plan, programme, parties, make_staff):
    plan = make_plan(status=ActionPlan.Status.ADOPTED)
    data = _new_action_data(plan, programme, parties["region-stockholm"])
    response = _client(make_staff("editor")).post(reverse("admin:actionplan_action_add"), data)
    assert response.status_code == 200
    assert not Action.objects.exists()


def test_plan_change_page_shows_transition_buttons_to_editors_only(plan, make_staff):
    url = reverse("admin:actionplan_actionplan_change", args=[plan.pk])
    transition_url = reverse("admin:actionplan_actionplan_transition", args=[plan.pk])
    assert transition_url in _client(make_staff("editor")).get(url).content.decode()
    steering_page = _client(make_staff("steering")).get(url)
    assert steering_page.status_code == 200
    assert transition_url not in steering_page.content.decode()
