"""The API's filters: the same choices the public pages offer (plan year, goal, strategy,
party, status), by slug. An invalid value is a 400 naming the parameter."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from actionplan import filters as actionplan_filters
from actionplan.models import ActionPlan
from indicators.models import SubTarget
from programme.models import DevelopmentGoal, Strategy


class IntegerFilter(django_filters.NumberFilter):
    """Years are whole numbers: 2026.5 is a 400, not a rounded match."""

    field_class = forms.IntegerField


class GoalFilter(django_filters.FilterSet):
    programme = django_filters.CharFilter(
        field_name="programme__slug", help_text="Programme slug, e.g. flemingsberg-2050."
    )

    class Meta:
        model = DevelopmentGoal
        fields = ["programme"]


class StrategyFilter(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__slug", help_text="Programme slug.")
    goal = django_filters.CharFilter(method="filter_goal", help_text="Development goal slug.")

    class Meta:
        model = Strategy
        fields = ["programme", "goal"]

    def filter_goal(self, queryset, name, value):
        through = Strategy.goals.through.objects
        return queryset.filter(
            Exists(through.filter(strategy=OuterRef("pk"), developmentgoal__slug=value))
        )


class SubTargetFilter(django_filters.FilterSet):
    programme = django_filters.CharFilter(
        field_name="goal__programme__slug", help_text="Programme slug."
    )
    goal = django_filters.CharFilter(field_name="goal__slug", help_text="Development goal slug.")

    class Meta:
        model = SubTarget
        fields = ["programme", "goal"]


class ActionPlanFilter(django_filters.FilterSet):
    year = IntegerFilter(help_text="The plan's first year, e.g. 2026.")
    status = django_filters.ChoiceFilter(
        choices=[(status.value, status.label) for status in ActionPlan.PUBLIC_STATUSES],
        help_text="adopted (in force) or superseded (an earlier year's plan).",
    )

    class Meta:
        model = ActionPlan
        fields = ["year", "status"]


# In the schema a slug filter is a string (drf-spectacular cannot guess it from the method).
extend_schema_field(OpenApiTypes.STR)(actionplan_filters.SlugFilter)


class ActionFilter(actionplan_filters.ActionFilter):
    """The action plan page's filters (one FilterSet) and the plan year."""

    year = IntegerFilter(field_name="plan__year", help_text="Plan year.")

    class Meta(actionplan_filters.ActionFilter.Meta):
        fields = ["year", "goal", "strategy", "party", "status"]
