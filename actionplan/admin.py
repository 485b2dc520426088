"""Editing action plans in the admin.

Who may change what is decided by ``Action.objects.modifiable_by(user)`` (object level)
on top of the role's model permissions (``programme/roles.py``). Every staff user may
*see* every action (the steering group reads everything); a coordinator opening another
party's action gets a read-only page, and a POST is refused with 403 (Django's
changeform refuses a POST without change permission). ``save_model`` checks again.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from programme.models import Organisation

from . import services
from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    CommunicationActivity,
    FollowUpUpdate,
    FundingContribution,
    PlanTransition,
    is_programme_editor,
    membership_of,
)
from .pdf_admin import PlanPDFAdminMixin

FROZEN_ACTION_FIELDS = (
    "number",
    "title_sv",
    "title_en",
    "description_sv",
    "description_en",
    "lead_organisation",
    "goals",
    "strategies",
    "sub_strategies",
    "plan",
)


def _own_organisation_id(request) -> int | None:
    membership = membership_of(request.user)
    return membership.organisation_id if membership else None


class FundingInline(admin.TabularInline):
    model = FundingContribution
    extra = 0
    autocomplete_fields = ["organisation"]


class TransitionInline(admin.TabularInline):
    model = PlanTransition
    extra = 0
    can_delete = False
    fields = ["from_status", "to_status", "by", "at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=ActionPlan.Status.choices)
    decision_date = forms.DateField(required=False)
    decision_body = forms.CharField(required=False, max_length=200)
    decision_reference = forms.CharField(required=False, max_length=200)
    note = forms.CharField(required=False, max_length=300)


@admin.action(description=_("Create next year's draft plan from the selected plans"))
def roll_forward(modeladmin, request, queryset):
    if not services.can_transition(request.user):
        raise PermissionDenied
    for plan in queryset:
        try:
            new_plan, count = services.plan_roll_forward(plan=plan, by=request.user)
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            continue
        modeladmin.message_user(
            request,
            gettext("Created the draft plan %(plan)s; %(count)d actions were carried over.")
            % {"plan": new_plan, "count": count},
            messages.SUCCESS,
        )


@admin.register(ActionPlan)
class ActionPlanAdmin(PlanPDFAdminMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "year", "programme", "status", "decision_date", "demo_marker"]
    list_filter = ["status", "programme", "is_demo"]
    list_select_related = ["programme"]
    search_fields = ["title", "notes"]
    inlines = [FundingInline, TransitionInline]
    actions = [roll_forward]
    change_form_template = "actionplan/admin/plan_change_form.html"

    @admin.display(description=_("demo"), boolean=False)
    def demo_marker(self, obj):
        return "DEMO" if obj.is_demo else ""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not services.can_transition(request.user):
            actions.pop("roll_forward", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        # The state and the decision change only through a recorded transition (its English
        # rendering, decision_body_en and decision_reference_en, may be added afterwards).
        readonly = [
            "status",
            "decision_date",
            "decision_body_sv",
            "decision_reference_sv",
            "predecessor",
        ]
        if obj is not None:
            readonly += ["programme", "year", "is_demo"]
            if obj.is_frozen:
                readonly += ["title_sv", "title_en"]
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="actionplan_actionplan_transition",
            ),
            path(
                "<path:object_id>/import/",
                self.admin_site.admin_view(self.import_view),
                name="actionplan_actionplan_import",
            ),
            path(
                "<path:object_id>/export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="actionplan_actionplan_export",
            ),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        plan = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if plan is not None:
            extra_context.update(
                plan=plan,
                can_transition=services.can_transition(request.user),
                allowed_transitions=[ActionPlan.Status(s) for s in plan.allowed_transitions()],
                can_import=request.user.has_perm("actionplan.add_action")
                or request.user.has_perm("actionplan.change_action"),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not services.can_transition(request.user):
            raise PermissionDenied
        plan = get_object_or_404(ActionPlan, pk=object_id)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            self.message_user(request, form.errors.as_text(), messages.ERROR)
        else:
            try:
                services.transition_plan(plan=plan, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("The plan is now “%(status)s”.")
                    % {"status": ActionPlan.Status(form.cleaned_data["to_status"]).label},
                    messages.SUCCESS,
                )
        return HttpResponseRedirect(reverse("admin:actionplan_actionplan_change", args=[plan.pk]))

    def import_view(self, request, object_id):
        from .importing import import_view

        return import_view(self, request, object_id)

    def export_view(self, request, object_id, file_format):
        from .importing import export_view

        return export_view(self, request, object_id, file_format)


class ActionAdminForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = "__all__"  # noqa: DJ007 – the admin's fieldsets decide what is shown

    def clean(self):
        cleaned = super().clean()
        if "goals" in self.fields and not cleaned.get("goals"):
            self.add_error("goals", _("Choose at least one development goal."))
        return cleaned


class ActionPartnerInline(admin.TabularInline):
    model = ActionPartner
    extra = 0
    autocomplete_fields = ["organisation"]

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.plan.is_frozen

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class FollowUpUpdateInline(TranslationTabularInline):
    """Follow-up is added, not rewritten: past updates change only by an editor."""

    model = FollowUpUpdate
    extra = 0
    fields = ["date", "status", "progress", "text", "author"]
    readonly_fields = ["author"]

    def has_change_permission(self, request, obj=None):
        return is_programme_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_programme_editor(request.user)


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    form = ActionAdminForm
    list_display = ["number", "title", "plan", "lead_organisation", "status", "progress"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "status", "lead_organisation"]
    list_select_related = ["plan", "lead_organisation"]
    search_fields = ["number", "title", "description", "contact_person"]
    autocomplete_fields = ["lead_organisation", "funder", "predecessor"]
    filter_horizontal = ["goals", "strategies", "sub_strategies"]
    inlines = [ActionPartnerInline, FollowUpUpdateInline]

    def get_queryset(self, request):
        # Everyone with view permission sees every action (steering reads all); what each
        # may change is narrowed per object below, with the same modifiable_by().
        return super().get_queryset(request)

    def _may_modify(self, request, obj) -> bool:
        return Action.objects.modifiable_by(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._may_modify(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        return not obj.plan.is_frozen and self._may_modify(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = []
        if obj is not None and obj.plan.is_frozen:
            readonly += FROZEN_ACTION_FIELDS
        elif obj is not None and not is_programme_editor(request.user):
            # A coordinator keeps their actions in their party: no moving them elsewhere.
            readonly += ["plan", "lead_organisation"]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            kwargs["queryset"] = ActionPlan.objects.exclude(status__in=ActionPlan.FROZEN_STATUSES)
        elif db_field.name == "lead_organisation" and not is_programme_editor(request.user):
            kwargs["queryset"] = Organisation.objects.filter(pk=_own_organisation_id(request))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if not is_programme_editor(request.user):
            # A restricted choice list: a plain select shows exactly the own party.
            fields = [name for name in fields if name != "lead_organisation"]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            if obj.plan.is_frozen:
                self.message_user(
                    request,
                    gettext(
                        "The plan %(plan)s is adopted: the action's number, title, "
                        "description, owners and goals are part of the decision and cannot "
                        "change. Follow-up (status, progress, updates) goes on."
                    )
                    % {"plan": obj.plan},
                    messages.INFO,
                )
            if not self._may_modify(request, obj):
                self.message_user(
                    request,
                    gettext(
                        "You can read this action but not change it: only its lead party, "
                        "its co-responsible organisations and programme editors can."
                    ),
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # The second line of defence behind has_change_permission and the form's choices.
        if not is_programme_editor(request.user):
            if change and not self._may_modify(request, obj):
                raise PermissionDenied
            if not change and obj.lead_organisation_id != _own_organisation_id(request):
                raise PermissionDenied
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, FollowUpUpdate) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_current_state()


@admin.register(FollowUpUpdate)
class FollowUpUpdateAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["action", "date", "status", "progress", "author"]
    list_filter = ["status"]
    list_select_related = ["action", "author"]
    search_fields = ["action__title", "text"]
    readonly_fields = ["author"]
    autocomplete_fields = ["action"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request, obj)
        return is_programme_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_programme_editor(request.user) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not Action.objects.modifiable_by(request.user).filter(pk=obj.action_id).exists():
            raise PermissionDenied
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        obj.action.refresh_current_state()


@admin.register(CommunicationActivity)
class CommunicationActivityAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "plan", "responsible_organisation", "timing", "status"]
    list_filter = ["plan", "status"]
    list_select_related = ["plan", "responsible_organisation"]
    search_fields = ["title", "message"]
    filter_horizontal = ["goals", "actions"]

    def _may_modify(self, request, obj) -> bool:
        return CommunicationActivity.objects.modifiable_by(request.user).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._may_modify(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self._may_modify(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible_organisation" and not is_programme_editor(request.user):
            kwargs["queryset"] = Organisation.objects.filter(pk=_own_organisation_id(request))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not is_programme_editor(request.user) and (
            obj.responsible_organisation_id != _own_organisation_id(request)
            or (change and not self._may_modify(request, obj))
        ):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
