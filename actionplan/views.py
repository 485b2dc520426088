"""Public pages of the action plans. Drafts and proposals never reach visitors; staff
preview them (marked). Each page's queries are fixed in number, whatever the plan's size.

Every page is cached for anonymous visitors per language and full URL, filters and page
number included (``flemingsberg.cache``)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from flemingsberg.cache import cache_public_page
from programme.models import DevelopmentGoal, Organisation, Strategy

from .coverage import plan_coverage
from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    ActionStatus,
    CommunicationActivity,
    FollowUpUpdate,
)

PAGE_SIZE = 25


def _get_plan_or_404(request, year: int | None = None) -> ActionPlan:
    plans = ActionPlan.objects.visible_to(request.user).select_related("programme")
    if year is None:
        plan = plans.latest_adopted()
    else:
        # A real plan before a demo one of the same year.
        plan = plans.filter(year=year).order_by("is_demo").first()
    if plan is None:
        raise Http404("No action plan has been adopted for this year.")
    return plan


def _years(request):
    return (
        ActionPlan.objects.visible_to(request.user)
        .order_by("-year", "is_demo")
        .values_list("year", flat=True)
        .distinct()
    )


class ActionFilterForm(forms.Form):
    """The list's filters; GET parameters, so a filtered list is a shareable URL."""

    goal = forms.ModelChoiceField(
        label=_("Development goal"),
        queryset=DevelopmentGoal.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All goals"),
    )
    strategy = forms.ModelChoiceField(
        label=_("Main strategy"),
        queryset=Strategy.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All strategies"),
    )
    party = forms.ModelChoiceField(
        label=_("Party"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All parties"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *ActionStatus.choices],
        required=False,
    )

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = DevelopmentGoal.objects.published().for_programme(
            plan.programme_id
        )
        self.fields["strategy"].queryset = Strategy.objects.published().for_programme(
            plan.programme_id
        )
        self.fields["party"].queryset = Organisation.objects.filter(is_party=True)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


@cache_public_page
def plan_detail(request, year: int | None = None):
    """The action plan of a year (the latest adopted plan without a year), filterable.

    Queries: plan, years, funding, the filter form's choices (goals, strategies, parties)
    plus one per filter given, status counts, page count, the page, its goals, its
    partners: constant in the number of actions.
    """
    plan = _get_plan_or_404(request, year)
    form = ActionFilterForm(request.GET or None, plan=plan)
    filters = form.filters()
    actions = Action.objects.in_plan(plan).filtered(**filters)
    status_counts = actions.status_counts()
    page = Paginator(actions.for_listing().order_by("number", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    funding = list(
        plan.funding.select_related("organisation").order_by("year", "organisation__order")
    )
    return render(
        request,
        "actionplan/plan_detail.html",
        {
            "plan": plan,
            "form": form,
            "filtered": bool(filters),
            "page": page,
            "status_counts": [
                (ActionStatus(value).label, value, count) for value, count in status_counts.items()
            ],
            "total": sum(status_counts.values()),
            "query": query.urlencode(),
            "years": _years(request),
            "funding": funding,
            "funding_total": sum(item.amount_sek for item in funding) if len(funding) > 1 else 0,
        },
    )


@cache_public_page
def action_detail(request, year: int, pk: int):
    plan = _get_plan_or_404(request, year)
    action = get_object_or_404(
        Action.objects.in_plan(plan)
        .select_related("plan", "lead_organisation", "funder", "predecessor__plan")
        .prefetch_related(
            Prefetch("partners", queryset=ActionPartner.objects.select_related("organisation")),
            "goals",
            "strategies",
            "sub_strategies",
            Prefetch("updates", queryset=FollowUpUpdate.objects.order_by("-date", "-pk")),
            Prefetch(
                "successors",
                queryset=Action.objects.visible_to(request.user).select_related("plan"),
            ),
        ),
        pk=pk,
    )
    predecessor = action.predecessor
    if predecessor is not None and not (predecessor.plan.is_public or request.user.is_staff):
        predecessor = None
    return render(
        request,
        "actionplan/action_detail.html",
        {"plan": plan, "action": action, "predecessor": predecessor},
    )


@cache_public_page
def communication_plan(request, year: int):
    plan = _get_plan_or_404(request, year)
    activities = (
        CommunicationActivity.objects.filter(plan=plan)
        .select_related("responsible_organisation")
        .prefetch_related("goals", "actions")
    )
    return render(
        request,
        "actionplan/communication_plan.html",
        {"plan": plan, "activities": activities, "years": _years(request)},
    )


@cache_public_page
def compare(request):
    """What changed between two years' plans: added, carried, completed, dropped."""
    plans = ActionPlan.objects.visible_to(request.user).select_related("programme")
    years = list(_years(request))
    if len(years) < 1:
        raise Http404("No action plan to compare.")

    def year_param(name: str, default: int) -> int:
        try:
            return int(request.GET.get(name, default))
        except (TypeError, ValueError):
            return default

    to_year = year_param("to", years[0])
    from_year = year_param("from", to_year - 1)
    old = plans.filter(year=from_year).order_by("is_demo").first()
    new = plans.filter(year=to_year).order_by("is_demo").first()
    comparison = None
    if old is not None and new is not None:
        comparison = Action.objects.compare_plans(old, new)
    return render(
        request,
        "actionplan/compare.html",
        {
            "old": old,
            "new": new,
            "from_year": from_year,
            "to_year": to_year,
            "years": years,
            "comparison": comparison,
        },
    )


@cache_public_page
def coverage(request, year: int):
    """Which goals, strategies and parties the plan's actions serve, and which none does."""
    plan = _get_plan_or_404(request, year)
    return render(
        request,
        "actionplan/coverage.html",
        {"plan": plan, "coverage": plan_coverage(plan), "years": _years(request)},
    )
