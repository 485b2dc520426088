"""The API's filters: the same choices the public pages offer (plan year, goal, strategy,
party, status), by slug. An invalid value is a 400 naming the parameter.

Each filter accepts exactly what the OpenAPI schema says: a whole number, a slug, one of the
listed values, ``true``/``false``. An empty value (``?year=``) or a value of another type
(``?is_party=null``) is a 400 too, not silently ignored – the field's ``empty_values`` leave
out the empty string, so only an absent parameter means "no filter".
"""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from actionplan import filters as actionplan_filters
from actionplan.models import ActionPlan, ActionStatus
from indicators.models import SubTarget
from programme.models import DevelopmentGoal, Organisation, Strategy

ONLY_ABSENT = [None]  # what counts as "not given": not the empty string
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class StrictIntegerField(forms.IntegerField):
    """Digits only: Django's own IntegerField takes "2026.0" as 2026."""

    empty_values = ONLY_ABSENT

    def to_python(self, value):
        if value is not None and not re.fullmatch(r"-?[0-9]+", str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictSlugField(forms.SlugField):
    empty_values = ONLY_ABSENT

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "empty_value": None})  # absent stays None, not ""


class StrictChoiceField(forms.ChoiceField):
    empty_values = ONLY_ABSENT

    def to_python(self, value):
        return None if value is None else str(value)  # absent stays None, not ""

    def validate(self, value):
        if value is None:
            return
        if value == "":  # ChoiceField itself lets "" through
            raise forms.ValidationError(self.error_messages["invalid_choice"], params={"value": ""})
        super().validate(value)


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (as OpenAPI writes booleans in a query), nothing else."""

    empty_values = ONLY_ABSENT
    values = {"true": True, "false": False}

    def to_python(self, value):
        if value is None:
            return None
        if value not in self.values:
            raise forms.ValidationError(
                "“%(value)s” is not true or false.", params={"value": value}
            )
        return self.values[value]


class IntegerFilter(django_filters.NumberFilter):
    """Years are whole numbers: 2026.5 is a 400, not a rounded match."""

    field_class = StrictIntegerField


@extend_schema_field({"type": "string", "pattern": SLUG_PATTERN})
class SlugFilter(django_filters.CharFilter):
    """A slug (letters, digits, - and _): anything else is a 400, as the schema says."""

    field_class = StrictSlugField


class ChoiceFilter(django_filters.ChoiceFilter):
    field_class = StrictChoiceField


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class OrganisationFilter(django_filters.FilterSet):
    is_party = BooleanFilter(help_text="true: the three parties; false: the other organisations.")

    class Meta:
        model = Organisation
        fields = ["is_party"]


class GoalFilter(django_filters.FilterSet):
    programme = SlugFilter(
        field_name="programme__slug", help_text="Programme slug, e.g. flemingsberg-2050."
    )

    class Meta:
        model = DevelopmentGoal
        fields = ["programme"]


class StrategyFilter(django_filters.FilterSet):
    programme = SlugFilter(field_name="programme__slug", help_text="Programme slug.")
    goal = SlugFilter(method="filter_goal", help_text="Development goal slug.")

    class Meta:
        model = Strategy
        fields = ["programme", "goal"]

    def filter_goal(self, queryset, name, value):
        through = Strategy.goals.through.objects
        return queryset.filter(
            Exists(through.filter(strategy=OuterRef("pk"), developmentgoal__slug=value))
        )


class SubTargetFilter(django_filters.FilterSet):
    programme = SlugFilter(field_name="goal__programme__slug", help_text="Programme slug.")
    goal = SlugFilter(field_name="goal__slug", help_text="Development goal slug.")

    class Meta:
        model = SubTarget
        fields = ["programme", "goal"]


class ActionPlanFilter(django_filters.FilterSet):
    year = IntegerFilter(help_text="The plan's first year, e.g. 2026.")
    status = ChoiceFilter(
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
    # The page's form offers "all statuses" as an empty value; the API's schema lists the
    # statuses only, so an empty one is refused there.
    status = ChoiceFilter(choices=ActionStatus.choices, help_text="Action status.")

    class Meta(actionplan_filters.ActionFilter.Meta):
        fields = ["year", "goal", "strategy", "party", "status"]
