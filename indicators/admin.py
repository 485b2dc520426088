"""Sub-targets and their measurements in the admin.

Who may do what is ``programme.roles`` (through ``programme.admin_rules``): programme
editors change every sub-target and publish values; a coordinator enters the measurements
of the sub-targets their organisation measures, as drafts an editor reviews and publishes.
Coordinators see every sub-target, but its own fields stay read-only for them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from flemingsberg.admin_deletes import ProtectedDeleteAdminMixin
from flemingsberg.edit_conflicts import EditConflictAdminMixin
from flemingsberg.history import ReadableHistoryAdmin
from programme import roles
from programme.admin_rules import RulesAdminMixin, RulesInlineMixin, publish, unpublish

from . import importing
from .models import Assessment, Measurement, SubTarget


class MeasurementForm(forms.ModelForm):
    """A published value has been reviewed: only those who publish change or delete it (a
    refusal is an error on the row, the input stays). ``user`` is set by the admin."""

    user = None

    class Meta:
        model = Measurement
        fields = "__all__"  # noqa: DJ007 – the admin decides what is shown

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if (
            instance.pk is not None
            and instance.is_published
            and not roles.may_publish(self.user, Measurement)
            and (self.has_changed() or cleaned.get("DELETE"))
        ):
            raise forms.ValidationError(
                _(
                    "The value for %(year)s is published (reviewed by a programme editor): "
                    "only a programme editor changes or deletes it. Ask one to correct it."
                )
                % {"year": instance.period_year}
            )
        return cleaned


def _form_for(form_class, request):
    return type(form_class.__name__, (form_class,), {"user": request.user})


class MeasurementInline(RulesInlineMixin, admin.TabularInline):
    model = Measurement
    form = MeasurementForm
    extra = 1
    fields = [
        "period_year",
        "period_date",
        "value",
        "source_note",
        "is_published",
        "entered_by",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = ["entered_by", "reviewed_by", "reviewed_at"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _form_for(formset.form, request)
        return formset

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not roles.may_publish(request.user, Measurement):
            readonly.append("is_published")  # publishing a value is the editors' review
        return readonly


class AssessmentInline(RulesInlineMixin, TranslationStackedInline):
    """ "Når vi målet?" on the sub-target's page. Who may add or change one is the model
    permissions of the role (``programme/roles.py``): programme editors; the others view."""

    model = Assessment
    extra = 0
    fields = [
        "assessed_on",
        "verdict",
        "trend",
        "what_is_done",
        "what_is_needed",
        "author_organisation",
        "is_published",
    ]
    autocomplete_fields = ["author_organisation"]


@admin.register(SubTarget)
class SubTargetAdmin(
    RulesAdminMixin,
    ProtectedDeleteAdminMixin,
    EditConflictAdminMixin,
    ReadableHistoryAdmin,
    TranslationAdmin,
):
    list_display = ["statement", "goal", "kind", "measuring_organisation", "status", "is_published"]
    list_filter = ["goal__programme", "goal", "kind", "measuring_organisation", "is_published"]
    list_select_related = ["goal", "measuring_organisation"]
    search_fields = ["statement", "slug", "indicator_name"]
    autocomplete_fields = ["measuring_organisation"]
    actions = [publish, unpublish]
    inlines = [MeasurementInline, AssessmentInline]
    history_related = ((_("measurements"), Measurement.history, "sub_target_id"),)

    def get_queryset(self, request):
        # The status column reads the published measurements: one prefetch, not one per row.
        return super().get_queryset(request).with_published_measurements()

    @admin.display(description=_("status"))
    def status(self, obj: SubTarget) -> str:
        return obj.progress.status.label

    def _edits_sub_target(self, request, obj=None) -> bool:
        return roles.may(request.user, "change", SubTarget, obj)

    def has_change_permission(self, request, obj=None):
        # The change page is also where a coordinator enters their sub-target's values.
        return self._edits_sub_target(request, obj) or roles.may_enter_measurements(
            request.user, obj
        )

    def save_scope(self, request, obj=None):
        if obj is not None and not self._edits_sub_target(request, obj):
            # Saving only the inline's values: the sub-target's own fields are read-only.
            return roles.measurement_scope(request.user)
        return super().save_scope(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self._edits_sub_target(request, obj):
            return super().get_readonly_fields(request, obj)
        # A coordinator enters measurements; the sub-target itself is the editors' text.
        translated = {
            field.name.rsplit("_", 1)[0]
            for field in self.model._meta.fields
            if field.name.endswith(("_sv", "_en"))
        }
        return [
            field.name
            for field in self.model._meta.fields
            if field.editable and not field.primary_key and field.name not in translated
        ]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Measurement) and instance.pk is None:
                instance.entered_by = request.user
            instance._history_user = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Measurement)
class MeasurementAdmin(RulesAdminMixin, EditConflictAdminMixin, ReadableHistoryAdmin):
    """Measurements one by one, their history, and the import of a CSV or XLSX file.

    The import (``indicators.importing``, on ``flemingsberg.imports``) checks every row in a
    dry run first; the confirm step is offered only when no row is bad, and the import
    itself is all or nothing as well.
    """

    change_list_template = "indicators/admin/measurement_change_list.html"
    form = MeasurementForm
    list_display = [
        "sub_target",
        "period_year",
        "value",
        "source_note",
        "is_published",
        "reviewed_by",
        "reviewed_at",
    ]
    list_filter = ["sub_target__goal", "sub_target", "is_published", "period_year"]
    list_select_related = ["sub_target", "reviewed_by"]
    search_fields = ["sub_target__slug", "source_note"]
    readonly_fields = ["entered_by", "entered_at", "reviewed_by", "reviewed_at"]
    actions = [publish, unpublish]

    def has_import_permission(self, request):
        return importing.may_import(request.user)

    def get_urls(self):
        return importing.admin_urls(self) + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not roles.may_publish(request.user, Measurement):
            readonly.append("is_published")  # publishing a value is the editors' review
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _form_for(super().get_form(request, obj, change=change, **kwargs), request)

    def has_delete_permission(self, request, obj=None):
        if (
            obj is not None
            and obj.is_published
            and not roles.may_publish(request.user, Measurement)
        ):
            return False  # a reviewed value: an editor corrects it
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sub_target":
            kwargs["queryset"] = SubTarget.objects.modifiable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Assessment)
class AssessmentAdmin(RulesAdminMixin, SimpleHistoryAdmin, TranslationAdmin):
    """Every assessment, its history (who changed what, and when), publishing."""

    list_display = ["sub_target", "assessed_on", "verdict", "trend", "author_organisation"]
    list_display += ["is_published"]
    list_filter = ["verdict", "trend", "is_published", "author_organisation", "sub_target__goal"]
    list_select_related = ["sub_target", "author_organisation"]
    search_fields = ["sub_target__slug", "sub_target__statement", "what_is_done"]
    autocomplete_fields = ["sub_target", "author_organisation"]
    date_hierarchy = "assessed_on"
    readonly_fields = ["created_at", "updated_at"]
    actions = [publish, unpublish]
