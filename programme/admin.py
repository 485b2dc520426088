from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.utils import bulk_update_with_history

from flemingsberg.cache import content_changed
from flemingsberg.edit_conflicts import EditConflictAdminMixin
from flemingsberg.history import ReadableHistoryAdmin

from .models import (
    Chapter,
    ChapterSection,
    DevelopmentGoal,
    MainTask,
    Organisation,
    Programme,
    RegionalCityCore,
    StaffMembership,
    Strategy,
    SubStrategy,
    Vision,
)


def set_published(queryset, value: bool, *, by) -> int:
    """Publish or unpublish the rows that are not so yet, each change in their history."""
    rows = list(queryset.exclude(is_published=value))
    for row in rows:
        row.is_published = value
    if rows:
        bulk_update_with_history(rows, queryset.model, ["is_published"], default_user=by)
    content_changed()  # a bulk update sends no signals: the public pages must go
    return len(rows)


@admin.action(description=_("Publish selected items"))
def publish(modeladmin, request, queryset):
    updated = set_published(queryset, True, by=request.user)
    modeladmin.message_user(request, _("%(count)d items published.") % {"count": updated})


@admin.action(description=_("Unpublish selected items (make them drafts)"))
def unpublish(modeladmin, request, queryset):
    updated = set_published(queryset, False, by=request.user)
    modeladmin.message_user(request, _("%(count)d items made drafts.") % {"count": updated})


class PublishableAdmin(EditConflictAdminMixin, ReadableHistoryAdmin, TranslationAdmin):
    actions = [publish, unpublish]
    list_filter = ["is_published"]


@admin.register(Organisation)
class OrganisationAdmin(EditConflictAdminMixin, ReadableHistoryAdmin, TranslationAdmin):
    list_display = ["name", "short_name", "slug", "kind", "is_party", "order"]
    list_editable = ["order"]
    list_filter = ["is_party", "kind"]
    search_fields = ["name", "short_name", "former_name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    # A website typed without a scheme is taken as https:// (Django 6's default already).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class MainTaskInline(TranslationTabularInline):
    model = MainTask
    extra = 0


class VisionInline(TranslationStackedInline):
    model = Vision
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    list_display = ["title", "version_date", "status", "adopted_on", "is_published"]
    list_filter = ["status", "is_published"]
    search_fields = ["title", "subtitle"]
    filter_horizontal = ["owners"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [VisionInline, MainTaskInline]
    history_related = (
        (_("vision"), Vision.history, "programme_id"),
        (_("main tasks"), MainTask.history, "programme_id"),
    )


class SubStrategyInline(TranslationStackedInline):
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


class ChapterSectionInline(TranslationStackedInline):
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
class StaffMembershipAdmin(ReadableHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "organisation"]
