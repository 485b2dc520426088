"""The report of a closed follow-up round: summary, data and the stored PDF.

* :func:`round_summary` – the executive summary (first page of the report, and the public
  round page): what changed since the previous closed round of the same plan (actions
  completed, started, postponed, cancelled; progress moved; sub-targets whose status or
  verdict changed), which parties signed off when and which did not, actions without an
  update. Computed from the snapshots only.
* :func:`round_document` – the report as a PDF document: the summary, then the follow-up
  report as it is for plans (``actionplan.pdf``), with the actions' status, progress and
  latest update taken from the snapshot, not from live data.
* :func:`round_data`, :func:`snapshot_csv` – the snapshot as JSON and CSV (the public
  downloads, and the files attached to the stored PDF/A-3a).
* :func:`store_round_report` – render and store both languages (``RoundReportDocument``),
  once; queued as a task when a round closes (:func:`store_round_report_on_commit`). One
  function, so the render job queue can take it over.
* :func:`archive_items` – the year's closed rounds for ``export_archive``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from flemingsberg.archive import ArchiveFile, ArchiveRecord
from flemingsberg.pdf import Archival, PDFAttachment, PDFDocument, pdf_filename
from flemingsberg.spreadsheets import csv_bytes
from programme.models import Organisation

from .models import (
    ActionStatus,
    FollowUpRound,
    RoundActionSnapshot,
    RoundReportDocument,
    RoundSignOff,
    RoundTargetSnapshot,
)

LANGUAGES = ("sv", "en")
#: Per list on the PDF's summary page (the rest is in the report's tables).
SUMMARY_LIST_LIMIT = 12

ACTION_COLUMNS = (
    "number",
    "title_sv",
    "title_en",
    "lead_party",
    "status",
    "progress",
    "latest_update_date",
    "latest_update_text_sv",
    "latest_update_text_en",
    "latest_update_by",
    "covered_in_round",
    "no_change",
    "covered_at",
)
TARGET_COLUMNS = (
    "sub_target",
    "statement_sv",
    "statement_en",
    "unit",
    "latest_value",
    "latest_year",
    "latest_date",
    "target_value",
    "status",
    "verdict",
)


# ------------------------------------------------------------------------------ summary


@dataclass
class Change:
    """A snapshot row and the same row in the previous round (None: not there)."""

    now: object
    before: object | None = None


@dataclass
class PartySummary:
    organisation: Organisation
    sign_off: RoundSignOff | None
    led: int = 0
    without_update: list = field(default_factory=list)


@dataclass
class RoundSummary:
    round: FollowUpRound
    previous: FollowUpRound | None
    actions: list
    completed: list[Change] = field(default_factory=list)
    started: list[Change] = field(default_factory=list)
    postponed: list[Change] = field(default_factory=list)
    cancelled: list[Change] = field(default_factory=list)
    progress_moved: list[Change] = field(default_factory=list)
    targets: list = field(default_factory=list)
    targets_changed: list[Change] = field(default_factory=list)
    parties: list[PartySummary] = field(default_factory=list)
    without_update: list = field(default_factory=list)
    status_counts: dict = field(default_factory=dict)

    @property
    def signed_off(self) -> list[PartySummary]:
        return [p for p in self.parties if p.sign_off is not None]

    @property
    def not_signed_off(self) -> list[PartySummary]:
        return [p for p in self.parties if p.sign_off is None]

    @property
    def status_list(self) -> list[tuple[str, int]]:
        return [(ActionStatus(value).label, n) for value, n in self.status_counts.items()]

    def listings(self, limit: int | None = None) -> dict:
        """The summary's lists for a template, each cut to ``limit`` (None: whole)."""

        def cut(label, items):
            shown = items[:limit] if limit else items
            return Listing(label=label, total=len(items), shown=shown, more=len(items) - len(shown))

        return {
            "status_changes": [
                cut(gettext("Completed"), self.completed),
                cut(gettext("Started"), self.started),
                cut(gettext("Postponed"), self.postponed),
                cut(gettext("Cancelled"), self.cancelled),
            ],
            "progress_moved": cut(gettext("Progress moved"), self.progress_moved),
            "without_update": cut(
                gettext("Actions without an update in the round"), self.without_update
            ),
        }


