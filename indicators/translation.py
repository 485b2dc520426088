"""Translated fields, then history: simple_history is registered here, after modeltranslation,
so that the historical tables get the _sv/_en columns too (Measurement declares its history
in models.py, it has no translated fields)."""

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


for model in (SubTarget, Assessment):
    simple_history.register(model, app="indicators")
