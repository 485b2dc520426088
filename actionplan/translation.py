"""Translated fields, then history: simple_history is registered here, after
modeltranslation, so that the historical tables get the _sv/_en columns too."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    CommunicationActivity,
    FollowUpRound,
    FollowUpUpdate,
    FundingContribution,
    RoundActionSnapshot,
    RoundSignOff,
    RoundTargetSnapshot,
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


@register(FollowUpRound)
class FollowUpRoundTranslation(TranslationOptions):
    fields = ("title", "message")


@register(RoundActionSnapshot)
class RoundActionSnapshotTranslation(TranslationOptions):
    fields = ("title", "latest_update_text")


@register(RoundTargetSnapshot)
class RoundTargetSnapshotTranslation(TranslationOptions):
    fields = ("statement",)


# Snapshots and stored round reports are never edited: no history (they are records).
for model in (
    ActionPlan,
    Action,
    ActionPartner,
    FollowUpUpdate,
    CommunicationActivity,
    FundingContribution,
    FollowUpRound,
    RoundSignOff,
):
    simple_history.register(model, app="actionplan")
