from django.contrib import admin
from django.db import models
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
