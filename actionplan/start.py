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
from programme.models import Organisation

from .models import Action, ActionPartner, ActionPlan, ActionStatus, FollowUpUpdate

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
    actions = (
        Action.objects.involving(organisation_id)
        .filter(plan__status__in=CURRENT_PLAN_STATUSES)
        .select_related("plan", "lead_organisation")
        .annotate(last_update_on=Subquery(latest.values("date")[:1]))
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


def coordinator_page(user, today: datetime.date) -> dict:
    organisation_id = roles.organisation_id_of(user)
    organisation = Organisation.objects.get(pk=organisation_id)
    actions = own_actions(organisation_id)
    return {
        "role": roles.Role.COORDINATOR,
        "organisation": organisation,
        "actions": actions,
        "past_end": [row for row in actions if row.action.is_in_follow_up and row.is_past_end],
        "values_due": values_due(
            roles.Scope(organisation_id=organisation_id, level=roles.Level.LEAD), today
        ),
    }


def editor_page(user, today: datetime.date) -> dict:
    return {
        "role": roles.Role.EDITOR,
        "values_due": values_due(roles.EVERYTHING, today),
    }


def steering_page(user, today: datetime.date) -> dict:
    return {"role": roles.Role.STEERING}


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
