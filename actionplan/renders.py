"""The plan's PDFs as render jobs (``flemingsberg.renders``): the action plan and the
follow-up report of any plan, and the document an adopted plan is kept with.

* ``action-plan`` and ``follow-up-report``: staff ask for them in the admin, visitors get the
  public plan PDF of a plan that has no stored document; keyed by :func:`plan_content_version`.
* ``round-report``: a closed follow-up round's report (``round_report.store_round_report``),
  queued in the close's transaction, like the adopted plan's document.
* ``adopted-plan``: the archival copy stored at adoption (``AdoptedPlanDocument``), one job
  per plan and language. :func:`queue_adopted_plan_documents` queues it inside the adoption's
  transaction (``services.transition_plan``); ``check_renders`` requests it for every plan
  adopted in the portal that still has none.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from flemingsberg import renders
from flemingsberg.models import RenderJob
from flemingsberg.renders import Renderer, rows_version
from indicators.models import Assessment, Measurement, SubTarget
from programme.models import (
    Decision,
    DevelopmentGoal,
    Organisation,
    Programme,
    StaffMembership,
    Strategy,
    SubStrategy,
)

from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    AdoptedPlanDocument,
    CommunicationActivity,
    FollowUpRound,
    FollowUpUpdate,
    FundingContribution,
    PlanTransition,
)
from .pdf import (
    LANGUAGES,
    Kind,
    plan_document,
    plan_pdf_filename,
    render_plan_pdf,
    store_adopted_plan_document,
)

ADOPTED = "adopted-plan"
ROUND_REPORT = "round-report"


def plan_content_version(plan: ActionPlan) -> str:
    """Everything the plan's documents show, as the versions of its rows (about twenty
    aggregate queries, each over one plan's or one programme's rows; no HTML is built)."""
    programme = plan.programme_id
    of_plan = {"action__plan": plan.pk}
    parts = [
        rows_version(ActionPlan.objects.filter(pk=plan.pk)),
        rows_version(Programme.objects.filter(pk=programme)),
        rows_version(Action.objects.filter(plan=plan.pk)),
        rows_version(Action.goals.through.objects.filter(**of_plan)),
        rows_version(Action.strategies.through.objects.filter(**of_plan)),
        rows_version(Action.sub_strategies.through.objects.filter(**of_plan)),
        rows_version(ActionPartner.objects.filter(**of_plan)),
        rows_version(FollowUpUpdate.objects.filter(**of_plan)),
        rows_version(CommunicationActivity.objects.filter(plan=plan.pk)),
        rows_version(
            CommunicationActivity.goals.through.objects.filter(communicationactivity__plan=plan.pk)
        ),
        rows_version(FundingContribution.objects.filter(plan=plan.pk)),
        rows_version(DevelopmentGoal.objects.filter(programme=programme)),
        rows_version(Strategy.objects.filter(programme=programme)),
        rows_version(Strategy.goals.through.objects.filter(strategy__programme=programme)),
        rows_version(SubStrategy.objects.filter(strategy__programme=programme)),
        rows_version(SubTarget.objects.filter(goal__programme=programme)),
        rows_version(Measurement.objects.filter(sub_target__goal__programme=programme)),
        rows_version(Assessment.objects.filter(sub_target__goal__programme=programme)),
        rows_version(Organisation.objects.all()),
        rows_version(Decision.objects.filter(pk=plan.decision_id)),  # on the cover
    ]
    return "|".join(parts)


def editor_addresses() -> list[str]:
    """The programme editors' (and active superusers') e-mail addresses."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return sorted(
        set(
            users.filter(
                Q(is_superuser=True) | Q(membership__role=StaffMembership.Role.EDITOR)
            ).values_list("email", flat=True)
        )
    )


class _PlanRenderer(Renderer):
    def get_target(self, target_id):
        return ActionPlan.objects.select_related("programme").filter(pk=target_id).first()

    def failure_recipients(self, target) -> list[str]:
        return editor_addresses()

    def admin_url(self, target) -> str:
        return reverse("admin:actionplan_actionplan_change", args=[target.pk])


class PlanDocumentRenderer(_PlanRenderer):
    """The action plan or the follow-up report of a plan as it is now (PDF/UA-1)."""

    def __init__(self, kind: str):
        self.kind = kind

    def content_version(self, target, language: str) -> str:
        return plan_content_version(target)

    def render(self, target, language: str, job: RenderJob) -> bytes:
        return render_plan_pdf(plan_document(target, self.kind, language))

    def title(self, target, language: str) -> str:
        with translation.override(language):
            return f"{Kind(self.kind).label} {target.year} ({language})"

    def filename(self, target, language: str) -> str:
        return plan_pdf_filename(target, self.kind, language)


