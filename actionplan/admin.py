"""Editing action plans in the admin.

Who may change what is decided by ``Action.objects.modifiable_by(user)`` (object level)
on top of the role's model permissions (``programme/roles.py``). Every staff user may
*see* every action; a coordinator opening another party's action gets a read-only page
and a 403 on POST (Django's changeform refuses a POST without change permission).
"""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    CommunicationActivity,
    FollowUpUpdate,
    FundingContribution,
    PlanTransition,
)


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


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "year", "programme", "status", "decision_date", "is_demo"]
    list_filter = ["status", "programme", "is_demo"]
    list_select_related = ["programme"]
    search_fields = ["title", "notes"]
    inlines = [FundingInline, TransitionInline]


class ActionPartnerInline(admin.TabularInline):
    model = ActionPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class FollowUpUpdateInline(TranslationTabularInline):
    model = FollowUpUpdate
    extra = 0
    fields = ["date", "status", "progress", "text", "author"]
    readonly_fields = ["author"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "title", "plan", "lead_organisation", "status", "progress"]
    list_display_links = ["number", "title"]
    list_filter = ["plan", "status", "lead_organisation"]
    list_select_related = ["plan", "lead_organisation"]
    search_fields = ["number", "title", "description", "contact_person"]
    autocomplete_fields = ["lead_organisation", "funder", "predecessor"]
    filter_horizontal = ["goals", "strategies", "sub_strategies"]
    inlines = [ActionPartnerInline, FollowUpUpdateInline]


@admin.register(FollowUpUpdate)
class FollowUpUpdateAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["action", "date", "status", "progress", "author"]
    list_filter = ["status"]
    list_select_related = ["action", "author"]
    search_fields = ["action__title", "text"]


@admin.register(CommunicationActivity)
class CommunicationActivityAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "plan", "responsible_organisation", "timing", "status"]
    list_filter = ["plan", "status"]
    list_select_related = ["plan", "responsible_organisation"]
    search_fields = ["title", "message"]
    filter_horizontal = ["goals", "actions"]
