"""Translated fields, then history: simple_history is registered here for the assessments,
after modeltranslation, so that their historical table gets the _sv/_en columns too."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Assessment, SubTarget


@register(SubTarget)
class SubTargetTranslation(TranslationOptions):
    fields = (
        "statement",
        "context",
        "indicator_name",
        "indicator_unit",
        "indicator_definition",
        "data_source",
    )


@register(Assessment)
class AssessmentTranslation(TranslationOptions):
    fields = ("what_is_done", "what_is_needed")


simple_history.register(Assessment, app="indicators")
