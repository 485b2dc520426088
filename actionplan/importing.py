"""The admin's import and export of a plan's actions.

The import goes through ``flemingsberg.imports`` (upload, dry run with the changes per row,
confirmation, as a task when the file is large); this module says what is imported into what,
and who may.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from flemingsberg import imports
from flemingsberg.models import ImportJob
from programme import roles

from . import services
from .models import Action, ActionPlan
from .resources import COLUMNS, REQUIRED_COLUMNS, ActionResource

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
TEMPLATE_UPLOAD = "actionplan/admin/import.html"
TEMPLATE_JOB = "actionplan/admin/import_job.html"


def may_import(user) -> bool:
    """Who may import at all; which actions a row may touch is the same scope, per row."""
    return bool(roles.import_scope(user, Action))


class ActionImporter(imports.Importer):
    kind = ImportJob.Kind.ACTIONS
    columns = COLUMNS
    required_columns = REQUIRED_COLUMNS

    def may_import(self, user, target) -> bool:
        return may_import(user)

    def get_target(self, target_id):
        return ActionPlan.objects.select_related("programme").get(pk=target_id)

    def refusal(self, target) -> str | None:
        if target.is_frozen:
            return gettext(
                "The plan %(plan)s is adopted: its actions are part of the decision and cannot "
                "be imported into. Import into a draft plan instead."
            ) % {"plan": target}
        return None

    def resource(self, *, target, user, table):
        return ActionResource(plan=target, user=user, line_numbers=table.line_numbers)

    def upload_url(self, target) -> str:
        return reverse("admin:actionplan_actionplan_import", args=[target.pk])

    def done_url(self, target) -> str:
        return reverse("admin:actionplan_actionplan_change", args=[target.pk])

    def title(self, target) -> str:
        return gettext("Import actions into %(plan)s") % {"plan": target}

    def url_name(self, target, suffix: str):
        return f"admin:actionplan_actionplan_{suffix}", [target.pk]


importer = ActionImporter()


def _plan(request, object_id) -> ActionPlan:
    if not may_import(request.user):
        raise PermissionDenied
    return get_object_or_404(ActionPlan, pk=object_id)


def import_view(model_admin, request, object_id):
    plan = _plan(request, object_id)
    return imports.upload_view(
        model_admin, request, importer=importer, target=plan, template=TEMPLATE_UPLOAD
    )


def job_views(model_admin):
    """The job page and its actions, for ``ActionPlanAdmin.get_urls``."""

    def view_for(name):
        def view(request, object_id, job_id):
            plan = _plan(request, object_id)
            if name == "job":
                return imports.job_view(
                    model_admin, request, job_id, importer=importer, target=plan,
                    template=TEMPLATE_JOB,
                )  # fmt: skip
            function = getattr(imports, f"{name}_view")
            return function(model_admin, request, job_id, importer=importer, target=plan)

        return view

    return imports.admin_urls(
        model_admin, "<path:object_id>/import/", "actionplan_actionplan", view_for
    )


def export_view(model_admin, request, object_id, file_format):
    if not roles.may_view(request.user, Action):
        raise PermissionDenied
    if file_format not in services.FILE_FORMATS:
        raise Http404
    plan = get_object_or_404(ActionPlan, pk=object_id)
    content = services.export_actions(plan=plan, file_format=file_format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    demo = "-demo" if plan.is_demo else ""
    response["Content-Disposition"] = (
        f'attachment; filename="action-plan-{plan.year}{demo}.{file_format}"'
    )
    return response
