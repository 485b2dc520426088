"""Translated fields, then history: simple_history is registered here, after
modeltranslation, so that the historical tables get the _sv/_en columns too."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

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


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name", "former_name")


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "subtitle", "description", "strategy_introduction", "decision")


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ("body_name", "text", "source")


@register(MainTask)
class MainTaskTranslation(TranslationOptions):
    fields = ("title",)


@register(Vision)
class VisionTranslation(TranslationOptions):
    fields = ("heading", "text")


@register(DevelopmentGoal)
class DevelopmentGoalTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("title", "short_title", "introduction")


@register(SubStrategy)
class SubStrategyTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Chapter)
class ChapterTranslation(TranslationOptions):
    fields = ("title", "introduction")


@register(ChapterSection)
class ChapterSectionTranslation(TranslationOptions):
    fields = ("title", "body")


@register(RegionalCityCore)
class RegionalCityCoreTranslation(TranslationOptions):
    fields = ("name",)


@register(SourceCorrection)
class SourceCorrectionTranslation(TranslationOptions):
    fields = ("location",)


# Every model staff edit has a history (who changed what, when).
for model in (
    Organisation,
    Programme,
    MainTask,
    Vision,
    DevelopmentGoal,
    Strategy,
    SubStrategy,
    Chapter,
    ChapterSection,
    RegionalCityCore,
    SourceCorrection,
    StaffMembership,
    Decision,
):
    simple_history.register(model, app="programme")
