"""What the open-data API returns. Texts come in the requested language only."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actionplan.models import Action, ActionPlan, FollowUpUpdate
from indicators.models import Measurement, SubTarget
from programme.models import (
    Decision,
    DevelopmentGoal,
    Organisation,
    Programme,
    Strategy,
    SubStrategy,
)


@extend_schema_field(OpenApiTypes.STR)
class TranslatedField(serializers.Field):
    """A modeltranslation field's column in the request's language (``title_en`` …).

    No fallback: an English client sees an empty string where nothing is translated, so
    the data says what exists rather than mixing languages.
    """

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        language = self.context.get("lang", "sv")
        return getattr(obj, f"{self.field_name}_{language}") or ""


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The object's page on the portal, absolute when the request is known."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        url = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugListField(serializers.Field):
    """Slugs of a prefetched list (``to_attr``): only the published related objects."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [obj.slug for obj in value]


def slugs(**kwargs):
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


class DecisionSerializer(serializers.ModelSerializer):
    """A decision (or a proposal for one): body, date, paragraph of the minutes, reference
    number; ``body_label`` names it as a page does ("Politiska samordningsgruppen")."""

    body_name = TranslatedField()
    text = TranslatedField()
    source = TranslatedField()
    organisation = slugs(allow_null=True)
    programme = slugs(allow_null=True)
    body_label = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "body",
            "body_label",
            "organisation",
            "body_name",
            "kind",
            "date",
            "minutes_paragraph",
            "reference_number",
            "text",
            "source",
            "url",
            "programme",
        ]

    def get_body_label(self, obj) -> str:
        from django.utils import translation

        with translation.override(self.context.get("lang", "sv")):
            return obj.body_label


class OrganisationSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    short_name = TranslatedField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "short_name", "kind", "is_party", "website"]


class ProgrammeSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    subtitle = TranslatedField()
    description = TranslatedField()
    owners = slugs(many=True)
    # The decisions (and proposals for decisions) recorded on this version.
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "slug",
            "title",
            "subtitle",
            "description",
            "status",
            "version_date",
            "adopted_on",
            "owners",
            "decisions",
        ]


class GoalSerializer(serializers.ModelSerializer):
    programme = slugs()
    title = TranslatedField()
    description = TranslatedField()
    sub_targets = SlugListField(source="published_sub_targets")

    class Meta:
        model = DevelopmentGoal
        fields = ["id", "slug", "programme", "order", "title", "description", "sub_targets"]


class SubStrategySerializer(serializers.ModelSerializer):
    title = TranslatedField()
    text = TranslatedField()

    class Meta:
        model = SubStrategy
        fields = ["slug", "order", "title", "text"]


class StrategySerializer(serializers.ModelSerializer):
    programme = slugs()
    title = TranslatedField()
    short_title = TranslatedField()
    introduction = TranslatedField()
    goals = SlugListField(source="published_goals")
    sub_strategies = SubStrategySerializer(many=True, source="published_sub_strategies")

    class Meta:
        model = Strategy
        fields = [
            "id",
            "slug",
            "programme",
            "order",
            "title",
            "short_title",
            "introduction",
            "goals",
            "sub_strategies",
        ]


class MeasurementSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="period_year", read_only=True)
    date = serializers.DateField(source="period_date", read_only=True, allow_null=True)

    class Meta:
        model = Measurement
        fields = ["year", "date", "value", "source_note"]


class SubTargetSerializer(serializers.ModelSerializer):
    goal = slugs()
    statement = TranslatedField()
    context = TranslatedField()
    indicator_name = TranslatedField()
    indicator_unit = TranslatedField()
    indicator_definition = TranslatedField()
    data_source = TranslatedField()
    measuring_organisation = slugs(allow_null=True)
    measurements = MeasurementSerializer(many=True, source="published_measurements")
    url = PageUrlField()

    class Meta:
        model = SubTarget
        fields = [
            "id",
            "slug",
            "goal",
            "order",
            "statement",
            "context",
            "indicator_name",
            "indicator_unit",
            "indicator_definition",
            "kind",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "data_source",
            "measuring_organisation",
            "frequency",
            "next_value_due",
            "measurements",
            "url",
        ]


class ActionPlanSerializer(serializers.ModelSerializer):
    programme = slugs()
    title = TranslatedField()
    notes = TranslatedField()
    decision = DecisionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "year",
            "programme",
            "title",
            "notes",
            "status",
            "decision",
            "status_as_of",
            "is_demo",
        ]


class FollowUpSerializer(serializers.ModelSerializer):
    text = TranslatedField()

    class Meta:
        model = FollowUpUpdate
        fields = ["date", "status", "progress", "text"]


class ActionSerializer(serializers.ModelSerializer):
    plan_year = serializers.IntegerField(source="plan.year", read_only=True)
    title = TranslatedField()
    description = TranslatedField()
    lead_organisation = slugs(allow_null=True)
    co_responsible = slugs(many=True)
    goals = SlugListField(source="published_goals")
    strategies = SlugListField(source="published_strategies")
    follow_ups = FollowUpSerializer(many=True, source="updates")

    class Meta:
        model = Action
        fields = [
            "id",
            "plan_year",
            "number",
            "title",
            "description",
            "lead_organisation",
            "co_responsible",
            "goals",
            "strategies",
            "start_year",
            "start_quarter",
            "end_year",
            "end_quarter",
            "status",
            "progress",
            "completed_on",
            "budget_sek",
            "follow_ups",
        ]
