"""Translated fields, then history: simple_history is registered here, after
modeltranslation, so that the historical tables get the _sv/_en columns too."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    CommunicationActivity,
    FollowUpUpdate,
    FundingContribution,
)


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    # The decision is a record of its own (programme.Decision, translated there).
    fields = ("title", "notes")


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(FollowUpUpdate)
class FollowUpUpdateTranslation(TranslationOptions):
    fields = ("text",)


@register(CommunicationActivity)
class CommunicationActivityTranslation(TranslationOptions):
    fields = ("title", "message", "target_audience", "channel")


for model in (
    ActionPlan,
    Action,
    ActionPartner,
    FollowUpUpdate,
    CommunicationActivity,
    FundingContribution,
):
    simple_history.register(model, app="actionplan")
