"""The admin's start page, one per role (``settings.ADMIN_START_PAGE``; the admin site in
``flemingsberg/admin_site.py`` renders it above the model list).

* A **coordinator** sees their organisation's actions (led and co-responsible, with the
  role), what the open rounds still need from them, what is overdue, and the values due of
  the sub-targets their organisation measures.
* An **editor** sees every party's progress in the open rounds and every value due.
* The **steering group** sees the latest closed round's summary and reports.

Each part is fetched through the models' QuerySets in a fixed number of queries (pinned
in ``tests/actionplan/test_start_page.py``).
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from indicators.models import SubTarget
from programme import roles
from programme.models import Organisation, StaffMembership

from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    ActionStatus,
    FollowUpRound,
    FollowUpUpdate,
    Reminder,
)

# Plans whose actions a coordinator works on: drafts and proposals they write, adopted plans
# they follow up. Superseded plans are history.
CURRENT_PLAN_STATUSES = (
    ActionPlan.Status.DRAFT,
    ActionPlan.Status.PROPOSED,
    ActionPlan.Status.ADOPTED,
)
FINISHED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.CANCELLED)


@dataclasses.dataclass
class OwnAction:
    """One of the organisation's actions, and how the organisation is part of it."""

    action: Action
    is_lead: bool
    partner_role: str = ""
    #: the latest closed round of its plan, when nothing was recorded since (overdue)
    last_round: FollowUpRound | None = None

    @property
    def is_past_end(self) -> bool:
        """Its timeframe has ended (the end year, or the end quarter, is over) and it is
        neither completed nor cancelled."""
        action = self.action
        if action.status in FINISHED_STATUSES or action.end_year is None:
            return False
        today = timezone.localdate()
        quarter = action.end_quarter or 4
        if quarter == 4:
            after = datetime.date(action.end_year + 1, 1, 1)
        else:
            after = datetime.date(action.end_year, quarter * 3 + 1, 1)
        return today >= after


def own_actions(organisation_id: int) -> list[OwnAction]:
    """The actions of current plans the organisation leads or is co-responsible for, with
    the date of their latest follow-up (``last_update_on``). Two queries: the actions with
    plan and lead party, and the organisation's partnerships in them."""
    latest = FollowUpUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-pk")
    recorded = FollowUpUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at")
    actions = (
        Action.objects.involving(organisation_id)
        .filter(plan__status__in=CURRENT_PLAN_STATUSES)
        .select_related("plan", "lead_organisation")
        .annotate(
            last_update_on=Subquery(latest.values("date")[:1]),
            last_recorded_at=Subquery(recorded.values("created_at")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=ActionPartner.objects.filter(organisation=organisation_id),
                to_attr="own_partnerships",
            )
        )
        .order_by("-plan__year", "plan__is_demo", "number", "pk")
    )
    rows = []
    for action in actions:
        is_lead = action.lead_organisation_id == organisation_id
        role = "" if is_lead else next((p.role for p in action.own_partnerships), "")
        rows.append(OwnAction(action=action, is_lead=is_lead, partner_role=role))
    return rows


def values_due(scope: roles.Scope, today: datetime.date) -> list:
    """The values due (or missing) of the sub-targets in ``scope`` (one query)."""
    return scope.filter(SubTarget.objects.all()).values_due(
        today=today, within_days=settings.REMINDER_DAYS_BEFORE_VALUE_DUE
    )


def open_rounds() -> list[FollowUpRound]:
    """The open rounds, soonest deadline first, with their plans (one query)."""
    return list(FollowUpRound.objects.open().select_related("plan").order_by("deadline", "pk"))


@dataclasses.dataclass
class RoundPart:
    """What an open round needs from one party: its actions not yet covered, its sign-off."""

    round: FollowUpRound
    coverage: object  # round_models.PartyCoverage
    may_sign_off: bool
    markable: set[int]  # the missing actions the user may mark "no change"

    @property
    def is_late(self) -> bool:
        return self.round.is_overdue and not self.coverage.is_signed_off


def latest_closed_rounds(plan_ids) -> dict[int, FollowUpRound]:
    """The latest closed round of each plan (one query)."""
    latest: dict[int, FollowUpRound] = {}
    for round in FollowUpRound.objects.closed().filter(plan__in=plan_ids).order_by("closed_at"):
        latest[round.plan_id] = round
    return latest


