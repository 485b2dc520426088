"""PDF export in the plan's admin: an admin action and buttons on the change page.

``ActionPlanAdmin`` includes :class:`PlanPDFAdminMixin` first among its bases; the mixin
adds URLs, an action and template context, and otherwise leaves the admin alone.
"""

from __future__ import annotations

import io
import zipfile

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.loader import select_template
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from flemingsberg.pdf import pdf_response
from programme import roles

from .pdf import Kind, plan_pdf, plan_pdf_filename
from .pdf_views import admin_plan_pdf


@admin.action(description=_("Export the follow-up report (PDF)"), permissions=["export_reports"])
def export_follow_up_reports(modeladmin, request, queryset):
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("sv", "en") else "sv"
    plans = list(queryset.select_related("programme")[:10])
    if not plans:
        modeladmin.message_user(request, gettext("No plan selected."), messages.WARNING)
        return None
    if len(plans) == 1:
        plan = plans[0]
        pdf = plan_pdf(plan, Kind.FOLLOW_UP, language)
        return pdf_response(pdf, plan_pdf_filename(plan, Kind.FOLLOW_UP, language), attachment=True)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for plan in plans:
            bundle.writestr(
                plan_pdf_filename(plan, Kind.FOLLOW_UP, language),
                plan_pdf(plan, Kind.FOLLOW_UP, language),
            )
    response = HttpResponse(archive.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="flemingsberg-2050-reports.zip"'
    return response


class PlanPDFAdminMixin:
    """Adds ``<id>/pdf/<kind>/`` and the export action's permission to the action plan admin
    (the admin lists :func:`export_follow_up_reports` among its actions)."""

    pdf_change_form_template = "actionplan/pdf/admin_plan_change_form.html"

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/pdf/<str:kind>/",
                self.admin_site.admin_view(admin_plan_pdf),
                name="actionplan_actionplan_pdf",
            ),
        ]
        return urls + super().get_urls()

    def has_export_reports_permission(self, request):
        return roles.may_export_reports(request.user)

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        response = super().render_change_form(request, context, add, change, **kwargs)
        if change and roles.may_export_reports(request.user):
            # A child of the admin's own change-form template that adds the PDF buttons.
            names = response.template_name
            names = [names] if isinstance(names, str) else names
            response.context_data["pdf_base_template"] = select_template(names).template
            response.context_data["pdf_kinds"] = Kind.choices
            response.template_name = self.pdf_change_form_template
        return response
