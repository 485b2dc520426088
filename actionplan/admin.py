"""Editing action plans in the admin.

Who may do what is ``programme.roles``, asked through ``programme.admin_rules`` (model
permission and object scope: a coordinator changes the actions their organisation leads or
is co-responsible for). Every staff user may *see* every action (the steering group reads
everything); a coordinator opening another party's action gets a read-only page, and a POST
is refused with 403. The admin classes here add the plans' lifecycle: what an adopted plan
freezes, and which plans take new actions.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from flemingsberg.edit_conflicts import EditConflictAdminMixin
from flemingsberg.history import ReadableHistoryAdmin
from programme import roles
from programme.admin_rules import RulesAdminMixin, RulesInlineMixin
from programme.models import Decision, Organisation

from . import services
from .importing import job_views, may_import
from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    CommunicationActivity,
    FollowUpUpdate,
    FundingContribution,
    PlanTransition,
)
from .pdf_admin import PlanPDFAdminMixin, export_follow_up_reports

STATE_FIELDS = ("status", "progress", "completed_on")


class DecisionInlineMixin:
    """An inline of rows that are part of the plan's decision: no adding, changing or
    deleting once the parent is adopted (the models refuse it too; see DecisionContent).
    Put before RulesInlineMixin: this narrows what the rules answer."""

    def _decided(self, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.is_decided()

    def has_add_permission(self, request, obj=None):
        return not self._decided(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._decided(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._decided(obj) and super().has_delete_permission(request, obj)


class DecisionFormMixin:
    """Refuses changes of an adopted decision's many-to-many fields, which the model's
    clean() cannot see (they are saved after the row); the rest is the model's check."""

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is not None:
            m2m = {
                name: cleaned[name]
                for name in instance.DECISION_FIELDS
                if name in cleaned and instance._meta.get_field(name).many_to_many
            }
            for name, errors in instance.decision_errors(m2m=m2m).items():
                if name in m2m:
                    self.add_error(name, errors)
        return cleaned


class FundingInline(DecisionInlineMixin, RulesInlineMixin, admin.TabularInline):
    model = FundingContribution
    extra = 0
    autocomplete_fields = ["organisation"]


