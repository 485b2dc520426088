"""Serving the action plan PDFs: public for adopted plans, every report for staff.

* ``plan_pdf`` (public): the action plan of an adopted or superseded year. The copy
  stored at adoption (``AdoptedPlanDocument``) is served when there is one, so readers
  get exactly the document that was decided on; otherwise a render of the plan as it is.
* ``admin_plan_pdf`` (admin, see ``pdf_admin.py``): the action plan or the follow-up report
  of any plan, drafts included, for those ``programme.roles.may_export_reports`` allows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.decorators.http import require_GET

from flemingsberg.pdf import pdf_response
from programme import roles

from .models import ActionPlan, AdoptedPlanDocument
from .pdf import Kind, plan_pdf, plan_pdf_filename


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


@require_GET
def public_plan_pdf(request, year: int):
    plan = _get_public_plan_or_404(year)
    language = translation.get_language()
    stored = AdoptedPlanDocument.objects.filter(plan=plan, language=language).only("pdf").first()
    pdf = bytes(stored.pdf) if stored is not None else plan_pdf(plan, Kind.ACTION_PLAN, language)
    return pdf_response(
        pdf, plan_pdf_filename(plan, Kind.ACTION_PLAN, language), public=True, max_age=3600
    )


def admin_plan_pdf(request, object_id, kind: str):
    """Any plan's document for staff who may export reports (drafts included)."""
    if not roles.may_export_reports(request.user):
        raise PermissionDenied
    if kind not in Kind.values:
        raise Http404
    plan = get_object_or_404(ActionPlan.objects.select_related("programme"), pk=object_id)
    language = request.GET.get("language") or translation.get_language()
    if language not in ("sv", "en"):
        language = "sv"
    pdf = plan_pdf(plan, kind, language)
    return pdf_response(pdf, plan_pdf_filename(plan, kind, language), attachment=True)
