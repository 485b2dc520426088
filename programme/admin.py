from django.contrib import admin
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from flemingsberg.admin_deletes import ProtectedDeleteAdminMixin
from flemingsberg.edit_conflicts import EditConflictAdminMixin
from flemingsberg.history import ReadableHistoryAdmin

from .admin_rules import RulesAdminMixin, RulesInlineMixin, publish, unpublish
from .models import (
    Chapter,
    ChapterSection,
    Decision,
    DevelopmentGoal,
    MainTask,
    Organisation,
    Programme,
    RegionalCityCore,
    SourceCorrection,
    StaffMembership,
    Strategy,
    SubStrategy,
    Vision,
)


class PublishableAdmin(
    RulesAdminMixin,
    ProtectedDeleteAdminMixin,
    EditConflictAdminMixin,
    ReadableHistoryAdmin,
    TranslationAdmin,
):
    actions = [publish, unpublish]
    list_filter = ["is_published"]


@admin.register(Organisation)
class OrganisationAdmin(
    RulesAdminMixin,
    ProtectedDeleteAdminMixin,
    EditConflictAdminMixin,
    ReadableHistoryAdmin,
    TranslationAdmin,
):
    list_display = ["name", "short_name", "slug", "kind", "is_party", "order"]
    list_editable = ["order"]
    list_filter = ["is_party", "kind"]
    search_fields = ["name", "short_name", "former_name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    # A website typed without a scheme is taken as https:// (Django 6's default already).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Decision)
class DecisionAdmin(
    RulesAdminMixin,
    ProtectedDeleteAdminMixin,
    EditConflictAdminMixin,
    ReadableHistoryAdmin,
    TranslationAdmin,
):
    """Decisions are recorded by programme editors (``roles``: the editor's content rights);
    a plan is adopted by choosing the coordination group's decision in its lifecycle form."""

    list_display = ["__str__", "kind", "date", "minutes_paragraph", "reference_number", "programme"]
    list_filter = ["body", "kind", "programme"]
    list_select_related = ["organisation", "programme"]
    search_fields = ["body_name", "minutes_paragraph", "reference_number", "text"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "date"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_frozen():
            readonly += [c.removesuffix("_id") for c in Decision.FROZEN_COLUMNS]
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen():
            return False  # an adopted plan rests on it
        return super().has_delete_permission(request, obj)

    def revert_refusal(self, request, obj):
        if obj.is_frozen():
            return gettext(
                "An adopted plan rests on the decision %(decision)s: what was decided is not "
                "reverted to an earlier version."
            ) % {"decision": obj}
        return None


class MainTaskInline(RulesInlineMixin, TranslationTabularInline):
    model = MainTask
    extra = 0


class SourceCorrectionInline(RulesInlineMixin, TranslationTabularInline):
    model = SourceCorrection
    extra = 0


class VisionInline(RulesInlineMixin, TranslationStackedInline):
    model = Vision
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    list_display = ["title", "version_date", "status", "adopted_on", "is_published"]
    list_filter = ["status", "is_published"]
    search_fields = ["title", "subtitle"]
    filter_horizontal = ["owners"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [VisionInline, MainTaskInline, SourceCorrectionInline]
    history_related = (
        (_("vision"), Vision.history, "programme_id"),
        (_("main tasks"), MainTask.history, "programme_id"),
    )


class SubStrategyInline(RulesInlineMixin, TranslationStackedInline):
    model = SubStrategy
    extra = 0
    prepopulated_fields = {"slug": ("title",)}


@admin.register(DevelopmentGoal)
class DevelopmentGoalAdmin(PublishableAdmin):
    list_display = ["title", "programme", "order", "slug", "is_published"]
    list_editable = ["order"]
    list_filter = ["programme", "is_published"]
    list_select_related = ["programme"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Strategy)
class StrategyAdmin(PublishableAdmin):
    list_display = ["title", "programme", "order", "is_published"]
    list_editable = ["order"]
    list_filter = ["programme", "is_published"]
    list_select_related = ["programme"]
    search_fields = ["title", "introduction"]
    filter_horizontal = ["goals"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [SubStrategyInline]
    history_related = ((_("sub-strategies"), SubStrategy.history, "strategy_id"),)


@admin.register(SubStrategy)
class SubStrategyAdmin(PublishableAdmin):
    list_display = ["title", "strategy", "order", "is_published"]
    list_editable = ["order"]
    list_filter = ["strategy", "is_published"]
    list_select_related = ["strategy"]
    search_fields = ["title", "text"]
    prepopulated_fields = {"slug": ("title",)}


class ChapterSectionInline(RulesInlineMixin, TranslationStackedInline):
    model = ChapterSection
    extra = 0
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Chapter)
class ChapterAdmin(PublishableAdmin):
    list_display = ["__str__", "programme", "number", "is_published"]
    list_filter = ["programme", "is_published"]
    list_select_related = ["programme"]
    search_fields = ["title", "introduction"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ChapterSectionInline]
    history_related = ((_("chapter sections"), ChapterSection.history, "chapter_id"),)


@admin.register(ChapterSection)
class ChapterSectionAdmin(PublishableAdmin):
    list_display = ["title", "chapter", "kind", "order", "is_published"]
    list_editable = ["order"]
    list_filter = ["kind", "chapter", "is_published"]
    list_select_related = ["chapter"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ("title",)}


@admin.register(RegionalCityCore)
class RegionalCityCoreAdmin(PublishableAdmin):
    list_display = ["number", "name", "programme", "is_published"]
    list_display_links = ["name"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name"]


@admin.register(Vision)
class VisionAdmin(PublishableAdmin):
    list_display = ["heading", "programme", "is_published"]
    list_select_related = ["programme"]


@admin.register(MainTask)
class MainTaskAdmin(PublishableAdmin):
    list_display = ["title", "programme", "order", "is_published"]
    list_editable = ["order"]
    list_select_related = ["programme"]
    search_fields = ["title"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(RulesAdminMixin, ReadableHistoryAdmin):
    """Who is staff, and in which role: superusers only (no role's group grants it)."""

    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "organisation"]
