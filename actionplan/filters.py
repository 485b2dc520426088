"""The filters of the public action lists: one FilterSet (django-filter) for the action plan
page and the open-data API (``api.filters.ActionFilter`` adds the plan year).

Choices are public rows only, so a slug of an unpublished goal or strategy is refused
exactly like one that does not exist: a filter never tells that a draft exists.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from flemingsberg.cache import memoised
from programme.models import DevelopmentGoal, Organisation, Strategy

from .models import Action, ActionStatus


class SlugFilter(django_filters.ModelChoiceFilter):
    """A related row chosen by its slug (``?goal=stad``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class ActionFilter(django_filters.FilterSet):
    goal = SlugFilter(
        label=_("Development goal"),
        queryset=DevelopmentGoal.objects.public(),
        method="filter_goal",
        empty_label=_("All goals"),
        help_text=_("Development goal slug."),
    )
    strategy = SlugFilter(
        label=_("Main strategy"),
        queryset=Strategy.objects.public(),
        method="filter_strategy",
        empty_label=_("All strategies"),
        help_text=_("Main strategy slug (the action serves it or one of its sub-strategies)."),
    )
    party = SlugFilter(
        label=_("Party"),
        queryset=Organisation.objects.all(),
        method="filter_party",
        empty_label=_("All parties"),
        help_text=_(
            "Organisation slug (e.g. huddinge): actions it leads or is co-responsible for."
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ActionStatus.choices,
        empty_label=_("All statuses"),
        help_text=_("Action status."),
    )

    class Meta:
        model = Action
        fields = ["goal", "strategy", "party", "status"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            # The page of one plan offers its programme's goals and strategies, and the
            # parties (the organisations a visitor looks for); the API takes any organisation.
            for name in ("goal", "strategy"):
                field = self.form.fields[name]
                field.queryset = field.queryset.for_programme(plan.programme_id)
            party = self.form.fields["party"]
            party.queryset = Organisation.objects.filter(is_party=True)
            # Named as they were when the plan was made (Stockholms läns landsting in 2007).
            names_on = plan.names_on
            party.label_from_instance = lambda organisation: organisation.name_on(names_on)
            for field in self.form.fields.values():
                # The help texts describe the API's parameters (slugs); on the page the
                # labels and the options say it, and no aria-describedby points at nothing.
                field.help_text = ""
            for name in ("goal", "strategy", "party"):
                field = self.form.fields[name]
                # The same options for everyone on the plan's page (public rows only): listed
                # once per content version and language, not queried on every render. iter():
                # list() of the choices themselves would first count them, a query each.
                field.widget.choices = memoised(
                    f"plan-filter-{name}", lambda field=field: list(iter(field.choices)), plan.pk
                )

    def filter_goal(self, queryset, name, value):
        return queryset.serving_goal(value)

    def filter_strategy(self, queryset, name, value):
        return queryset.serving_strategy(value)

    def filter_party(self, queryset, name, value):
        return queryset.involving(value)

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list (for the page's "filtered" wording)."""
        return self.is_bound and self.is_valid() and any(self.form.cleaned_data.values())