class TransitionInline(RulesInlineMixin, admin.TabularInline):
    model = PlanTransition
    extra = 0
    can_delete = False
    fields = ["from_status", "to_status", "by", "at", "note"]
    readonly_fields = fields

    # The record of who moved the plan when: never written by hand.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Move to"), choices=ActionPlan.Status.choices)
    decision = forms.ModelChoiceField(
        label=_("Decision of the political coordination group"),
        queryset=Decision.objects.of_coordination_group().with_names(),
        required=False,
        help_text=_("Needed to adopt the plan; record the decision under Decisions first."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == ActionPlan.Status.ADOPTED:
            refusal = services.adoption_decision_refusal(cleaned.get("decision"))
            if refusal:
                self.add_error("decision", refusal)
        return cleaned


@admin.action(
    description=_("Create next year's draft plan from the selected plans"), permissions=["move"]
)
def roll_forward(modeladmin, request, queryset):
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
class ActionPlanAdmin(
    RulesAdminMixin,
    EditConflictAdminMixin,
    PlanPDFAdminMixin,
    ReadableHistoryAdmin,
    TranslationAdmin,
):
    list_display = ["title", "year", "programme", "status", "decision", "demo_marker"]
    list_filter = ["status", "programme", "is_demo"]
    list_select_related = ["programme", "decision__organisation"]
    search_fields = ["title", "notes"]
    inlines = [FundingInline, TransitionInline]
    actions = [roll_forward, export_follow_up_reports]
    history_related = ((_("funding"), FundingContribution.history, "plan_id"),)
    change_form_template = "actionplan/admin/plan_change_form.html"

    @admin.display(description=_("demo"), boolean=False)
    def demo_marker(self, obj):
        return "DEMO" if obj.is_demo else ""

    def has_move_permission(self, request):
        return roles.may_move_plans(request.user)

    def revert_refusal(self, request, obj):
        if obj.is_frozen:
            return gettext(
                "The plan %(plan)s is adopted: its content is the decision and is not reverted "
                "to an earlier version."
            ) % {"plan": obj}
        return None

    def get_readonly_fields(self, request, obj=None):
        # The state and the decision change only through a recorded transition (the
        # decision's English rendering may be added afterwards, on the decision itself).
        readonly = ["status", "decision", "predecessor"]
        if obj is not None:
            readonly += ["programme", "year", "is_demo"]
            if obj.is_decided():
                readonly += [f for f in ActionPlan.decision_columns() if f not in readonly]
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
            *job_views(self),
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
                can_transition=roles.may_move_plans(request.user),
                allowed_transitions=[ActionPlan.Status(s) for s in plan.allowed_transitions()],
                coordination_decisions=Decision.objects.of_coordination_group().with_names(),
                can_import=may_import(request.user),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id):
        """The lifecycle form's target; a refusal shows the form again with the message and
        what was chosen (``GET`` shows it empty)."""
        if not roles.may_move_plans(request.user):
            raise PermissionDenied
        plan = get_object_or_404(ActionPlan.objects.select_related("decision"), pk=object_id)
        if request.method == "POST":
            form = TransitionForm(request.POST)
            if form.is_valid():
                try:
                    services.transition_plan(plan=plan, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error(None, message)
                else:
                    self.message_user(
                        request,
                        gettext("The plan is now “%(status)s”.")
                        % {"status": ActionPlan.Status(form.cleaned_data["to_status"]).label},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:actionplan_actionplan_change", args=[plan.pk])
                    )
        else:
            form = TransitionForm(initial={"to_status": request.GET.get("to_status")})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "plan": plan,
            "original": plan,
            "form": form,
            "title": gettext("Move %(plan)s") % {"plan": plan},
        }
        return TemplateResponse(request, "actionplan/admin/plan_transition.html", context)

    def import_view(self, request, object_id):
        from .importing import import_view

        return import_view(self, request, object_id)

    def export_view(self, request, object_id, file_format):
        from .importing import export_view

        return export_view(self, request, object_id, file_format)


class ActionAdminForm(DecisionFormMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = "__all__"  # noqa: DJ007 – the admin's fieldsets decide what is shown

    def clean(self):
        cleaned = super().clean()
        if "goals" in self.fields and not cleaned.get("goals"):
            self.add_error("goals", _("Choose at least one development goal."))
        return cleaned


class ActionPartnerInline(DecisionInlineMixin, RulesInlineMixin, admin.TabularInline):
    model = ActionPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class FollowUpUpdateInline(RulesInlineMixin, TranslationTabularInline):
    """Follow-up is added, not rewritten: past updates change only by an editor
    (``programme.roles`` gives coordinators no change or delete on them)."""

    model = FollowUpUpdate
    extra = 0
    fields = ["date", "status", "progress", "text", "author"]
    readonly_fields = ["author"]

    def has_add_permission(self, request, obj=None):
        # Only an action of an adopted plan is followed up (roles.may_follow_up).
        return obj is not None and roles.may_follow_up(request.user, obj)


class PartyListFilter(admin.SimpleListFilter):
    """Actions a party leads or is co-responsible for (``ActionQuerySet.involving``, as the
    public pages' ``ActionFilter``). The list opens at the user's own organisation; "All
    parties" clears it (``party=all``, since no parameter at all means the default)."""

    title = _("party")
    parameter_name = "party"
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        self.default = None
        organisation_id = roles.organisation_id_of(request.user)
        if organisation_id is not None:
            self.default = str(organisation_id)
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [
            (str(pk), name)
            for pk, name in Organisation.objects.filter(is_party=True).values_list("pk", "name")
        ]

    def value(self):
        value = super().value()
        return self.default if value is None else value

    def choices(self, changelist):
        value = self.value()
        yield {
            "selected": value in (None, self.ALL),
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": _("All parties"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value in (None, self.ALL) or not value.isdigit():
            return queryset
        return queryset.involving(int(value))


@admin.register(Action)
class ActionAdmin(RulesAdminMixin, EditConflictAdminMixin, ReadableHistoryAdmin, TranslationAdmin):
    form = ActionAdminForm
    # Readable at 1280 px: who leads it, where it stands, and when it was last followed up.
    list_display = [
        "number",
        "title",
        "plan_year",
        "party",
        "status",
        "progress_shown",
        "last_update",
    ]
    list_display_links = ["number", "title"]
    list_filter = [PartyListFilter, "plan", "status"]
    list_select_related = ["plan", "lead_organisation"]
    search_fields = ["number", "title", "description", "contact_person"]
    autocomplete_fields = ["lead_organisation", "funder", "predecessor"]
    filter_horizontal = ["goals", "strategies", "sub_strategies"]
    inlines = [ActionPartnerInline, FollowUpUpdateInline]
    history_related = (
        (_("co-responsible organisations"), ActionPartner.history, "action_id"),
        (_("follow-up updates"), FollowUpUpdate.history, "action_id"),
    )

    def get_queryset(self, request):
        # The date of the latest follow-up, in the list's one query (a subquery per row).
        latest = FollowUpUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(last_update_on=Subquery(latest.values("date")[:1]))
        )

    @admin.display(description=_("plan"), ordering="plan__year")
    def plan_year(self, obj):
        # The year names the plan (one per year; the filter has the full titles).
        return f"{obj.plan.year} DEMO" if obj.plan.is_demo else str(obj.plan.year)

    @admin.display(description=_("party"), ordering="lead_organisation__name")
    def party(self, obj):
        if obj.lead_organisation is None:
            return gettext("The parties jointly")
        return obj.lead_organisation.display_name

    @admin.display(description=_("progress"), ordering="progress")
    def progress_shown(self, obj):
        return "–" if obj.progress is None else f"{obj.progress}\u00a0%"

    @admin.display(description=_("last update"), ordering="last_update_on")
    def last_update(self, obj):
        return getattr(obj, "last_update_on", None) or "–"

    def _may_modify(self, request, obj) -> bool:
        return roles.may(request.user, "change", Action, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.plan.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def revert_refusal(self, request, obj):
        if obj.plan.is_frozen:
            return gettext(
                "The plan %(plan)s is adopted: this action is part of the decision and is not "
                "reverted to an earlier version. Its follow-up goes on through updates."
            ) % {"plan": obj.plan}
        return None

    def get_readonly_fields(self, request, obj=None):
        readonly = []
        if obj is not None and obj.is_decided():
            readonly += Action.decision_columns()
        elif obj is not None and not roles.is_editor(request.user):
            # A coordinator keeps their actions in their party: no moving them elsewhere.
            readonly += ["plan", "lead_organisation"]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            kwargs["queryset"] = ActionPlan.objects.exclude(status__in=ActionPlan.FROZEN_STATUSES)
        elif db_field.name == "lead_organisation" and not roles.is_editor(request.user):
            kwargs["queryset"] = Organisation.objects.filter(
                pk=roles.organisation_id_of(request.user)
            )
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if not roles.is_editor(request.user):
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
                        "description, owners, goals, strategies, timeframe, budget and "
                        "funding are part of the decision and cannot change. Follow-up "
                        "(status, progress, updates) goes on: a change of status or "
                        "progress here is recorded as a follow-up update in your name."
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

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, FollowUpUpdate) and instance.author_id is None:
                instance.author = request.user
            instance._history_user = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        action = form.instance
        follow_ups_saved = any(
            formset.model is FollowUpUpdate
            and (formset.new_objects or formset.changed_objects or formset.deleted_objects)
            for formset in formsets
        )
        state_changed = change and any(name in form.changed_data for name in STATE_FIELDS)
        if state_changed and roles.may_follow_up(request.user, action):
            # The latest follow-up is the action's current state: record the change as
            # one (who, when) so that it is kept, instead of being undone below.
            services.add_follow_up(
                action=action,
                by=request.user,
                date=timezone.localdate(),
                status=action.status,
                progress=action.progress,
            )
        elif follow_ups_saved:
            action.refresh_current_state()

    def get_search_results(self, request, queryset, search_term):
        # The autocompletes that pick actions (Django's autocomplete view names the field
        # asking) offer what the rules allow: "Follow-up update › action" what the user may
        # follow up; every other (a communication activity's actions, an action's
        # predecessor) what the user may see. One page of results, never the whole table.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("app_label") == "actionplan" and request.GET.get("field_name"):
            if request.GET.get("model_name") == "followupupdate":
                allowed = Action.objects.followable_by(request.user)
            else:
                allowed = Action.objects.visible_to(request.user)
            queryset = queryset.filter(pk__in=allowed.values("pk"))
        return queryset, may_have_duplicates


class FollowUpUpdateAdminForm(forms.ModelForm):
    """The user is set by the admin (``get_form``): a refusal is a message on the action
    field, and everything typed stays in the form."""

    user = None

    class Meta:
        model = FollowUpUpdate
        fields = "__all__"  # noqa: DJ007 – the admin decides what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "action" in self.fields:
            self.fields["action"].queryset = Action.objects.followable_by(self.user)
            self.fields["action"].error_messages["invalid_choice"] = _(
                "You may not follow up this action: follow-up is recorded on actions of an "
                "adopted plan, by their lead party, their co-responsible organisations and "
                "programme editors."
            )


@admin.register(FollowUpUpdate)
class FollowUpUpdateAdmin(
    RulesAdminMixin, EditConflictAdminMixin, ReadableHistoryAdmin, TranslationAdmin
):
    form = FollowUpUpdateAdminForm
    list_display = ["action", "date", "status", "progress", "no_change", "author"]
    list_filter = ["status", "no_change"]
    list_select_related = ["action", "author"]
    search_fields = ["action__title", "text"]
    # A "no change" mark is made on the round's page (rounds.record_no_change), which keeps
    # status and progress as they are; never ticked here beside a changed status.
    readonly_fields = ["author", "no_change"]
    autocomplete_fields = ["action"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("action")  # a correction does not move it to another action
        return readonly

    def has_change_permission(self, request, obj=None):
        # Editors change every follow-up; an author corrects their own (roles).
        if super().has_change_permission(request, obj):
            return True
        return obj is not None and roles.may_correct_follow_up(request.user, obj)

    def save_scope(self, request, obj=None):
        if obj is not None and roles.may_correct_follow_up(request.user, obj):
            return roles.EVERYTHING  # this one row, which has_change_permission allowed
        return super().save_scope(request, obj)

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        obj.action.refresh_current_state()


class CommunicationActivityForm(DecisionFormMixin, forms.ModelForm):
    class Meta:
        model = CommunicationActivity
        fields = "__all__"  # noqa: DJ007 – the admin decides what is shown

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan") or (self.instance.plan if self.instance.plan_id else None)
        if plan is not None:
            # An activity of one plan communicates that plan's actions: linking another
            # plan's (a draft's) actions would put them on the public communication plan.
            foreign = [a for a in cleaned.get("actions") or () if a.plan_id != plan.pk]
            if foreign:
                self.add_error(
                    "actions",
                    gettext("Only actions of the plan %(plan)s can be linked; not: %(actions)s.")
                    % {"plan": plan, "actions": ", ".join(str(a) for a in foreign)},
                )
            goals = [g for g in cleaned.get("goals") or () if g.programme_id != plan.programme_id]
            if goals:
                self.add_error(
                    "goals", gettext("Only goals of the plan's programme can be linked.")
                )
        return cleaned


@admin.register(CommunicationActivity)
class CommunicationActivityAdmin(
    RulesAdminMixin, EditConflictAdminMixin, ReadableHistoryAdmin, TranslationAdmin
):
    form = CommunicationActivityForm
    list_display = ["title", "plan", "responsible_organisation", "timing", "status"]
    list_filter = ["plan", "status"]
    list_select_related = ["plan", "responsible_organisation"]
    search_fields = ["title", "message"]
    filter_horizontal = ["goals"]
    # A plan has thousands of actions: picked by number or title, never listed in full.
    autocomplete_fields = ["actions"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_decided():
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_decided():
            readonly += CommunicationActivity.decision_columns()
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible_organisation" and not roles.is_editor(request.user):
            kwargs["queryset"] = Organisation.objects.filter(
                pk=roles.organisation_id_of(request.user)
            )
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Follow-up rounds: opened, signed off and closed in their own admin module.
from . import round_admin  # noqa: E402, F401
