"""The action plan and the follow-up report (uppföljningsrapport) of a year, as PDFs.

Both documents are built from one context (:func:`plan_pdf_context`), fetched in a fixed
number of queries whatever the number of actions, and rendered by ``flemingsberg.pdf``
from ``templates/actionplan/pdf/``. The sub-targets' charts are the web pages' own SVG
(``indicators.charts.sub_target_chart``), embedded inline. A plan of more than
``PDF_PART_ACTIONS`` actions is laid out in parts (:func:`render_plan_pdf`): its context
holds light rows for the summary, and each part fetches its own slice of actions in full
(a fixed number of queries per part), so memory does not grow with the plan.

When a plan is adopted, the task worker keeps its action-plan PDF (both languages,
:func:`store_adopted_plan_document`, queued by ``actionplan.renders``) as
:class:`AdoptedPlanDocument`: the exact document the political coordination
group decided on, downloadable unchanged after later follow-up. It is the archival copy:
PDF/A-3a with the plan's data attached and the decision in its metadata
(``actionplan.archival``).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from flemingsberg.pdf import Archival, PDFDocument, merge_tagged_pdfs, render_pdf
from indicators.models import SubTarget
from indicators.progress import Status as SubTargetStatus
from programme.models import DevelopmentGoal, Organisation

from .coverage import compute_coverage, plan_strategies, strategies_of_actions
from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    ActionStatus,
    AdoptedPlanDocument,
    CommunicationActivity,
    FollowUpUpdate,
)

LANGUAGES = ("sv", "en")


class Kind(models.TextChoices):
    ACTION_PLAN = "action-plan", _("Action plan")
    FOLLOW_UP = "follow-up-report", _("Follow-up report")


# ------------------------------------------------------------------------------ context


@dataclass
class PartyAppendix:
    organisation: Organisation
    led: list[Action] = field(default_factory=list)
    partner: list[Action] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.led) + len(self.partner)

    @property
    def anchor(self) -> str:
        return f"party-{self.organisation.slug}"


@dataclass
class GoalSection:
    goal: DevelopmentGoal | None
    sub_targets: list[SubTarget]
    actions: list[Action]
    counts: dict[str, int]

    @property
    def anchor(self) -> str:
        return f"goal-{self.goal.slug}" if self.goal is not None else "goal-none"


def _status_counts(actions) -> dict[str, int]:
    counter = Counter(action.status for action in actions)
    return {value: counter.get(value, 0) for value in ActionStatus.values}


@dataclass(slots=True)
class ActionRow:
    """An action of a plan laid out in parts, as its summary counts it: no goals, partners
    or follow-ups (those of a part's own slice are fetched for that part only, see
    :func:`part_actions`). ``status``, ``progress`` and ``latest_update`` are there for an
    overlay to replace, as on a full action."""

    pk: int
    number: str
    title: str
    status: str
    progress: int | None
    lead_organisation_id: int | None
    latest_update: object = None


def laid_out_in_parts(plan: ActionPlan) -> bool:
    """Whether the plan's documents are laid out in parts (``render_plan_pdf``): more than
    ``PDF_PART_ACTIONS`` actions (1 query)."""
    return Action.objects.in_plan(plan).count() > settings.PDF_PART_ACTIONS


def _full_actions(plan: ActionPlan, actions: models.QuerySet) -> list[Action]:
    """The actions with what the documents show of each, in their order (4 queries: with
    their lead organisation, their public goals, partners with organisations, follow-up
    updates)."""
    actions = list(
        actions.select_related("lead_organisation")
        .prefetch_related(
            Prefetch(
                "goals",
                # Public goals only: a draft goal's title never reaches a document.
                queryset=DevelopmentGoal.objects.public().only(
                    "id", "slug", "order", "title", "title_sv", "title_en", "programme_id"
                ),
            ),
            Prefetch(
                "partners",
                queryset=ActionPartner.objects.select_related("organisation"),
            ),
            Prefetch(
                "updates",
                queryset=FollowUpUpdate.objects.order_by("action", "-date", "-pk"),
                to_attr="updates_newest_first",
            ),
        )
        .order_by("number", "pk")
    )
    for action in actions:
        action.plan = plan  # every action is this plan's: no join, no query per action
        action.latest_update = (
            action.updates_newest_first[0] if action.updates_newest_first else None
        )
        action.partner_list = list(action.partners.all())
    return actions


def part_actions(plan: ActionPlan, rows: list[ActionRow], *, overlay=None) -> list[Action]:
    """The full actions of one part's slice of rows, in the rows' order (4 queries), with
    the overlay the whole document has (``plan_pdf_context``)."""
    actions = _full_actions(plan, Action.objects.filter(pk__in=[row.pk for row in rows]))
    if overlay is not None:
        overlay(actions, [])
    return actions


def plan_pdf_context(plan: ActionPlan, *, overlay=None, in_parts: bool = False) -> dict:
    """Everything both documents show, in a fixed number of queries (listed below).

    ``overlay(actions, sub_targets)``, when given, replaces the live follow-up state of
    the fetched rows before anything is counted or grouped: a follow-up round's report
    puts its snapshot there (``actionplan.round_report``).

    Queries: goals (1), their published sub-targets (1), measurements (1) and assessments
    with their organisations (1); actions with lead organisation (1), their goals (1),
    partners with organisations (1) and follow-up updates (1); communication activities (1)
    and their responsible parties (joined); funding (1); the parties (1); for the coverage
    tables the strategies (1) and the actions' strategies and sub-strategies (2). The
    grouping below is Python over those rows.

    ``in_parts`` (a plan of thousands, laid out in parts by ``render_plan_pdf``): the
    actions are rows (:class:`ActionRow`) instead (1 query), their public goals and their
    partners' organisations ids (1 query each): what the summary counts and groups,
    without every action's goals, partners and follow-ups as objects. Each part fetches
    its own slice in full through ``context["load_actions"]`` (:func:`part_actions`), so
    memory holds one part's actions at a time, whatever the plan's size.
    """
    programme = plan.programme
    goals = list(
        DevelopmentGoal.objects.public()
        .for_programme(programme)
        .prefetch_related(
            Prefetch(
                "sub_targets",
                queryset=SubTarget.objects.public()
                .select_related("measuring_organisation")
                .with_status(),
            )
        )
    )
    if in_parts:
        actions = [
            ActionRow(*values)
            for values in Action.objects.in_plan(plan)
            .order_by("number", "pk")
            .values_list("pk", "number", "title", "status", "progress", "lead_organisation_id")
        ]
        goals_of: dict[int, list[int]] = defaultdict(list)
        # Public goals only, as the full actions' prefetch.
        links = Action.goals.through.objects.filter(
            action__plan=plan, developmentgoal__in=DevelopmentGoal.objects.public().values("pk")
        )
        for action_id, goal_id in links.values_list("action_id", "developmentgoal_id"):
            goals_of[action_id].append(goal_id)
        partners_of: dict[int, list[int]] = defaultdict(list)
        for action_id, organisation_id in (
            ActionPartner.objects.filter(action__plan=plan)
            .order_by()
            .values_list("action_id", "organisation_id")
        ):
            partners_of[action_id].append(organisation_id)
    else:
        actions = _full_actions(plan, Action.objects.in_plan(plan))
        goals_of = {action.pk: [goal.pk for goal in action.goals.all()] for action in actions}
        partners_of = {
            action.pk: [partner.organisation_id for partner in action.partner_list]
            for action in actions
        }
    if overlay is not None:
        overlay(actions, [sub_target for goal in goals for sub_target in goal.sub_targets.all()])

    by_goal: dict[int, list[Action]] = defaultdict(list)
    without_goal: list[Action] = []
    shown_goals = {goal.pk for goal in goals}
    for action in actions:
        # Every action is in the document: one whose goals are all unpublished is listed
        # with those tied to no goal (the document names no unpublished goal).
        goal_ids = [goal_id for goal_id in goals_of.get(action.pk, ()) if goal_id in shown_goals]
        for goal_id in goal_ids:
            by_goal[goal_id].append(action)
        if not goal_ids:
            without_goal.append(action)
    sections = [
        GoalSection(
            goal=goal,
            sub_targets=list(goal.sub_targets.all()),
            actions=by_goal.get(goal.pk, []),
            counts=_status_counts(by_goal.get(goal.pk, [])),
        )
        for goal in goals
    ]
    if without_goal:
        sections.append(
            GoalSection(
                goal=None, sub_targets=[], actions=without_goal, counts=_status_counts(without_goal)
            )
        )

    parties = list(Organisation.objects.filter(is_party=True))
    appendices = {party.pk: PartyAppendix(organisation=party) for party in parties}
    for action in actions:
        if action.lead_organisation_id in appendices:
            appendices[action.lead_organisation_id].led.append(action)
        for organisation_id in partners_of.get(action.pk, ()):
            if organisation_id in appendices and organisation_id != action.lead_organisation_id:
                appendices[organisation_id].partner.append(action)
    for appendix in appendices.values():
        appendix.counts = _status_counts([*appendix.led, *appendix.partner])

    sub_targets = [sub_target for section in sections for sub_target in section.sub_targets]
    sub_target_counts = Counter(sub_target.progress.status for sub_target in sub_targets)

    funding = list(plan.funding.select_related("organisation").order_by("organisation__order"))
    funding_years = sorted({row.year for row in funding})
    funding_rows = []
    for party in {row.organisation_id: row.organisation for row in funding}.values():
        amounts = {row.year: row.amount_sek for row in funding if row.organisation_id == party.pk}
        funding_rows.append(
            {
                "organisation": party,
                "amounts": [amounts.get(year) for year in funding_years],
                "total": sum(amounts.values()),
            }
        )
    funding_totals = [
        sum(row.amount_sek for row in funding if row.year == year) for year in funding_years
    ]

    communication = list(
        plan.communication_activities.select_related("responsible_organisation").order_by(
            "order", "pk"
        )
    )
    communication_status = Counter(activity.status for activity in communication)
    return {
        "plan": plan,
        "programme": programme,
        "is_draft": not plan.is_public,
        "sections": sections,
        "actions": actions,
        "action_count": len(actions),
        "status_choices": ActionStatus.choices,
        "status_totals": _status_counts(actions),
        "appendices": [appendices[party.pk] for party in parties],
        "parties": parties,
        "sub_targets": sub_targets,
        "sub_target_status_counts": [
            (status, sub_target_counts.get(status, 0)) for status in SubTargetStatus
        ],
        "communication": communication,
        "communication_counts": [
            (label, communication_status[value])
            for value, label in CommunicationActivity.Status.choices
            if communication_status[value]
        ],
        "funding_years": funding_years,
        "funding_rows": funding_rows,
        "funding_totals": funding_totals,
        "funding_grand_total": sum(funding_totals),
        # Amounts a body recommended (the 2007 steering group), not granted ones.
        "funding_recommended": any(row.is_recommendation for row in funding),
        "generated_on": timezone.localdate(),
        "coverage": compute_coverage(
            plan,
            goals=goals,
            strategies=plan_strategies(plan),
            parties=parties,
            action_ids=[action.pk for action in actions],
            goals_of={action.pk: set(goals_of.get(action.pk, ())) for action in actions},
            strategies_of=strategies_of_actions(plan),
            parties_of={
                action.pk: {
                    *([action.lead_organisation_id] if action.lead_organisation_id else []),
                    *partners_of.get(action.pk, ()),
                }
                for action in actions
            },
        ),
        "demo_values": any(sub_target.has_demo_values for sub_target in sub_targets),
        # A part's slice of rows → its full actions (None: the actions are full already).
        "load_actions": partial(part_actions, plan, overlay=overlay) if in_parts else None,
    }


# ------------------------------------------------------------------------------ documents


def _title(plan: ActionPlan, kind: str) -> str:
    if kind == Kind.FOLLOW_UP:
        return gettext("Follow-up report %(year)s") % {"year": plan.year}
    return gettext("Action plan %(start)s–%(end)s") % {"start": plan.year, "end": plan.end_year}


def plan_document(plan: ActionPlan, kind: str, language: str) -> PDFDocument:
    """The action plan or the follow-up report of ``plan`` in ``language``."""
    with translation.override(language):
        template = (
            "actionplan/pdf/follow_up_report.html"
            if kind == Kind.FOLLOW_UP
            else "actionplan/pdf/action_plan.html"
        )
        return PDFDocument(
            template=template,
            context={**plan_pdf_context(plan, in_parts=laid_out_in_parts(plan)), "kind": kind},
            title=_title(plan, kind),
            language=language,
            subject=plan.title,
            keywords=("Flemingsberg 2050", str(plan.year)),
        )


def render_plan_pdf(document: PDFDocument) -> bytes:
    """The plan document's PDF, in parts when the plan is long.

    A plan of more than ``PDF_PART_ACTIONS`` actions is laid out part by part – the front
    (cover, contents, summary), each goal's actions in slices of that many, the
    communication plan, the funding, each party's appendix in slices – and the parts are
    merged into one tagged PDF (``flemingsberg.pdf.merge_tagged_pdfs``). Each part goes to
    a temporary file as soon as it is laid out and the merge streams from those files to
    another, so WeasyPrint holds one part's layout at a time and no list of parts' bytes
    grows: memory stays bounded whatever the plan's size. The contents then give the other
    parts' first pages as numbers, and the footer says "page n".
    """
    from pypdf import PdfReader

    context = document.context
    size = settings.PDF_PART_ACTIONS
    load_actions = context.get("load_actions")
    # A context of rows (in_parts) is laid out in parts whatever its count has become.
    if load_actions is None and context["action_count"] <= size:
        return render_pdf(document)
    parts = _parts(context, size)
    # Parts after the first are the same variant (PDF/A-3a for an archival copy, so every
    # page meets it) without the attachments and the decision: the first part carries those.
    rest = replace(document.archival, attachments=()) if document.archival else None

    with tempfile.TemporaryDirectory(prefix="plan-pdf-") as directory:

        def render(number: int, part: dict, **extra) -> tuple[Path, int]:
            """Lay out one part into its file; the file and its number of pages. A part of
            a long plan's rows gets its actions in full here, let go once it is laid out."""
            if load_actions is not None and "actions" in part:
                part = {**part, "actions": load_actions(part["actions"])}
            path = Path(directory) / f"part-{number:04d}.pdf"
            path.write_bytes(
                render_pdf(
                    replace(
                        document,
                        context={**context, "part": part, **extra},
                        archival=document.archival if part["kind"] == "front" else rest,
                    )
                )
            )
            return path, len(PdfReader(path).pages)

        anchors = ("anchor", "section_anchor")
        placeholder = {part[key]: "000" for part in parts for key in anchors if part.get(key)}
        _, front_pages = render(0, parts[0], toc_pages=placeholder)
        files, toc_pages, page = [], {}, front_pages + 1
        for number, part in enumerate(parts[1:], start=1):
            part["page_start"] = page
            path, pages = render(number, part)
            toc_pages.update({part[key]: page for key in anchors if part.get(key)})
            page += pages
            files.append(path)
        front, _ = render(0, parts[0], toc_pages=toc_pages)
        merged = Path(directory) / "merged.pdf"
        with merged.open("wb") as target:
            merge_tagged_pdfs([front, *files], target)
        return merged.read_bytes()


