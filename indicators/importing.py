"""The admin's import of measurements (through ``flemingsberg.imports``): what is imported,
and who may. Which sub-targets a user enters values for is ``SubTarget.objects.modifiable_by``,
checked per row by the resource."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from flemingsberg import imports
from flemingsberg.models import ImportJob
from programme import roles

from .resources import MeasurementResource

TEMPLATE_UPLOAD = "indicators/admin/import.html"
TEMPLATE_JOB = "indicators/admin/import_job.html"


def may_import(user) -> bool:
    """Who may import at all (``programme.roles``); which sub-targets, per row."""
    from .models import Measurement

    return bool(roles.import_scope(user, Measurement))


class MeasurementImporter(imports.Importer):
    kind = ImportJob.Kind.MEASUREMENTS
    columns = ("sub_target", "period_year", "period_date", "value", "source_note")
    required_columns = ("sub_target", "period_year", "value")
    optional_columns_ignored = ("goal", "indicator", "unit")  # the download's, read past

    def may_import(self, user, target) -> bool:
        return may_import(user)

    def resource(self, *, target, user, table):
        return MeasurementResource(user=user)

    def upload_url(self, target) -> str:
        return reverse("admin:indicators_measurement_import")

    def done_url(self, target) -> str:
        return reverse("admin:indicators_measurement_changelist")

    def title(self, target) -> str:
        return gettext("Import measurements")

    def url_name(self, target, suffix: str):
        return f"admin:indicators_measurement_{suffix}", []


importer = MeasurementImporter()


def admin_urls(model_admin) -> list:
    from django.core.exceptions import PermissionDenied
    from django.urls import path

    def upload(request):
        if not may_import(request.user):
            raise PermissionDenied
        return imports.upload_view(
            model_admin, request, importer=importer, target=None, template=TEMPLATE_UPLOAD
        )

    def view_for(name):
        def view(request, job_id):
            if name == "job":
                return imports.job_view(
                    model_admin, request, job_id, importer=importer, target=None,
                    template=TEMPLATE_JOB,
                )  # fmt: skip
            function = getattr(imports, f"{name}_view")
            return function(model_admin, request, job_id, importer=importer, target=None)

        return view

    return [
        path(
            "import/",
            model_admin.admin_site.admin_view(upload),
            name="indicators_measurement_import",
        ),
        *imports.admin_urls(model_admin, "import/", "indicators_measurement", view_for),
    ]
