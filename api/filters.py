"""The API's filters: the same choices the public pages offer (plan year, goal, strategy,
party, status), by slug. An invalid value is a 400 naming the parameter."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from actionplan.models import Action, ActionPlan, ActionStatus
from indicators.models import SubTarget
from programme.models import DevelopmentGoal, Organisation, Strategy


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


class ActionFilter(django_filters.FilterSet):
    year = IntegerFilter(field_name="plan__year", help_text="Plan year.")
    goal = django_filters.CharFilter(method="filter_goal", help_text="Development goal slug.")
    strategy = django_filters.CharFilter(
        method="filter_strategy",
        help_text="Main strategy slug (the action serves it or one of its sub-strategies).",
    )
    party = django_filters.CharFilter(
        method="filter_party",
        help_text="Organisation slug (e.g. huddinge): actions it leads or is co-responsible for.",
    )
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, help_text="Action status.")

    class Meta:
        model = Action
        fields = ["year", "goal", "strategy", "party", "status"]

    def filter_goal(self, queryset, name, value):
        through = Action.goals.through.objects
        return queryset.filter(
            Exists(through.filter(action=OuterRef("pk"), developmentgoal__slug=value))
        )

    def filter_strategy(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Action.strategies.through.objects.filter(
                    action=OuterRef("pk"), strategy__slug=value
                )
            )
            | Exists(
                Action.sub_strategies.through.objects.filter(
                    action=OuterRef("pk"), substrategy__strategy__slug=value
                )
            )
        )

    def filter_party(self, queryset, name, value):
        return queryset.involving(Organisation.objects.filter(slug=value).values("pk")[:1])
