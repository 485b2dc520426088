"""Sub-targets and their measurements in the admin.

Who may change what is decided by ``SubTarget.objects.modifiable_by(user)``: programme
editors every sub-target, a coordinator those their organisation measures. Coordinators
see every sub-target (view permission) but change only their own, and only its
measurements: the sub-target's own fields stay read-only for them.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TranslationAdmin

from flemingsberg.edit_conflicts import EditConflictAdminMixin
from flemingsberg.history import ReadableHistoryAdmin
from programme.admin import publish, unpublish

from .models import Measurement, SubTarget
from .resources import MeasurementResource

CHANGE_SUB_TARGET = "indicators.change_subtarget"


def _may_modify(request, sub_target: SubTarget | None) -> bool:
    if sub_target is None:
        return True
    return SubTarget.objects.modifiable_by(request.user).filter(pk=sub_target.pk).exists()


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 1
    fields = ["period_year", "period_date", "value", "source_note", "is_published", "entered_by"]
    readonly_fields = ["entered_by"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _may_modify(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_modify(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_modify(request, obj)


@admin.register(SubTarget)
class SubTargetAdmin(EditConflictAdminMixin, ReadableHistoryAdmin, TranslationAdmin):
    list_display = ["statement", "goal", "kind", "measuring_organisation", "status", "is_published"]
    list_filter = ["goal__programme", "goal", "kind", "measuring_organisation", "is_published"]
    list_select_related = ["goal", "measuring_organisation"]
    search_fields = ["statement", "slug", "indicator_name"]
    autocomplete_fields = ["measuring_organisation"]
    actions = [publish, unpublish]
    inlines = [MeasurementInline]
    history_related = ((_("measurements"), Measurement.history, "sub_target_id"),)

    def get_queryset(self, request):
        # The status column reads the published measurements: one prefetch, not one per row.
        return super().get_queryset(request).with_published_measurements()

    @admin.display(description=_("status"))
    def status(self, obj: SubTarget) -> str:
        return obj.progress.status.label

    def has_change_permission(self, request, obj=None):
        user = request.user
        if not (user.has_perm(CHANGE_SUB_TARGET) or user.has_perm("indicators.change_measurement")):
            return False
        return _may_modify(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm(CHANGE_SUB_TARGET):
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

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(CHANGE_SUB_TARGET):
            actions.pop("publish", None)
            actions.pop("unpublish", None)
        return actions

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Measurement) and instance.pk is None:
                instance.entered_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Measurement)
class MeasurementAdmin(EditConflictAdminMixin, ImportMixin, ReadableHistoryAdmin):
    """Measurements one by one, their history, and the import of a CSV or XLSX file.

    The import checks every row in a dry run first; the confirm step is offered only when
    no row is bad, and the import itself is all or nothing as well.
    """

    resource_classes = [MeasurementResource]
    import_formats = [CSV, XLSX]
    list_display = ["sub_target", "period_year", "value", "source_note", "is_published"]
    list_filter = ["sub_target__goal", "sub_target", "is_published", "period_year"]
    list_select_related = ["sub_target"]
    search_fields = ["sub_target__slug", "source_note"]
    readonly_fields = ["entered_by", "entered_at"]
    actions = [publish, unpublish]

    def has_import_permission(self, request):
        return request.user.has_perm("indicators.add_measurement")

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_modify(
            request, obj.sub_target if obj else None
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_modify(
            request, obj.sub_target if obj else None
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "sub_target":
            kwargs["queryset"] = SubTarget.objects.modifiable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request):
        # Publishing acts on the selection: restrict it to what the user may change.
        actions = super().get_actions(request)
        for name in ("publish", "unpublish"):
            if name in actions:
                func, action_name, description = actions[name]
                actions[name] = (_scoped(func), action_name, description)
        return actions

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


def _scoped(action):
    def scoped(modeladmin, request, queryset):
        return action(modeladmin, request, queryset.modifiable_by(request.user))

    return scoped
