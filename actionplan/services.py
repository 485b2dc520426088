"""Writes that touch several models: plan transitions, roll-forward, follow-up; the export.

The import of actions is ``flemingsberg.imports`` with ``actionplan.importing``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from flemingsberg.cache import content_changed
from programme import roles
from programme.models import Decision

from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    ActionStatus,
    FollowUpUpdate,
    PlanTransition,
)


@transaction.atomic
def transition_plan(
    *,
    plan: ActionPlan,
    to_status: str,
    by,
    decision: Decision | None = None,
    note: str = "",
) -> ActionPlan:
    """Move a plan to another state and record who did it and when.

    Adopting a plan needs the political coordination group's decision (a ``Decision``
    record: date, paragraph of the minutes, reference number), which becomes the plan's.
    Adopting a plan supersedes the programme's earlier adopted plans (of the same kind,
    real or demo), each move recorded as well.
    """
    if not roles.may_move_plans(by):
        raise PermissionDenied(_("Only a programme editor may move a plan between states."))
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if to_status not in plan.allowed_transitions():
        raise ValidationError(
            _("A plan cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": plan.get_status_display(),
                "to": ActionPlan.Status(to_status).label,
            }
        )
    if to_status == ActionPlan.Status.ADOPTED:
        plan.decision = decision or plan.decision
        refusal = adoption_decision_refusal(plan.decision)
        if refusal:
            raise ValidationError({"decision": refusal})
    from_status = plan.status
    plan.status = to_status
    plan.full_clean()
    plan._history_user = by
    plan.save()
    PlanTransition.objects.create(
        plan=plan, from_status=from_status, to_status=to_status, by=by, note=note
    )
    if to_status == ActionPlan.Status.ADOPTED:
        earlier = ActionPlan.objects.filter(
            programme=plan.programme_id,
            is_demo=plan.is_demo,
            status=ActionPlan.Status.ADOPTED,
            year__lt=plan.year,
        )
        for old in earlier:
            old.status = ActionPlan.Status.SUPERSEDED
            old._history_user = by
            old.save(update_fields=["status", "updated_at"])
            PlanTransition.objects.create(
                plan=old,
                from_status=ActionPlan.Status.ADOPTED,
                to_status=ActionPlan.Status.SUPERSEDED,
                by=by,
                note=_("Superseded by %(plan)s") % {"plan": plan},
            )
        # The exact document the group decided on, kept unchanged: its render jobs are
        # queued in this transaction (a row of the task table), so the plan is adopted with
        # its document on the way or not at all; the worker renders it, retrying failures.
        from .renders import queue_adopted_plan_documents

        queue_adopted_plan_documents(plan=plan, by=by)
    return plan


def adoption_decision_refusal(decision: Decision | None) -> str | None:
    """Why ``decision`` cannot adopt a plan (None: it can): only a decision (not a proposal)
    of the political coordination group adopts an action plan."""
    if decision is None:
        return _(
            "Adopting a plan needs the political coordination group's decision: record it "
            "under Decisions (date, paragraph of the minutes, reference number) and choose it."
        )
    if not decision.is_of_coordination_group:
        return _(
            "“%(decision)s” is not a decision of the political coordination group: only the "
            "coordination group's decision adopts an action plan."
        ) % {"decision": decision}
    return None


CARRIED_STATUSES_EXCLUDED = (ActionStatus.COMPLETED, ActionStatus.CANCELLED)


def _next_number(number: str, year: int) -> str:
    """``2026:07`` becomes ``2027:07``; numbers of another form are kept as they are."""
    prefix = f"{year}:"
    if number.startswith(prefix):
        return f"{year + 1}:{number[len(prefix) :]}"
    return number


@transaction.atomic
def plan_roll_forward(*, plan: ActionPlan, by) -> tuple[ActionPlan, int]:
    """Create next year's draft plan from ``plan``, carrying over every action that is
    neither completed nor cancelled, each linked to the action it continues.

    Returns the new plan and how many actions were carried.
    """
    if not roles.may_move_plans(by):
        raise PermissionDenied(_("Only a programme editor may create next year's plan."))
    next_year = plan.year + 1
    if ActionPlan.objects.filter(
        programme=plan.programme_id, year=next_year, is_demo=plan.is_demo
    ).exists():
        raise ValidationError(
            _("There is already a plan for %(year)d in this programme.") % {"year": next_year}
        )
    new_plan = ActionPlan(
        programme=plan.programme,
        year=next_year,
        status=ActionPlan.Status.DRAFT,
        predecessor=plan,
        is_demo=plan.is_demo,
    )
    for name in ("title", "notes"):
        for suffix in ("_sv", "_en"):
            value = getattr(plan, f"{name}{suffix}") or ""
            if name == "title":
                value = value.replace(str(plan.year), str(next_year))
            setattr(new_plan, f"{name}{suffix}", value)
    new_plan._history_user = by
    new_plan.save()
    PlanTransition.objects.create(
        plan=new_plan,
        from_status="",
        to_status=ActionPlan.Status.DRAFT,
        by=by,
        note=_("Created from %(plan)s") % {"plan": plan},
    )
    carried = (
        Action.objects.in_plan(plan)
        .exclude(status__in=CARRIED_STATUSES_EXCLUDED)
        .prefetch_related("goals", "strategies", "sub_strategies", "partners")
        .order_by("number", "pk")
    )
    count = 0
    for old in carried:
        new = Action(
            plan=new_plan,
            number=_next_number(old.number, plan.year),
            title_sv=old.title_sv,
            title_en=old.title_en,
            description_sv=old.description_sv,
            description_en=old.description_en,
            lead_organisation_id=old.lead_organisation_id,
            contact_person=old.contact_person,
            # The timeframe is the old plan's; clamp what lies before the new plan.
            start_year=max(old.start_year, next_year) if old.start_year else None,
            start_quarter=old.start_quarter
            if old.start_year and old.start_year >= next_year
            else (1 if old.start_year else None),
            end_year=max(old.end_year, next_year) if old.end_year else None,
            end_quarter=old.end_quarter,
            status=old.status,
            progress=old.progress,
            budget_sek=old.budget_sek,
            funder_id=old.funder_id,
            predecessor=old,
        )
        new._history_user = by
        new.save()
        new.goals.set(old.goals.all())
        new.strategies.set(old.strategies.all())
        new.sub_strategies.set(old.sub_strategies.all())
        ActionPartner.objects.bulk_create(
            ActionPartner(action=new, organisation_id=p.organisation_id, role=p.role)
            for p in old.partners.all()
        )
        count += 1
    content_changed()  # the partners' bulk_create sends no signals
    return new_plan, count


@transaction.atomic
def add_follow_up(
    *,
    action: Action,
    by,
    date: datetime.date,
    status: str,
    progress: int | None,
    text: str = "",
    text_en: str = "",
) -> FollowUpUpdate:
    """Record a follow-up update and make it the action's current state."""
    if not roles.may_follow_up(by, action):
        raise PermissionDenied(
            _("You may not follow up this action (only actions of an adopted plan have follow-up).")
        )
    update = FollowUpUpdate(
        action=action,
        date=date,
        status=status,
        progress=progress,
        text_sv=text,
        text_en=text_en,
        author=by,
    )
    update.full_clean()
    update._history_user = by
    update.save()
    action._history_user = by
    action.refresh_current_state()
    return update


FILE_FORMATS = ("xlsx", "csv")


def export_actions(*, plan: ActionPlan, file_format: str) -> bytes:
    """The plan's actions in the import's columns, as XLSX or CSV (UTF-8 with BOM).

    Written by ``flemingsberg.spreadsheets``: no text cell can run as a formula there.
    """
    from flemingsberg.spreadsheets import csv_bytes, xlsx_bytes

    from .resources import ActionResource

    resource = ActionResource(plan=plan)
    dataset = resource.export(resource.get_export_queryset())
    if file_format == "xlsx":
        return xlsx_bytes(dataset.headers, dataset, title=f"{plan.year}")
    return csv_bytes(dataset.headers, dataset)
