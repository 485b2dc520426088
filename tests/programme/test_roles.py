"""programme.roles, the one module that decides what each role may do (issue 10).

The admin's side is covered by the permission matrix (test_permission_matrix.py); these are
the answers the views, services, imports and PDFs ask for directly.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from actionplan import services
from actionplan.models import Action, ActionPartner, ActionPlan, CommunicationActivity
from indicators.models import Measurement, SubTarget
from programme import roles
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "", "x" * 20)


def test_an_inactive_superuser_may_do_nothing(superuser, programme_content):
    superuser.is_active = False
    superuser.save()
    plan = ActionPlan.objects.get(year=2007)
    assert not roles.is_editor(superuser)
    assert not roles.may_move_plans(superuser)
    assert not roles.may_preview_drafts(superuser)
    assert not roles.may_export_reports(superuser)
    assert not roles.scope(superuser, "change", Action)
    with pytest.raises(PermissionDenied):
        services.plan_roll_forward(plan=plan, by=superuser)
    assert not ActionPlan.objects.filter(year=2008).exists()


def test_an_active_superuser_may_roll_forward(superuser, programme_content):
    plan = ActionPlan.objects.get(year=2007)
    new_plan, _count = services.plan_roll_forward(plan=plan, by=superuser)
    assert new_plan.year == 2008


def test_staff_without_a_role_may_do_nothing(db, parties):
    user = get_user_model().objects.create_user("nobody", is_staff=True)
    assert roles.membership_of(user) is None
    assert not roles.reads_admin(user)
    assert not roles.may_preview_drafts(user)
    assert not roles.may_view(user, Action)
    assert not roles.scope(user, "change", Action)


def test_anonymous_may_do_nothing(db):
    anonymous = AnonymousUser()
    assert roles.membership_of(anonymous) is None
    assert not roles.may_preview_drafts(anonymous)
    assert not roles.may_export_reports(anonymous)
    assert roles.scope(anonymous, "change", Action) == roles.NOTHING


def test_one_membership_lookup_one_editor_rule(make_staff):
    editor = make_staff("editor", "botkyrka")
    coordinator = make_staff("coordinator", "huddinge")
    steering = make_staff("steering")
    assert [roles.is_editor(user) for user in (editor, coordinator, steering)] == [
        True,
        False,
        False,
    ]
    assert roles.organisation_id_of(coordinator) == coordinator.membership.organisation_id
    assert roles.scope(editor, "change", Action) == roles.EVERYTHING
    assert roles.scope(steering, "change", Action) == roles.NOTHING


@pytest.fixture
def rows(build_programme, parties):
    programme = build_programme(goals=1, strategies=1)
    plan = ActionPlan.objects.create(programme=programme, year=2027, title="Plan")
    led = Action.objects.create(
        plan=plan, number="1", title="A", lead_organisation=parties["huddinge"]
    )
    shared = Action.objects.create(
        plan=plan, number="2", title="B", lead_organisation=parties["botkyrka"]
    )
    ActionPartner.objects.create(action=shared, organisation=parties["huddinge"])
    other = Action.objects.create(
        plan=plan, number="3", title="C", lead_organisation=parties["botkyrka"]
    )
    sub_target = SubTarget.objects.get(slug="delmal-1")
    sub_target.measuring_organisation = parties["huddinge"]
    sub_target.save()
    return {"led": led, "shared": shared, "other": other, "sub_target": sub_target, "plan": plan}


def test_coordinator_scopes_by_level(rows, coordinator_huddinge):
    user = coordinator_huddinge
    assert set(Action.objects.modifiable_by(user)) == {rows["led"], rows["shared"]}
    assert set(roles.scope(user, "delete", Action).filter(Action.objects.all())) == {rows["led"]}
    assert set(roles.import_scope(user, Action).filter(Action.objects.all())) == {rows["led"]}
    assert not Action.objects.followable_by(user).exists()  # a draft has no follow-up
    ActionPlan.objects.filter(pk=rows["plan"].pk).update(
        status=ActionPlan.Status.ADOPTED, decision=coordination_decision(datetime.date(2026, 12, 1))
    )
    assert set(Action.objects.followable_by(user)) == {rows["led"], rows["shared"]}
    assert roles.scope(user, "change", Action).allows(rows["shared"])
    assert not roles.scope(user, "delete", Action).allows(rows["shared"])
    assert not roles.scope(user, "change", Action).allows(rows["other"])


def test_measurements_only_for_the_measuring_organisation(rows, coordinator_huddinge, make_staff):
    botkyrka = make_staff("coordinator", "botkyrka")
    assert roles.may_enter_measurements(coordinator_huddinge, rows["sub_target"])
    assert not roles.may_enter_measurements(botkyrka, rows["sub_target"])
    assert list(SubTarget.objects.modifiable_by(botkyrka)) == []
    measurement = Measurement.objects.create(
        sub_target=rows["sub_target"], period_year=2024, value=1
    )
    assert list(Measurement.objects.modifiable_by(coordinator_huddinge)) == [measurement]
    assert not Measurement.objects.modifiable_by(botkyrka).exists()
    # Publishing a value is the editors' review, not the measuring party's.
    assert not roles.may_publish(coordinator_huddinge, Measurement)


def test_communication_activities_of_the_responsible_party(rows, coordinator_huddinge, parties):
    own = CommunicationActivity.objects.create(
        plan=rows["plan"], title="Möte", responsible_organisation=parties["huddinge"]
    )
    CommunicationActivity.objects.create(
        plan=rows["plan"], title="Annat", responsible_organisation=parties["botkyrka"]
    )
    assert list(CommunicationActivity.objects.modifiable_by(coordinator_huddinge)) == [own]


def test_public_is_built_on_the_parent(rows):
    plan = rows["plan"]
    plan.status = ActionPlan.Status.ADOPTED
    plan.decision = coordination_decision(datetime.date(2026, 12, 1))
    plan.save()
    assert Action.objects.public().count() == 3
    programme = plan.programme
    programme.is_published = False
    programme.save()
    assert not ActionPlan.objects.public().exists()
    assert not Action.objects.public().exists()
    assert not SubTarget.objects.public().exists()


def test_existing_role_groups_get_the_permissions_of_new_models(make_staff):
    """Staff created before follow-up rounds existed may sign off after the migration."""
    from django.contrib.auth.models import Permission
    from django.core.management.sql import emit_post_migrate_signal

    from programme.roles import may_sign_off

    coordinator = make_staff("coordinator", "huddinge")
    group = coordinator.groups.get()
    group.permissions.remove(*Permission.objects.filter(codename__endswith="roundsignoff"))
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # no permission cache
    assert not may_sign_off(coordinator)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert may_sign_off(coordinator, organisation=coordinator.membership.organisation)
