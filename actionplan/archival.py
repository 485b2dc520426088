"""An action plan as a public record: its decision, its data, its archival documents.

* :func:`decision_record` is the one place that reads what the adoption decided from
  (the plan's ``decision``, a ``programme.Decision``: body, date, § and reference number).
* :func:`plan_data` and :func:`plan_data_attachments` are the plan's actions and
  follow-ups as JSON and CSV: embedded in the stored adoption PDF (PDF/A-3a, see
  ``actionplan.pdf.store_adopted_plan_pdf``) and written beside it by ``export_archive``.
* :func:`archive_items` hands the year's adopted plans to ``flemingsberg.archive``, which
  registers it in ``ActionplanConfig.ready``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import translation

from flemingsberg.archive import ArchiveFile, ArchiveRecord
from flemingsberg.pdf import DecisionRecord, PDFAttachment
from flemingsberg.spreadsheets import csv_bytes
from programme.models import DevelopmentGoal, Strategy, SubStrategy

from .models import Action, ActionPartner, ActionPlan, AdoptedPlanDocument, FollowUpUpdate

FOLLOW_UP_COLUMNS = ("action", "date", "status", "progress", "text_sv", "text_en")


def decision_record(plan: ActionPlan, language: str = "sv") -> DecisionRecord | None:
    """What the plan's adoption decided: body, date and reference (the paragraph of the
    minutes and the reference number, "§ 14, dnr KS-2026/12"), in ``language`` (Swedish,
    the programme's language, for the archive; each PDF names it in its own); None before
    it."""
    decision = plan.decision
    if decision is None:
        return None
    with translation.override(language):
        return DecisionRecord(
            body=decision.body_label,
            date=decision.date,
            reference=", ".join(str(part) for part in decision.reference_parts),
        )


def _decision_json(decision: DecisionRecord | None) -> dict | None:
    if decision is None:
        return None
    return {
        "body": decision.body,
        "date": decision.date.isoformat() if decision.date else None,
        "reference": decision.reference,
    }


def _actions(plan: ActionPlan) -> list[Action]:
    """The plan's actions with everything the data files name, in seven queries."""
    return list(
        Action.objects.in_plan(plan)
        .select_related("lead_organisation", "funder", "predecessor")
        .prefetch_related(
            Prefetch("goals", queryset=DevelopmentGoal.objects.only("id", "slug")),
            Prefetch("strategies", queryset=Strategy.objects.only("id", "slug")),
            Prefetch(
                "sub_strategies",
                queryset=SubStrategy.objects.select_related("strategy").only(
                    "id", "slug", "strategy__slug"
                ),
            ),
            Prefetch("partners", queryset=ActionPartner.objects.select_related("organisation")),
            Prefetch("updates", queryset=FollowUpUpdate.objects.order_by("date", "pk")),
        )
        .order_by("number", "pk")
    )


def _slug(organisation) -> str | None:
    return organisation.slug if organisation is not None else None


def plan_data(plan: ActionPlan) -> dict:
    """The plan, its decision, funding, actions and their follow-ups, as plain JSON data."""
    actions = _actions(plan)
    funding = plan.funding.select_related("organisation").order_by("organisation__order", "year")
    return {
        "plan": {
            "year": plan.year,
            "end_year": plan.end_year,
            "title_sv": plan.title_sv,
            "title_en": plan.title_en,
            "status": plan.status,
            "is_demo": plan.is_demo,
            "decision": _decision_json(decision_record(plan)),
            "url": plan.get_absolute_url(),
        },
        "funding": [
            {
                "organisation": row.organisation.slug,
                "year": row.year,
                "amount_sek": row.amount_sek,
                "kind": row.kind,
                "note": row.note,
            }
            for row in funding
        ],
        "actions": [
            {
                "number": action.number,
                "title_sv": action.title_sv,
                "title_en": action.title_en,
                "description_sv": action.description_sv,
                "description_en": action.description_en,
                "lead_party": _slug(action.lead_organisation),
                "co_responsible": [
                    {"organisation": partner.organisation.slug, "role": partner.role}
                    for partner in action.partners.all()
                ],
                "goals": [goal.slug for goal in action.goals.all()],
                "strategies": [strategy.slug for strategy in action.strategies.all()],
                "sub_strategies": [
                    f"{sub.strategy.slug}/{sub.slug}" for sub in action.sub_strategies.all()
                ],
                "start_year": action.start_year,
                "start_quarter": action.start_quarter,
                "end_year": action.end_year,
                "end_quarter": action.end_quarter,
                "status": action.status,
                "progress": action.progress,
                "completed_on": action.completed_on.isoformat() if action.completed_on else None,
                "budget_sek": action.budget_sek,
                "funder": _slug(action.funder),
                "continues": action.predecessor.number if action.predecessor else None,
                "follow_ups": [
                    {
                        "date": update.date.isoformat(),
                        "status": update.status,
                        "progress": update.progress,
                        "text_sv": update.text_sv,
                        "text_en": update.text_en,
                    }
                    for update in action.updates.all()
                ],
            }
            for action in actions
        ],
    }


def _json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def follow_ups_csv(data: dict) -> bytes:
    rows = (
        [action["number"], *(update[column] for column in FOLLOW_UP_COLUMNS[1:])]
        for action in data["actions"]
        for update in action["follow_ups"]
    )
    return csv_bytes(FOLLOW_UP_COLUMNS, rows)


def plan_data_attachments(plan: ActionPlan) -> list[PDFAttachment]:
    """The files an archival copy of the plan carries: actions (CSV, the admin export's
    columns, so they can be imported again), follow-ups (CSV) and everything (JSON)."""
    from .services import export_actions

    data = plan_data(plan)
    stem = f"flemingsberg-2050-action-plan-{plan.year}"
    return [
        PDFAttachment(
            name=f"{stem}-actions.csv",
            content=export_actions(plan=plan, file_format="csv"),
            description="Åtgärder / Actions (CSV, UTF-8)",
        ),
        PDFAttachment(
            name=f"{stem}-follow-ups.csv",
            content=follow_ups_csv(data),
            description="Uppföljningar / Follow-ups (CSV, UTF-8)",
        ),
        PDFAttachment(
            name=f"{stem}.json",
            content=_json_bytes(data),
            description="Handlingsplanen med åtgärder och uppföljningar / "
            "The action plan with actions and follow-ups (JSON)",
        ),
    ]


# ------------------------------------------------------------------------------ e-archive


def archive_items(year: int) -> Iterator[ArchiveRecord]:
    """Every plan adopted in ``year`` (its decision's date), with its stored documents."""
    plans = (
        ActionPlan.objects.public()
        .filter(decision__date__year=year)
        .select_related("programme", "decision__organisation")
        .prefetch_related(
            Prefetch(
                "adopted_documents",
                queryset=AdoptedPlanDocument.objects.order_by("language"),
            )
        )
        .order_by("year", "is_demo", "pk")
    )
    for plan in plans:
        stem = f"action-plan-{plan.year}{'-demo' if plan.is_demo else ''}"
        files = [
            ArchiveFile(
                name=f"{stem}-{document.language}.pdf",
                content=bytes(document.pdf),
                media_type="application/pdf",
                description=f"{document.get_variant_display()}, {document.language}",
                recorded_sha256=document.sha256,
                created=document.stored_at,
            )
            for document in plan.adopted_documents.all()
        ]
        decision = decision_record(plan)
        yield ArchiveRecord(
            kind="action-plan",
            identifier=stem,
            title=plan.display_title,
            date=decision.date if decision and decision.date else datetime.date(year, 1, 1),
            decision=_decision_json(decision),
            content=plan_data(plan),
            files=files,
        )
