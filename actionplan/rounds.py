"""Follow-up rounds: the writes (open, no-change marks, sign-off, withdraw, close).

Each is a keyword-only function that asks ``programme.roles`` first and raises
``PermissionDenied`` or ``ValidationError`` with a message a person can act on. The models
and what "covered in a round" means are in ``actionplan/round_models.py``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programme import roles
from programme.models import Organisation

from .models import (
    Action,
    ActionPlan,
    FollowUpRound,
    FollowUpUpdate,
    RoundActionSnapshot,
    RoundSignOff,
    RoundTargetSnapshot,
)


@transaction.atomic
def open_round(
    *,
    plan: ActionPlan,
    by,
    title: str,
    reports_on: datetime.date,
    deadline: datetime.date,
    message: str = "",
    title_en: str = "",
    message_en: str = "",
) -> FollowUpRound:
    """Open a follow-up round on an adopted plan (one open round per plan at a time)."""
    if not roles.may_run_rounds(by):
        raise PermissionDenied(_("Only a programme editor may open a follow-up round."))
    round = FollowUpRound(
        plan=plan,
        title_sv=title,
        title_en=title_en,
        reports_on=reports_on,
        deadline=deadline,
        message_sv=message,
        message_en=message_en,
        opened_by=by,
        opened_at=timezone.now(),
    )
    round.full_clean()
    round._history_user = by
    round.save()
    return round


@transaction.atomic
def record_no_change(*, action: Action, by) -> FollowUpUpdate:
    """Record "no change since last round" for ``action``: a follow-up update that keeps
    its status and progress, and says who and when."""
    if not roles.may_mark_no_change(by, action):
        raise PermissionDenied(
            _("You may not follow up this action (only actions of an adopted plan have follow-up).")
        )
    update = FollowUpUpdate(
        action=action,
        date=timezone.localdate(),
        status=action.status,
        progress=action.progress,
        no_change=True,
        author=by,
    )
    update.full_clean()
    update._history_user = by
    update.save()
    return update


def _locked_open_round(round: FollowUpRound) -> FollowUpRound:
    locked = FollowUpRound.objects.select_for_update().select_related("plan").get(pk=round.pk)
    if not locked.is_open:
        raise ValidationError(_("The round “%(round)s” is closed.") % {"round": locked})
    return locked


def _uncovered_message(organisation, missing: list[Action]) -> str:
    names = ", ".join(str(a) for a in missing[:10])
    if len(missing) > 10:
        names += " " + _("and %(count)d more") % {"count": len(missing) - 10}
    return ngettext(
        "%(party)s cannot sign off yet: %(count)d action it leads has no update or "
        "“no change” mark in this round: %(actions)s.",
        "%(party)s cannot sign off yet: %(count)d actions it leads have no update or "
        "“no change” mark in this round: %(actions)s.",
        len(missing),
    ) % {"party": organisation, "count": len(missing), "actions": names}


@transaction.atomic
def sign_off(*, round: FollowUpRound, organisation: Organisation, by) -> RoundSignOff:
    """Sign off ``organisation``'s part of the round: refused, naming the actions, while an
    action it leads is not covered."""
    if not roles.may_sign_off(by, organisation=organisation):
        raise PermissionDenied(_("You may sign off only your own party's part of a round."))
    round = _locked_open_round(round)
    missing = round.uncovered_actions(organisation)
    if missing:
        raise ValidationError(_uncovered_message(organisation, missing))
    if round.active_sign_offs().filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(party)s has already signed off this round.") % {"party": organisation}
        )
    sign_off = RoundSignOff(round=round, organisation=organisation, signed_by=by)
    sign_off._history_user = by
    try:
        with transaction.atomic():
            sign_off.save()
    except IntegrityError as error:  # signed off at the same moment by a colleague
        raise ValidationError(
            _("%(party)s has already signed off this round.") % {"party": organisation}
        ) from error
    return sign_off


@transaction.atomic
def withdraw_sign_off(*, round: FollowUpRound, organisation: Organisation, by) -> RoundSignOff:
    """Withdraw the party's standing sign-off while the round is open (the row stays)."""
    if not roles.may_sign_off(by, organisation=organisation):
        raise PermissionDenied(_("You may withdraw only your own party's sign-off."))
    round = _locked_open_round(round)
    sign_off = round.active_sign_offs().filter(organisation=organisation).first()
    if sign_off is None:
        raise ValidationError(
            _("%(party)s has not signed off this round.") % {"party": organisation}
        )
    sign_off.withdrawn_at = timezone.now()
    sign_off.withdrawn_by = by
    sign_off._history_user = by
    sign_off.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return sign_off