@dataclass
class Listing:
    label: str
    total: int
    shown: list
    more: int


def round_summary(round: FollowUpRound) -> RoundSummary:
    """The summary of a closed round, from its snapshots and those of the previous closed
    round of the plan. Queries: the previous round (1), both rounds' action and sub-target
    snapshots (4), the parties (1) and the standing sign-offs with who signed (1)."""
    previous = round.previous_round()
    actions = list(
        RoundActionSnapshot.objects.filter(round=round)
        .select_related("lead_organisation")
        .order_by("number", "pk")
    )
    targets = list(RoundTargetSnapshot.objects.filter(round=round).order_by("pk"))
    before_actions = {}
    before_targets = {}
    if previous is not None:
        before_actions = {
            s.action_id: s for s in RoundActionSnapshot.objects.filter(round=previous)
        }
        before_targets = {
            s.sub_target_id: s for s in RoundTargetSnapshot.objects.filter(round=previous)
        }
    summary = RoundSummary(round=round, previous=previous, actions=actions, targets=targets)
    moves = {
        ActionStatus.COMPLETED: summary.completed,
        ActionStatus.ONGOING: summary.started,
        ActionStatus.POSTPONED: summary.postponed,
        ActionStatus.CANCELLED: summary.cancelled,
    }
    for snapshot in actions:
        summary.status_counts[snapshot.status] = summary.status_counts.get(snapshot.status, 0) + 1
        if not snapshot.covered:
            summary.without_update.append(snapshot)
        if previous is None:
            continue
        before = before_actions.get(snapshot.action_id)
        before_status = before.status if before else ActionStatus.PLANNED
        if snapshot.status != before_status and snapshot.status in moves:
            moves[snapshot.status].append(Change(snapshot, before))
        before_progress = before.progress if before else None
        if snapshot.progress != before_progress and (snapshot.progress or before_progress):
            summary.progress_moved.append(Change(snapshot, before))
    summary.status_counts = {
        value: summary.status_counts.get(value, 0) for value in ActionStatus.values
    }
    if previous is not None:
        for target in targets:
            before = before_targets.get(target.sub_target_id)
            if before is not None and (
                before.status != target.status or before.verdict != target.verdict
            ):
                summary.targets_changed.append(Change(target, before))

    sign_offs = {
        s.organisation_id: s
        for s in round.active_sign_offs().select_related("signed_by", "organisation")
    }
    led: dict[int, list] = {}
    for snapshot in actions:
        if snapshot.lead_organisation_id is not None:
            led.setdefault(snapshot.lead_organisation_id, []).append(snapshot)
    organisations = Organisation.objects.filter(is_party=True) | Organisation.objects.filter(
        pk__in=list(led)
    )
    for organisation in organisations.distinct().order_by("-is_party", "order", "name"):
        mine = led.get(organisation.pk, [])
        summary.parties.append(
            PartySummary(
                organisation=organisation,
                sign_off=sign_offs.get(organisation.pk),
                led=len(mine),
                without_update=[s for s in mine if not s.covered],
            )
        )
    return summary


# ------------------------------------------------------------------------------ data


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _decimal(value):
    return json.loads(format(value.normalize(), "f")) if value is not None else None


def _action_row(s: RoundActionSnapshot) -> dict:
    return {
        "number": s.number,
        "title_sv": s.title_sv,
        "title_en": s.title_en,
        "lead_party": s.lead_organisation.slug if s.lead_organisation else None,
        "status": s.status,
        "progress": s.progress,
        "latest_update_date": _iso(s.latest_update_date),
        "latest_update_text_sv": s.latest_update_text_sv,
        "latest_update_text_en": s.latest_update_text_en,
        "latest_update_by": s.latest_update_organisation_name,
        "covered_in_round": s.covered,
        "no_change": s.no_change,
        "covered_at": _iso(s.covered_at),
    }