def _parts(context: dict, size: int) -> list[dict]:
    follow_up = context.get("kind") == Kind.FOLLOW_UP
    goals_chapter = (
        gettext("Development goals: sub-targets and actions")
        if follow_up
        else (gettext("Actions per development goal"))
    )
    parts: list[dict] = [{"kind": "front"}]

    def sliced(actions: list) -> list[list]:
        return [actions[i : i + size] for i in range(0, len(actions), size)] or [[]]

    for number, section in enumerate(context["sections"]):
        for index, chunk in enumerate(sliced(section.actions)):
            parts.append(
                {
                    "kind": "goal",
                    "section": section,
                    "actions": chunk,
                    "first": index == 0,
                    "first_of_chapter": number == 0 and index == 0,
                    "chapter": goals_chapter,
                    "anchor": (
                        ("goals" if follow_up else "actions") if number == 0 and index == 0 else ""
                    ),
                    "section_anchor": section.anchor if index == 0 else "",
                }
            )
    parts.append(
        {
            "kind": "communication",
            "chapter": gettext("Communication plan"),
            "anchor": "communication",
        }
    )
    parts.append({"kind": "funding", "chapter": gettext("Funding per party"), "anchor": "funding"})
    if follow_up:
        for number, appendix in enumerate(context["appendices"]):
            chunks = sliced(appendix.led)
            for index, chunk in enumerate(chunks):
                parts.append(
                    {
                        "kind": "appendix",
                        "appendix": appendix,
                        "actions": chunk,
                        "first": index == 0,
                        "last": index == len(chunks) - 1,
                        "first_of_chapter": number == 0 and index == 0,
                        "chapter": gettext("Appendix: actions per party"),
                        "anchor": "appendix" if number == 0 and index == 0 else "",
                        "section_anchor": appendix.anchor if index == 0 else "",
                    }
                )
    return parts