@transaction.atomic
def close_round(*, round: FollowUpRound, by) -> FollowUpRound:
    """Close the round (also with sign-offs missing), take its snapshot in the same
    transaction, and store its report once the transaction has committed."""
    if not roles.may_run_rounds(by):
        raise PermissionDenied(_("Only a programme editor may close a follow-up round."))
    round = _locked_open_round(round)
    round.status = FollowUpRound.Status.CLOSED
    round.closed_at = timezone.now()
    round.closed_by = by
    round._history_user = by
    round.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    take_snapshot(round)
    from .round_report import store_round_report_on_commit

    store_round_report_on_commit(round)
    return round


def _organisation_of(user) -> Organisation | None:
    if user is None:
        return None
    try:
        return user.membership.organisation
    except Exception:  # no membership (a superuser without one)
        return None


def take_snapshot(round: FollowUpRound) -> None:
    """Each action's status, progress, latest update and coverage, and each published
    sub-target's latest value and status, as rows that nothing edits afterwards.

    Queries: the actions (1), their updates with authors' organisations (1), the
    sub-targets with measurements and assessments (3), two bulk inserts."""
    from indicators.models import SubTarget

    actions = list(
        Action.objects.in_plan(round.plan_id)
        .select_related("lead_organisation")
        .order_by("number", "pk")
    )
    updates = (
        FollowUpUpdate.objects.filter(action__plan=round.plan_id, created_at__lte=round.closed_at)
        .select_related("author__membership__organisation")
        .order_by("action", "-date", "-pk")
    )
    latest: dict[int, FollowUpUpdate] = {}
    covering: dict[int, FollowUpUpdate] = {}
    start = round.window_start
    for update in updates:
        if not update.no_change:
            latest.setdefault(update.action_id, update)
        if update.created_at >= start:
            # The newest recorded mark or update of the window covers the action.
            known = covering.get(update.action_id)
            if known is None or update.created_at > known.created_at:
                covering[update.action_id] = update
    rows = []
    for action in actions:
        update = latest.get(action.pk)
        cover = covering.get(action.pk)
        author_organisation = _organisation_of(update.author) if update else None
        rows.append(
            RoundActionSnapshot(
                round=round,
                action=action,
                number=action.number,
                title_sv=action.title_sv or "",
                title_en=action.title_en or "",
                lead_organisation=action.lead_organisation,
                lead_organisation_name=action.lead_organisation.name
                if action.lead_organisation
                else "",
                status=action.status,
                progress=action.progress,
                latest_update_date=update.date if update else None,
                latest_update_text_sv=(update.text_sv or "") if update else "",
                latest_update_text_en=(update.text_en or "") if update else "",
                latest_update_organisation_name=author_organisation.name
                if author_organisation
                else "",
                covered=cover is not None,
                no_change=bool(cover and cover.no_change),
                covered_at=cover.created_at if cover else None,
            )
        )
    RoundActionSnapshot.objects.bulk_create(rows)
    targets = []
    for sub_target in (
        SubTarget.objects.for_programme(round.plan.programme_id)
        .public()
        .select_related("goal")
        .with_status()
        .order_by("goal__order", "order", "pk")
    ):
        measurements = sub_target.get_published_measurements()
        newest = max(measurements, key=lambda m: (m.period_year, m.pk), default=None)
        assessment = sub_target.latest_assessment
        targets.append(
            RoundTargetSnapshot(
                round=round,
                sub_target=sub_target,
                slug=sub_target.slug,
                statement_sv=sub_target.statement_sv or sub_target.statement,
                statement_en=getattr(sub_target, "statement_en", "") or "",
                unit=sub_target.indicator_unit,
                latest_value=newest.value if newest else None,
                latest_year=newest.period_year if newest else None,
                latest_date=newest.period_date if newest else None,
                target_value=sub_target.target_absolute,
                status=str(sub_target.progress.status.value),
                verdict=assessment.verdict if assessment else "",
            )
        )
    RoundTargetSnapshot.objects.bulk_create(targets)