class AdoptedDocumentRenderer(_PlanRenderer):
    """The adopted plan's archival copy, kept as ``AdoptedPlanDocument`` (not in the job)."""

    kind = ADOPTED
    keeps_result = False

    def content_version(self, target, language: str) -> str:
        # One document per plan and language, whatever changes later: the first stored
        # copy is the decision's.
        return "adopted"

    def render(self, target, language: str, job: RenderJob) -> bytes:
        document = store_adopted_plan_document(plan=target, language=language, by=job.requested_by)
        return bytes(document.pdf)

    def title(self, target, language: str) -> str:
        with translation.override(language):
            return gettext("Action plan %(year)s as adopted (%(language)s)") % {
                "year": target.year,
                "language": language,
            }

    def filename(self, target, language: str) -> str:
        return plan_pdf_filename(target, Kind.ACTION_PLAN, language)

    def missing(self):
        for plan in plans_adopted_here().prefetch_related("adopted_documents"):
            stored = {document.language for document in plan.adopted_documents.all()}
            for language in LANGUAGES:
                if language not in stored:
                    yield plan, language


def plans_adopted_here():
    """Adopted (or since superseded) plans whose adoption was made in the portal: each must
    end up with its stored document. Plans loaded as they were (the 2007 plan, demo plans)
    have no adoption transition and keep being rendered as they are."""
    adopted = PlanTransition.objects.filter(to_status=ActionPlan.Status.ADOPTED)
    return ActionPlan.objects.filter(
        status__in=ActionPlan.FROZEN_STATUSES, pk__in=adopted.values("plan")
    ).select_related("programme")


def queue_adopted_plan_documents(*, plan: ActionPlan, by=None) -> list[RenderJob]:
    """Queue the adopted plan's document in every language, in the caller's transaction:
    the adoption and its document's job are committed together, or neither is."""
    return [
        renders.request_render(ADOPTED, plan, language, by=by, retry_failed=True)
        for language in LANGUAGES
    ]


def adopted_document_jobs(plan: ActionPlan) -> list[RenderJob]:
    """The plan's document jobs that have not (yet) stored their document."""
    stored = AdoptedPlanDocument.objects.filter(plan=plan).values("language")
    return list(
        RenderJob.objects.without_result()
        .filter(kind=ADOPTED, target_id=plan.pk)
        .exclude(language__in=stored)
        .order_by("language")
    )


class RoundReportRenderer(Renderer):
    """A closed follow-up round's report (PDF/A-3a from its snapshot), kept as
    ``RoundReportDocument`` by ``round_report.store_round_report`` (not in the job)."""

    kind = ROUND_REPORT
    keeps_result = False

    def get_target(self, target_id):
        return (
            FollowUpRound.objects.select_related("plan", "plan__programme")
            .filter(pk=target_id)
            .first()
        )

    def content_version(self, target, language: str) -> str:
        return "closed"  # made once from the snapshot; a stored copy is never replaced

    def render(self, target, language: str, job: RenderJob) -> bytes:
        from .round_report import store_round_report

        documents = {document.language: document for document in store_round_report(target)}
        return bytes(documents[language].pdf)

    def title(self, target, language: str) -> str:
        return f"{target.title} ({language})"

    def filename(self, target, language: str) -> str:
        from .round_report import report_filename

        return report_filename(target, language)

    def failure_recipients(self, target) -> list[str]:
        return editor_addresses()

    def admin_url(self, target) -> str:
        return reverse("admin:actionplan_followupround_change", args=[target.pk])

    def missing(self):
        closed = FollowUpRound.objects.filter(status=FollowUpRound.Status.CLOSED)
        for round in closed.select_related("plan", "plan__programme").prefetch_related(
            "report_documents"
        ):
            stored = {document.language for document in round.report_documents.all()}
            for language in LANGUAGES:
                if language not in stored:
                    yield round, language


def queue_round_report(round: FollowUpRound) -> list[RenderJob]:
    """Queue a closed round's report in every language, in the close's transaction."""
    return [renders.request_render(ROUND_REPORT, round, language) for language in LANGUAGES]


def register() -> None:
    renders.register(PlanDocumentRenderer(Kind.ACTION_PLAN))
    renders.register(PlanDocumentRenderer(Kind.FOLLOW_UP))
    renders.register(AdoptedDocumentRenderer())
    renders.register(RoundReportRenderer())
