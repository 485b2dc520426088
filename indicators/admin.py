from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from programme.admin import publish, unpublish

from .models import SubTarget


@admin.register(SubTarget)
class SubTargetAdmin(TranslationAdmin):
    list_display = ["statement", "goal", "order", "is_published"]
    list_editable = ["order"]
    list_filter = ["goal__programme", "goal", "is_published"]
    list_select_related = ["goal"]
    search_fields = ["statement", "slug"]
    actions = [publish, unpublish]