def _target_row(s: RoundTargetSnapshot) -> dict:
    return {
        "sub_target": s.slug,
        "statement_sv": s.statement_sv,
        "statement_en": s.statement_en,
        "unit": s.unit,
        "latest_value": _decimal(s.latest_value),
        "latest_year": s.latest_year,
        "latest_date": _iso(s.latest_date),
        "target_value": _decimal(s.target_value),
        "status": s.status,
        "verdict": s.verdict,
    }


def round_data(round: FollowUpRound, summary: RoundSummary | None = None) -> dict:
    """The round and its snapshot as plain JSON data (the same in both languages)."""
    summary = summary or round_summary(round)
    plan = round.plan
    return {
        "round": {
            "title_sv": round.title_sv,
            "title_en": round.title_en,
            "plan": {"year": plan.year, "title_sv": plan.title_sv, "is_demo": plan.is_demo},
            "reports_on": _iso(round.reports_on),
            "deadline": _iso(round.deadline),
            "opened_at": _iso(round.opened_at),
            "closed_at": _iso(round.closed_at),
            "previous_round_closed_at": _iso(summary.previous.closed_at)
            if summary.previous
            else None,
            "url": round.get_absolute_url(),
        },
        "sign_offs": [
            {
                "party": party.organisation.slug,
                "signed_off_at": _iso(party.sign_off.signed_at) if party.sign_off else None,
                "actions_led": party.led,
                "actions_without_update": len(party.without_update),
            }
            for party in summary.parties
        ],
        "actions": [_action_row(s) for s in summary.actions],
        "sub_targets": [_target_row(s) for s in summary.targets],
    }


def snapshot_csv(data: dict, what: str = "actions") -> bytes:
    """The actions' (or sub-targets') snapshot as CSV: UTF-8 with BOM, like every CSV."""
    columns = ACTION_COLUMNS if what == "actions" else TARGET_COLUMNS
    key = "actions" if what == "actions" else "sub_targets"
    return csv_bytes(columns, ([row[c] for c in columns] for row in data[key]))


def _json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def file_stem(round: FollowUpRound) -> str:
    closed = timezone.localdate(round.closed_at) if round.closed_at else round.reports_on
    demo = "-demo" if round.plan.is_demo else ""
    return f"flemingsberg-2050-follow-up-round-{round.plan.year}{demo}-{closed:%Y%m%d}-{round.pk}"


def round_data_attachments(round: FollowUpRound, data: dict) -> list[PDFAttachment]:
    stem = file_stem(round)
    return [
        PDFAttachment(
            name=f"{stem}-actions.csv",
            content=snapshot_csv(data, "actions"),
            description="Åtgärder vid omgångens stängning / Actions when the round closed (CSV)",
        ),
        PDFAttachment(
            name=f"{stem}-sub-targets.csv",
            content=snapshot_csv(data, "sub_targets"),
            description="Delmål vid omgångens stängning / Sub-targets when the round closed (CSV)",
        ),
        PDFAttachment(
            name=f"{stem}.json",
            content=_json_bytes(data),
            description="Omgången och dess ögonblicksbild / The round and its snapshot (JSON)",
        ),
    ]


# ------------------------------------------------------------------------------ the PDF


def _snapshot_overlay(round: FollowUpRound):
    """Put the snapshot in place of the live follow-up state (see ``plan_pdf_context``):
    each action's status, progress and latest update; each sub-target's values and
    assessments as far as they existed when the round closed."""
    by_action = {s.action_id: s for s in RoundActionSnapshot.objects.filter(round=round)}
    closed_at = round.closed_at

    def overlay(actions, sub_targets) -> None:
        for action in actions:
            snapshot = by_action.get(action.pk)
            if snapshot is None:
                continue
            action.status = snapshot.status
            action.progress = snapshot.progress
            action.latest_update = (
                SimpleNamespace(date=snapshot.latest_update_date, text=snapshot.latest_update_text)
                if snapshot.latest_update_date
                else None
            )
        for sub_target in sub_targets:
            sub_target.published_measurements = [
                m for m in sub_target.get_published_measurements() if m.entered_at <= closed_at
            ]
            sub_target.published_assessments = [
                a for a in sub_target.get_published_assessments() if a.created_at <= closed_at
            ]

    return overlay


