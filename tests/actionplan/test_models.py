import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actionplan.models import Action, ActionPlan, FollowUpUpdate

pytestmark = pytest.mark.django_db


def test_goal_reaches_its_actions_through_related_name(make_plan, make_action, programme):
    action = make_action(make_plan(), "2026:01")
    goal = programme.goals.first()
    assert list(goal.actions.all()) == [action]
    assert list(action.lead_organisation.led_actions.all()) == [action]
    assert list(programme.action_plans.all()) == [action.plan]


@pytest.mark.parametrize("progress", [-1, 101])
def test_database_refuses_progress_outside_0_to_100(make_plan, make_action, progress):
    action = make_action(make_plan(), "2026:01")
    # PositiveSmallIntegerField already refuses -1 on some databases; the constraint does 101.
    with pytest.raises((IntegrityError, Exception)), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(progress=progress)


def test_database_refuses_completed_without_100_percent_and_date(make_plan, make_action):
    action = make_action(make_plan(), "2026:01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="completed", progress=90)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="completed", progress=100)
    Action.objects.filter(pk=action.pk).update(
        status="completed", progress=100, completed_on=datetime.date(2026, 5, 1)
    )


def test_model_validation_explains_completed_rule(make_plan, make_action):
    action = make_action(make_plan(), "2026:01")
    action.status = Action.Status.COMPLETED
    action.progress = 80
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert set(error.value.message_dict) == {"progress", "completed_on"}


def test_number_is_unique_within_a_plan_only(make_plan, make_action):
    plan = make_plan()
    make_action(plan, "2026:01")
    make_action(make_plan(year=2027), "2026:01")  # another plan: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(plan, "2026:01")


def test_timeframe_must_lie_within_the_plans_three_years(make_plan, make_action):
    action = make_action(make_plan(year=2026), "2026:01")
    action.start_year, action.start_quarter = 2026, 2
    action.end_year, action.end_quarter = 2028, 4
    action.full_clean()
    action.end_year = 2029
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "end_year" in error.value.message_dict
    action.end_year, action.end_quarter = 2026, 1
    with pytest.raises(ValidationError):
        action.full_clean()


def test_adopted_plan_needs_a_decision_in_database(make_plan):
    plan = make_plan()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.filter(pk=plan.pk).update(status="adopted")


def test_adopted_plan_freezes_content_but_not_follow_up(make_plan, make_action, parties):
    plan = make_plan(status=ActionPlan.Status.ADOPTED)
    action = make_action(plan, "2026:01")
    action.status, action.progress = Action.Status.ONGOING, 40
    action.full_clean()  # follow-up goes on
    action.title = "Ny titel"
    action.lead_organisation = parties["botkyrka"]
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert {"title_sv", "lead_organisation"} <= set(error.value.message_dict)
    new = Action(plan=plan, number="2026:02", title="Ny")
    with pytest.raises(ValidationError) as error:
        new.full_clean()
    assert "plan" in error.value.message_dict


def test_latest_follow_up_is_the_current_state(make_plan, make_action):
    action = make_action(make_plan(), "2026:01")
    FollowUpUpdate.objects.create(
        action=action, date=datetime.date(2026, 3, 1), status="ongoing", progress=30
    )
    FollowUpUpdate.objects.create(
        action=action, date=datetime.date(2026, 1, 1), status="planned", progress=0
    )
    action.refresh_current_state()
    action.refresh_from_db()
    assert (action.status, action.progress) == ("ongoing", 30)


def test_changes_are_kept_in_history_with_translations(make_plan, make_action):
    action = make_action(make_plan(), "2026:01")
    action.title_en = "Renamed"
    action.save()
    history = list(action.history.all())
    assert len(history) == 2
    assert history[0].title_en == "Renamed" and history[1].title_en == "Action 2026:01"
    assert history[0].title_sv == "Åtgärd 2026:01"