def coordinator_page(user, today: datetime.date) -> dict:
    organisation_id = roles.organisation_id_of(user)
    organisation = Organisation.objects.get(pk=organisation_id)
    actions = own_actions(organisation_id)
    # Every one of these actions involves the organisation, so the follow-up scope (the
    # organisation, lead or co-responsible) allows each one that is in follow-up.
    may_follow_up = bool(roles.follow_up_scope(user))
    followable = {row.action.pk for row in actions if may_follow_up and row.action.is_in_follow_up}
    parts = []
    for round in open_rounds():
        # four queries per open round (its previous round, its actions with their coverage,
        # the parties, the sign-offs); there is at most one open round per adopted plan
        coverage = next(
            (c for c in round.coverage_by_party() if c.organisation.pk == organisation_id),
            None,
        )
        if coverage is None:  # not a party and leading none of the plan's actions
            continue
        parts.append(
            RoundPart(
                round=round,
                coverage=coverage,
                may_sign_off=roles.may_sign_off(user, round, organisation),
                markable={a.pk for a in coverage.missing if a.pk in followable},
            )
        )
    # No update recorded since the last closed round of its plan (not counting actions the
    # open round lists as missing already).
    missing = {a.pk for part in parts for a in part.coverage.missing}
    last_rounds = latest_closed_rounds({row.action.plan_id for row in actions})
    stale = [
        row
        for row in actions
        if row.action.plan_id in last_rounds
        and row.action.pk not in missing
        and row.action.status not in FINISHED_STATUSES
        and (
            row.action.last_recorded_at is None
            or row.action.last_recorded_at < last_rounds[row.action.plan_id].closed_at
        )
    ]
    for row in stale:
        row.last_round = last_rounds[row.action.plan_id]
    return {
        "role": roles.Role.COORDINATOR,
        "organisation": organisation,
        "actions": actions,
        "rounds": parts,
        "past_end": [row for row in actions if row.action.is_in_follow_up and row.is_past_end],
        "stale": stale,
        "values_due": values_due(
            roles.Scope(organisation_id=organisation_id, level=roles.Level.LEAD), today
        ),
    }


def editor_page(user, today: datetime.date) -> dict:
    rounds = []
    contacts = {}
    for round in open_rounds():
        rounds.append({"round": round, "parties": round.coverage_by_party()})
    if rounds:
        # Who to call about a late party: its coordinators and their addresses (personal
        # data, shown to editors only). One query.
        for membership in (
            StaffMembership.objects.filter(
                role=StaffMembership.Role.COORDINATOR, user__is_active=True
            )
            .select_related("user")
            .order_by("user__username")
        ):
            contacts.setdefault(membership.organisation_id, []).append(membership.user)
        for entry in rounds:
            for party in entry["parties"]:
                party.contacts = contacts.get(party.organisation.pk, [])
        # The reminders sent for the open rounds (send_reminders), newest first. One query.
        sent: dict[int, list] = {}
        for reminder in (
            Reminder.objects.filter(round__in=[entry["round"] for entry in rounds])
            .select_related("recipient")
            .order_by("-sent_at", "-pk")
        ):
            sent.setdefault(reminder.round_id, []).append(reminder)
        for entry in rounds:
            entry["reminders"] = sent.get(entry["round"].pk, [])
    return {
        "role": roles.Role.EDITOR,
        "rounds": rounds,
        "values_due": values_due(roles.EVERYTHING, today),
    }


def steering_page(user, today: datetime.date) -> dict:
    """The latest closed round's summary (``round_report.round_summary``: what changed,
    who signed off, actions without an update) and its stored reports."""
    from .round_report import round_summary

    round = (
        FollowUpRound.objects.closed().select_related("plan").order_by("-closed_at", "-pk").first()
    )
    page = {"role": roles.Role.STEERING, "round": round}
    if round is not None:
        summary = round_summary(round)
        page.update(
            summary=summary,
            lists=summary.listings(10),
            reports=list(round.report_documents.only("pk", "round_id", "language")),
        )
    return page


def context(request) -> dict:
    """The start page of the user's role, as ``start_page`` in the admin index's context."""
    user = request.user
    today = timezone.localdate()
    if roles.is_coordinator(user):
        page = coordinator_page(user, today)
    elif roles.is_editor(user):
        page = editor_page(user, today)
    elif roles.role_of(user) == roles.Role.STEERING:
        page = steering_page(user, today)
    else:
        return {}
    page["today"] = today
    return {"start_page": page}
