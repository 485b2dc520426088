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
