from modeltranslation.translator import TranslationOptions, register

from .models import SubTarget


@register(SubTarget)
class SubTargetTranslation(TranslationOptions):
    fields = ("statement",)
