"""Serving the action plan PDFs: public for adopted plans, every report for staff. Nothing
here renders: the task worker does (``actionplan.renders``), these views serve its files.

* ``public_plan_pdf`` (public): the action plan of an adopted or superseded year. The copy
  stored at adoption (``AdoptedPlanDocument``) when there is one, so readers get exactly the
  document that was decided on; a plan adopted in the portal whose copy is not stored yet
  answers "being prepared" (503, ``Retry-After``); a plan without an adoption here (the 2007
  plan) is served from its render job of the current content, queued once when missing.
* ``admin_plan_pdf`` (admin, see ``pdf_admin.py``): asks for the action plan or the follow-up
  report of any plan, drafts included, for those ``programme.roles.may_export_reports``
  allows, and sends them to the job's page (``admin_render_job``): queued → ready → download.
* ``admin_stored_pdf`` (admin): a document stored at adoption, byte for byte.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from flemingsberg import renders
from flemingsberg.models import RenderJob
from flemingsberg.pdf import pdf_response
from programme import roles

from .models import ActionPlan, AdoptedPlanDocument
from .pdf import Kind, plan_pdf_filename
from .renders import ADOPTED, plans_adopted_here


def _get_public_plan_or_404(year: int) -> ActionPlan:
    plan = (
        ActionPlan.objects.public()
        .filter(year=year)
        .select_related("programme")
        .order_by("is_demo")
        .first()
    )
    if plan is None:
        raise Http404("No adopted action plan for this year.")
    return plan


def _stored(plan: ActionPlan, language: str) -> AdoptedPlanDocument | None:
    return AdoptedPlanDocument.objects.filter(plan=plan, language=language).only("pdf").first()


@require_GET
def public_plan_pdf(request, year: int):
    plan = _get_public_plan_or_404(year)
    language = translation.get_language()
    filename = plan_pdf_filename(plan, Kind.ACTION_PLAN, language)
    stored = _stored(plan, language)
    if stored is None and plans_adopted_here().filter(pk=plan.pk).exists():
        # Adopted here: its own document or nothing (queued once; the job may have finished
        # at once with a backend that runs tasks immediately).
        job = renders.request_render(ADOPTED, plan, language)
        stored = _stored(plan, language) if job.is_ready else None
        if stored is None:
            return renders.preparing_response(
                request, title=_("Action plan %(year)s") % {"year": plan.year}, job=job
            )
    if stored is not None:
        return pdf_response(bytes(stored.pdf), filename, public=True, max_age=3600)
    job = renders.request_render(Kind.ACTION_PLAN, plan, language)
    pdf = renders.ready_result(job)
    if pdf is None:
        return renders.preparing_response(
            request, title=_("Action plan %(year)s") % {"year": plan.year}, job=job
        )
    return pdf_response(pdf, filename, public=True, max_age=3600)


# --- staff ------------------------------------------------------------------------------------


def _staff_plan(request, object_id) -> ActionPlan:
    if not roles.may_export_reports(request.user):
        raise PermissionDenied
    return get_object_or_404(ActionPlan.objects.select_related("programme"), pk=object_id)


def _language(request) -> str:
    language = request.GET.get("language") or translation.get_language()
    return language if language in ("sv", "en") else "sv"


def job_url(plan: ActionPlan, job: RenderJob, suffix: str = "") -> str:
    return reverse(f"admin:actionplan_actionplan_render{suffix}", args=[plan.pk, job.pk])


def request_plan_pdf(plan: ActionPlan, kind: str, language: str, user) -> RenderJob:
    """Staff ask for a document: the job of its current content (a failed one is queued
    again, since someone is asking)."""
    return renders.request_render(kind, plan, language, by=user, retry_failed=True)


def admin_plan_pdf(request, object_id, kind: str):
    """Ask for any plan's document (drafts included) and go to its job's page."""
    plan = _staff_plan(request, object_id)
    if kind not in Kind.values:
        raise Http404
    job = request_plan_pdf(plan, kind, _language(request), request.user)
    return HttpResponseRedirect(job_url(plan, job))


def _staff_job(request, object_id, job_id) -> tuple[ActionPlan, RenderJob]:
    plan = _staff_plan(request, object_id)
    job = get_object_or_404(
        RenderJob.objects.without_result(),
        pk=job_id,
        target_id=plan.pk,
        kind__in=[*Kind.values, ADOPTED],
    )
    return plan, job


def admin_render_job(request, object_id, job_id, *, model_admin):
    """A job's page: its state (updated by a small script while it is pending), then the
    download."""
    plan, job = _staff_job(request, object_id, job_id)
    renderer = renders.renderer_for(job.kind)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": plan,
        "title": renderer.title(plan, job.language),
        "job": job,
        "status_text": renders.status_text(job),
        "status_url": job_url(plan, job, "_status"),
        "download_url": job_url(plan, job, "_download") if job.is_ready else "",
        "again_url": reverse("admin:actionplan_actionplan_pdf", args=[plan.pk, job.kind])
        + f"?language={job.language}"
        if job.kind in Kind.values
        else "",
        "plan_url": reverse("admin:actionplan_actionplan_change", args=[plan.pk]),
    }
    return TemplateResponse(request, "flemingsberg/admin/render_job.html", context)


def admin_render_job_status(request, object_id, job_id):
    _plan, job = _staff_job(request, object_id, job_id)
    return JsonResponse(
        {"status": job.status, "text": renders.status_text(job), "pending": job.is_pending}
    )


def admin_render_job_download(request, object_id, job_id):
    plan, job = _staff_job(request, object_id, job_id)
    if job.kind == ADOPTED:
        return HttpResponseRedirect(
            reverse("admin:actionplan_actionplan_stored_pdf", args=[plan.pk, job.language])
        )
    pdf = renders.ready_result(job)
    if pdf is None:
        return HttpResponseRedirect(job_url(plan, job))
    filename = renders.renderer_for(job.kind).filename(plan, job.language)
    return pdf_response(pdf, filename, attachment=True)


def admin_stored_pdf(request, object_id, language: str):
    """A document as stored at adoption, byte for byte, for staff who may export reports."""
    if not roles.may_export_reports(request.user):
        raise PermissionDenied
    document = get_object_or_404(
        AdoptedPlanDocument.objects.select_related("plan"), plan_id=object_id, language=language
    )
    filename = plan_pdf_filename(document.plan, Kind.ACTION_PLAN, language)
    if document.is_archival_copy:
        filename = filename.removesuffix(".pdf") + "-pdfa.pdf"
    return pdf_response(bytes(document.pdf), filename, attachment=True)
