"""Translated fields, then history (after modeltranslation, so that the historical table
gets the _sv/_en columns too; Measurement declares its history in models.py, it has no
translated fields)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import SubTarget


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


simple_history.register(SubTarget, app="indicators")