def plan_pdf_filename(plan: ActionPlan, kind: str, language: str) -> str:
    from flemingsberg.pdf import pdf_filename

    with translation.override(language):
        name = gettext("follow-up-report") if kind == Kind.FOLLOW_UP else gettext("action-plan")
    draft = "" if plan.is_public else "draft"
    return pdf_filename("flemingsberg-2050", name, plan.year, draft, language)


# ------------------------------------------------------------------------------ frozen copies


def store_adopted_plan_document(
    *, plan: ActionPlan, language: str, by=None, attachments=None
) -> AdoptedPlanDocument:
    """Render and keep the adopted plan's action-plan PDF in ``language`` (the task worker
    does this, see ``actionplan.renders``).

    It is the archival copy: PDF/A-3a (and PDF/UA-1) with the plan's actions and follow-ups
    attached as CSV and JSON (``AFRelationship /Data``) and the decision (body, date,
    reference) in its XMP metadata. A copy that exists is left alone: the first stored
    document is the one the group decided on.
    """
    from .archival import decision_record, plan_data_attachments

    existing = AdoptedPlanDocument.objects.filter(plan=plan, language=language).first()
    if existing is not None:
        return existing
    if attachments is None:
        attachments = plan_data_attachments(plan)
    archival = Archival(attachments=tuple(attachments), decision=decision_record(plan, language))
    pdf = render_plan_pdf(
        replace(plan_document(plan, Kind.ACTION_PLAN, language), archival=archival)
    )
    with transaction.atomic():
        # Locked: two workers rendering the same plan store one copy, the first.
        ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
        existing = AdoptedPlanDocument.objects.filter(plan=plan, language=language).first()
        if existing is not None:
            return existing
        return AdoptedPlanDocument.objects.create(
            plan=plan,
            language=language,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            variant=AdoptedPlanDocument.Variant.PDF_A_3A,
            stored_by=by if by is not None and by.is_authenticated else None,
        )


def store_adopted_plan_pdf(*, plan: ActionPlan, by=None) -> list[AdoptedPlanDocument]:
    """The adopted plan's document in every language, rendered here and now (for scripts
    and tests; the portal queues each language as a render job, see ``actionplan.renders``)."""
    from .archival import plan_data_attachments

    attachments = None
    stored = []
    for language in LANGUAGES:
        if (
            attachments is None
            and not AdoptedPlanDocument.objects.filter(plan=plan, language=language).exists()
        ):
            attachments = plan_data_attachments(plan)  # the same data in both languages
        stored.append(
            store_adopted_plan_document(
                plan=plan, language=language, by=by, attachments=attachments
            )
        )
    return stored
