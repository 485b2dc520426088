"""The admin's import and export pages of a plan's actions (see services.import_actions)."""

from __future__ import annotations

import base64
import binascii

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programme import roles

from . import services
from .models import Action, ActionPlan
from .resources import COLUMNS

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False)
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV (UTF-8)")]
    )
    # After a clean dry run the same bytes come back with the confirmation.
    payload = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("payload"):
            try:
                cleaned["data"] = base64.b64decode(cleaned["payload"], validate=True)
            except (binascii.Error, ValueError):
                raise forms.ValidationError(_("The confirmed file was damaged.")) from None
        elif cleaned.get("file"):
            cleaned["data"] = cleaned["file"].read()
        else:
            raise forms.ValidationError(_("Choose a file to import."))
        return cleaned


def import_view(model_admin, request, object_id):
    if not roles.import_scope(request.user, Action):
        raise PermissionDenied
    plan = get_object_or_404(ActionPlan, pk=object_id)
    report = None
    payload = ""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["data"]
        confirm = form.cleaned_data["confirm"]
        report = services.import_actions(
            plan=plan,
            by=request.user,
            data=data,
            file_format=form.cleaned_data["file_format"],
            dry_run=not confirm,
        )
        if report.imported:
            model_admin.message_user(
                request,
                gettext("Imported: %(new)d new and %(updated)d changed actions.")
                % {"new": report.new, "updated": report.updated},
                messages.SUCCESS,
            )
        elif report.ok:
            payload = base64.b64encode(data).decode("ascii")
        else:
            model_admin.message_user(
                request,
                gettext("Nothing was imported: correct the file and try again."),
                messages.ERROR,
            )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": gettext("Import actions into %(plan)s") % {"plan": plan},
        "plan": plan,
        "form": ImportForm(initial={"file_format": request.POST.get("file_format", "xlsx")}),
        "report": report,
        "payload": payload,
        "columns": COLUMNS,
    }
    return TemplateResponse(request, "actionplan/admin/import.html", context)


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
