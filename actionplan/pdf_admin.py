"""PDF export in the plan's admin: an admin action and buttons on the change page.

``ActionPlanAdmin`` includes :class:`PlanPDFAdminMixin` first among its bases; the mixin
adds URLs, an action and template context, and otherwise leaves the admin alone.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from flemingsberg.models import RenderJob
from programme import roles

from .models import AdoptedPlanDocument
from .pdf import Kind
from .pdf_views import (
    admin_plan_pdf,
    admin_render_job,
    admin_render_job_download,
    admin_render_job_status,
    admin_stored_pdf,
    job_url,
    request_plan_pdf,
)
from .renders import adopted_document_jobs, plans_adopted_here


@admin.action(description=_("Export the follow-up report (PDF)"), permissions=["export_reports"])
def export_follow_up_reports(modeladmin, request, queryset):
    """Ask the worker for each selected plan's follow-up report: one plan goes to its job's
    page, several are listed in a message with a link to each."""
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("sv", "en") else "sv"
    plans = list(queryset.select_related("programme")[:10])
    if not plans:
        modeladmin.message_user(request, gettext("No plan selected."), messages.WARNING)
        return None
    jobs = [
        (plan, request_plan_pdf(plan, Kind.FOLLOW_UP, language, request.user)) for plan in plans
    ]
    if len(jobs) == 1:
        plan, job = jobs[0]
        return HttpResponseRedirect(job_url(plan, job))
    links = format_html_join(
        ", ", '<a href="{}">{}</a>', ((job_url(plan, job), plan.year) for plan, job in jobs)
    )
    modeladmin.message_user(
        request,
        format_html(
            "{} {}",
            gettext("The follow-up reports are being made; each page shows when it is ready:"),
            links,
        ),
        messages.SUCCESS,
    )
    return None


class StoredDocumentInline(admin.TabularInline):
    """The documents stored at adoption, read-only: which is the archival copy, and its
    checksum (what ``export_archive`` checks before handing it over)."""

    model = AdoptedPlanDocument
    extra = 0
    can_delete = False
    fields = ["language", "variant", "download", "sha256", "size", "stored_at", "stored_by"]
    readonly_fields = fields
    verbose_name = _("stored document")
    verbose_name_plural = _("stored documents (as adopted; the PDF/A-3a copy is the archival one)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("admin:actionplan_actionplan_stored_pdf", args=[obj.plan_id, obj.language])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))


class PlanPDFAdminMixin:
    """Adds ``<id>/pdf/<kind>/`` and the export action's permission to the action plan admin
    (the admin lists :func:`export_follow_up_reports` among its actions)."""

    pdf_change_form_template = "actionplan/pdf/admin_plan_change_form.html"

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/pdf/<str:kind>/",
                self.admin_site.admin_view(admin_plan_pdf),
                name="actionplan_actionplan_pdf",
            ),
            path(
                "<int:object_id>/stored/<str:language>/",
                self.admin_site.admin_view(admin_stored_pdf),
                name="actionplan_actionplan_stored_pdf",
            ),
            path(
                "<int:object_id>/renders/<uuid:job_id>/",
                self.admin_site.admin_view(partial(admin_render_job, model_admin=self)),
                name="actionplan_actionplan_render",
            ),
            path(
                "<int:object_id>/renders/<uuid:job_id>/status/",
                self.admin_site.admin_view(admin_render_job_status),
                name="actionplan_actionplan_render_status",
            ),
            path(
                "<int:object_id>/renders/<uuid:job_id>/download/",
                self.admin_site.admin_view(admin_render_job_download),
                name="actionplan_actionplan_render_download",
            ),
        ]
        return urls + super().get_urls()

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and obj.is_frozen:
            inlines.append(StoredDocumentInline)
        return inlines

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._tell_about_adopted_documents(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _tell_about_adopted_documents(self, request, object_id) -> None:
        """An adopted plan whose document is not stored yet says so, and a failed render
        says what failed (the editors were also told by e-mail)."""
        if request.method != "GET" or not str(object_id).isdigit():
            return
        plan = plans_adopted_here().filter(pk=object_id).first()
        if plan is None:
            return
        stored = AdoptedPlanDocument.objects.filter(plan=plan).values_list("language", flat=True)
        if {"sv", "en"} <= set(stored):
            return
        jobs = adopted_document_jobs(plan)
        failed = [job for job in jobs if job.status == RenderJob.Status.FAILED]
        if failed:
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext(
                        "The adopted document could not be made (%(error)s). It is tried "
                        "again by the periodic check; the job's page shows its state:"
                    )
                    % {"error": failed[0].error[:200]},
                    job_url(plan, failed[0]),
                    gettext("the render"),
                ),
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                gettext(
                    "The adopted document is being prepared by the task worker; until it is "
                    "stored, the public PDF link says so."
                ),
                messages.WARNING,
            )