def round_title(round: FollowUpRound) -> str:
    return round.title


def round_document(
    round: FollowUpRound, language: str, summary: RoundSummary | None = None
) -> PDFDocument:
    """The round's report in ``language``: the summary first, then the follow-up report."""
    from .pdf import Kind, laid_out_in_parts, plan_pdf_context

    with translation.override(language):
        summary = summary or round_summary(round)
        context = plan_pdf_context(
            round.plan, overlay=_snapshot_overlay(round), in_parts=laid_out_in_parts(round.plan)
        )
        return PDFDocument(
            template="actionplan/pdf/round_report.html",
            context={
                **context,
                "kind": Kind.FOLLOW_UP,
                "round": round,
                "summary": summary,
                "lists": summary.listings(SUMMARY_LIST_LIMIT),
                "generated_on": round.reports_on,
                "closed_on": timezone.localdate(round.closed_at),
            },
            title=round_title(round),
            language=language,
            subject=round.plan.title,
            keywords=("Flemingsberg 2050", str(round.plan.year), gettext("Follow-up round")),
        )


def report_filename(round: FollowUpRound, language: str) -> str:
    return pdf_filename(file_stem(round), language)


@transaction.atomic
def store_round_report(round: FollowUpRound) -> list[RoundReportDocument]:
    """Render the closed round's report in every language from its snapshot and store it
    (PDF/A-3a, the snapshot attached as CSV and JSON). A stored copy is never replaced."""
    round = FollowUpRound.objects.select_related("plan", "plan__programme").get(pk=round.pk)
    if not round.is_closed:
        raise ValueError("Only a closed round has a report.")
    stored = []
    summary = data = attachments = None
    for language in LANGUAGES:
        existing = RoundReportDocument.objects.filter(round=round, language=language).first()
        if existing is not None:
            stored.append(existing)
            continue
        if summary is None:
            summary = round_summary(round)
            data = round_data(round, summary)
            attachments = round_data_attachments(round, data)
        from .pdf import render_plan_pdf

        # Laid out in parts for a long plan, like the plan's own documents (bounded memory).
        archival = Archival(attachments=tuple(attachments))
        pdf = render_plan_pdf(replace(round_document(round, language, summary), archival=archival))
        stored.append(
            RoundReportDocument.objects.create(
                round=round,
                language=language,
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
            )
        )
    return stored


@task()
def render_round_report(round_id: int) -> int:
    """The task worker's side: render and store a closed round's report."""
    return len(store_round_report(FollowUpRound.objects.get(pk=round_id)))


def store_round_report_on_commit(round: FollowUpRound) -> None:
    """Queue the report's render jobs (``actionplan.renders``) in the close's transaction:
    committed with the close (the database backend writes the task rows in it), rendered
    by the worker, retried on failure and reported to the editors after the last attempt;
    ``check_renders`` requests any closed round's report that is still missing."""
    from .renders import queue_round_report

    queue_round_report(round)


# ------------------------------------------------------------------------------ e-archive


def archive_items(year: int) -> Iterator[ArchiveRecord]:
    """Every public round closed in ``year``, with its stored report documents."""
    rounds = (
        FollowUpRound.objects.public()
        .filter(closed_at__year=year)
        .select_related("plan", "plan__programme")
        .prefetch_related("report_documents")
        .order_by("closed_at", "pk")
    )
    for round in rounds:
        stem = file_stem(round).removeprefix("flemingsberg-2050-")
        files = [
            ArchiveFile(
                name=f"{stem}-{document.language}.pdf",
                content=bytes(document.pdf),
                media_type="application/pdf",
                description=f"PDF/A-3a, {document.language}",
                recorded_sha256=document.sha256,
                created=document.stored_at,
            )
            for document in sorted(round.report_documents.all(), key=lambda d: d.language)
        ]
        yield ArchiveRecord(
            kind="follow-up-round",
            identifier=stem,
            title=round.title,
            date=timezone.localdate(round.closed_at),
            content=round_data(round),
            files=files,
        )
