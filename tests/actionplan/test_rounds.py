"""Follow-up rounds: open → updates and no-change marks → sign-offs → close → snapshot."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actionplan import rounds
from actionplan.models import (
    ActionPlan,
    ActionStatus,
    FollowUpRound,
    RoundActionSnapshot,
    RoundSignOff,
    RoundTargetSnapshot,
)
from actionplan.services import add_follow_up

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def plan(make_plan):
    return make_plan(year=TODAY.year, status=ActionPlan.Status.ADOPTED)


@pytest.fixture
def actions(plan, make_action):
    """Two actions led by Huddinge, one by Botkyrka, one by Region Stockholm."""
    return {
        "h1": make_action(plan, f"{plan.year}:01", lead="huddinge"),
        "h2": make_action(plan, f"{plan.year}:02", lead="huddinge", partners=["botkyrka"]),
        "b1": make_action(plan, f"{plan.year}:03", lead="botkyrka"),
        "r1": make_action(plan, f"{plan.year}:04", lead="region-stockholm"),
    }


def _open(plan, editor, **fields):
    return rounds.open_round(
        plan=plan,
        by=editor,
        title=fields.pop("title", f"Uppföljning tertial 2 {plan.year}"),
        title_en=f"Follow-up, second four months {plan.year}",
        reports_on=fields.pop("reports_on", TODAY),
        deadline=fields.pop("deadline", TODAY + datetime.timedelta(days=14)),
        message=fields.pop("message", "Uppdatera era åtgärder."),
    )


def _update(action, by, status=ActionStatus.ONGOING, progress=40, text="Pågår enligt plan."):
    return add_follow_up(
        action=action, by=by, date=TODAY, status=status, progress=progress, text=text
    )


def test_a_whole_round_with_three_parties(
    plan,
    actions,
    parties,
    editor,
    coordinator_huddinge,
    coordinator_botkyrka,
    coordinator_region,
):
    round = _open(plan, editor)
    assert round.is_open and round.opened_by == editor

    # Huddinge: one update, one no-change mark; Botkyrka an update; the Region nothing.
    _update(actions["h1"], coordinator_huddinge)
    mark = rounds.record_no_change(action=actions["h2"], by=coordinator_huddinge)
    assert mark.no_change and mark.author == coordinator_huddinge and mark.created_at
    _update(actions["b1"], coordinator_botkyrka, status=ActionStatus.COMPLETED, progress=100)

    coverage = {c.organisation.slug: c for c in round.coverage_by_party()}
    assert [a.pk for a in coverage["huddinge"].covered] == [actions["h1"].pk, actions["h2"].pk]
    assert coverage["region-stockholm"].missing == [actions["r1"]]

    # The Region cannot sign off while its action is uncovered; the message names it.
    with pytest.raises(ValidationError) as refused:
        rounds.sign_off(
            round=round, organisation=parties["region-stockholm"], by=coordinator_region
        )
    assert "Region Stockholm" in refused.value.messages[0]
    assert str(actions["r1"]) in refused.value.messages[0]

    rounds.sign_off(round=round, organisation=parties["huddinge"], by=coordinator_huddinge)
    rounds.sign_off(round=round, organisation=parties["botkyrka"], by=coordinator_botkyrka)
    # Withdraw and sign off again: the withdrawn row stays.
    rounds.withdraw_sign_off(round=round, organisation=parties["botkyrka"], by=coordinator_botkyrka)
    rounds.sign_off(round=round, organisation=parties["botkyrka"], by=coordinator_botkyrka)
    botkyrka = RoundSignOff.objects.filter(round=round, organisation=parties["botkyrka"])
    assert [s.is_withdrawn for s in botkyrka.order_by("pk")] == [True, False]

    closed = rounds.close_round(round=round, by=editor)
    assert closed.is_closed and closed.closed_by == editor
    coverage = {c.organisation.slug: c for c in closed.coverage_by_party()}
    assert coverage["huddinge"].is_signed_off and coverage["botkyrka"].is_signed_off
    assert not coverage["region-stockholm"].is_signed_off

    snapshots = {s.action_id: s for s in RoundActionSnapshot.objects.filter(round=round)}
    assert len(snapshots) == 4
    assert snapshots[actions["b1"].pk].status == ActionStatus.COMPLETED
    assert snapshots[actions["h1"].pk].latest_update_text == "Pågår enligt plan."
    assert snapshots[actions["h1"].pk].latest_update_organisation_name == "Huddinge kommun"
    assert snapshots[actions["h2"].pk].covered and snapshots[actions["h2"].pk].no_change
    assert not snapshots[actions["r1"].pk].covered
    assert RoundTargetSnapshot.objects.filter(round=round).count() == 3

    # Later edits change nothing in the snapshot.
    _update(actions["r1"], coordinator_region, status=ActionStatus.POSTPONED, progress=10)
    actions["h1"].refresh_from_db()
    r1 = RoundActionSnapshot.objects.get(round=round, action=actions["r1"])
    assert r1.status == ActionStatus.PLANNED and not r1.covered and r1.latest_update_text == ""

    # Nothing changes in a closed round.
    with pytest.raises(ValidationError):
        rounds.withdraw_sign_off(
            round=round, organisation=parties["huddinge"], by=coordinator_huddinge
        )


def test_only_one_open_round_per_adopted_plan(plan, actions, editor, make_plan):
    _open(plan, editor)
    with pytest.raises(ValidationError) as second:
        _open(plan, editor)
    assert "already has an open follow-up round" in str(second.value)
    draft = make_plan(year=plan.year + 1)
    with pytest.raises(ValidationError):
        _open(draft, editor)


def test_the_deadline_cannot_precede_the_reporting_date(plan, editor):
    with pytest.raises(ValidationError) as refused:
        _open(plan, editor, deadline=TODAY - datetime.timedelta(days=1))
    assert "deadline" in refused.value.message_dict


def test_who_may_run_rounds(plan, actions, parties, editor, steering_member, coordinator_huddinge):
    for user in (steering_member, coordinator_huddinge):
        with pytest.raises(PermissionDenied):
            _open(plan, user)
    round = _open(plan, editor)
    for user in (steering_member, coordinator_huddinge):
        with pytest.raises(PermissionDenied):
            rounds.close_round(round=round, by=user)


def test_a_coordinator_signs_off_only_their_own_party(
    plan, actions, parties, editor, coordinator_huddinge, steering_member
):
    round = _open(plan, editor)
    rounds.record_no_change(action=actions["b1"], by=editor)
    with pytest.raises(PermissionDenied):
        rounds.sign_off(round=round, organisation=parties["botkyrka"], by=coordinator_huddinge)
    with pytest.raises(PermissionDenied):
        rounds.sign_off(round=round, organisation=parties["botkyrka"], by=steering_member)
    # An editor may sign off on a party's behalf (recorded as theirs).
    signed = rounds.sign_off(round=round, organisation=parties["botkyrka"], by=editor)
    assert signed.signed_by == editor


def test_no_change_marks_need_follow_up_rights(
    plan, actions, coordinator_botkyrka, coordinator_region, steering_member
):
    # Botkyrka is co-responsible for h2: it may follow it up, so it may mark it.
    assert rounds.record_no_change(action=actions["h2"], by=coordinator_botkyrka).no_change
    for user in (coordinator_region, steering_member):
        with pytest.raises(PermissionDenied):
            rounds.record_no_change(action=actions["h1"], by=user)


def test_an_update_between_rounds_counts_for_the_next_one(
    plan, actions, parties, editor, coordinator_huddinge
):
    first = _open(plan, editor)
    rounds.close_round(round=first, by=editor)
    _update(actions["h1"], coordinator_huddinge)  # after the first closed, before the second
    second = _open(plan, editor, title="Uppföljning tertial 3")
    assert second.previous_round() == first
    huddinge = next(c for c in second.coverage_by_party() if c.organisation.slug == "huddinge")
    assert huddinge.covered == [actions["h1"]] and huddinge.missing == [actions["h2"]]


def test_public_rounds_are_closed_rounds_of_public_plans(plan, actions, editor):
    round = _open(plan, editor)
    assert list(FollowUpRound.objects.public()) == []
    rounds.close_round(round=round, by=editor)
    assert list(FollowUpRound.objects.public()) == [round]
    assert list(FollowUpRound.objects.open()) == []
