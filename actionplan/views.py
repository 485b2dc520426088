"""Public pages of the action plans. Drafts and proposals never reach visitors; staff
preview them (marked). Each page's queries are fixed in number, whatever the plan's size.

Every page is cached for anonymous visitors per language and URL, with the query parameters
it reads (filters, page number) in the key and all others dropped (``flemingsberg.cache``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils.translation import get_language

from flemingsberg.cache import cache_public_page
from flemingsberg.models import RenderJob
from programme import roles
from programme.models import (
    DevelopmentGoal,
    Organisation,
    Programme,
    Strategy,
    SubStrategy,
    memoised_each_for,
    memoised_for,
)

from .coverage import plan_coverage
from .filters import ActionFilter
from .models import (
    Action,
    ActionPartner,
    ActionPlan,
    ActionStatus,
    AdoptedPlanDocument,
    CommunicationActivity,
    FollowUpRound,
    FollowUpUpdate,
)
from .renders import ADOPTED

PAGE_SIZE = 25


def _get_plan_or_404(request, year: int | None = None) -> ActionPlan:
    """The plan of ``year`` (a real plan before a demo one of the same year), or without a
    year the latest adopted one, as ``latest_adopted`` (both in ``preferred_first`` order).

    Found in the list of the plans the user may see, in that order: one query, memoised for
    visitors (``memoised_for``) – every plan page, action page and communication plan asks,
    and a plan has as many action pages as actions."""
    plans = memoised_for(
        request.user,
        "action-plans",
        lambda: list(ActionPlan.objects.visible_to(request.user).preferred_first()),
    )
    if year is None:
        found = (plan for plan in plans if plan.status == ActionPlan.Status.ADOPTED)
    else:
        found = (plan for plan in plans if plan.year == year)
    plan = next(found, None)
    if plan is None:
        raise Http404("No action plan has been adopted for this year.")
    return plan


def _programme_without_plan(plan: ActionPlan) -> Programme | None:
    """The current public programme when ``plan`` is not one of its plans and it has no
    adopted plan yet (Flemingsberg 2050, while only the 2007 plan is adopted): the page says
    so plainly. One query."""
    if plan.programme.status != Programme.Status.REPLACED:
        return None
    current = (
        Programme.objects.public()
        .exclude(status=Programme.Status.REPLACED)
        .annotate(
            has_plan=Exists(
                ActionPlan.objects.public().filter(
                    programme=OuterRef("pk"), status=ActionPlan.Status.ADOPTED
                )
            )
        )
        .order_by("-version_date")
        .first()
    )
    if current is None or current.has_plan or current.pk == plan.programme_id:
        return None
    return current


def _years(request) -> list[int]:
    """The years of the plans the user may see, newest first, for the pages' year links: one
    query, memoised for visitors (``memoised_for``)."""
    return memoised_for(
        request.user,
        "plan-years",
        lambda: list(
            ActionPlan.objects.visible_to(request.user)
            .order_by("-year", "is_demo")
            .values_list("year", flat=True)
            .distinct()
        ),
    )


def _stored_document(plan) -> dict:
    """Whether the public plan's stored document is the archival copy, or is still being
    prepared by the task worker (adopted here, no copy stored yet): one query."""
    if not plan.is_public:
        return {"archival_copy": False, "document_preparing": False}
    language = get_language()
    stored = AdoptedPlanDocument.objects.filter(plan=OuterRef("pk"), language=language)
    row = (
        ActionPlan.objects.filter(pk=plan.pk)
        .annotate(
            archival=Exists(stored.filter(variant=AdoptedPlanDocument.Variant.PDF_A_3A)),
            stored=Exists(stored),
            queued=Exists(
                RenderJob.objects.filter(
                    kind=ADOPTED, target_id=OuterRef("pk"), language=language
                ).exclude(status=RenderJob.Status.READY)
            ),
        )
        .values("archival", "stored", "queued")
        .first()
    )
    return {
        "archival_copy": row["archival"],
        "document_preparing": row["queued"] and not row["stored"],
    }


def _action_rows(user, plan: ActionPlan, pks: list[int]) -> list[dict[str, str]]:
    """The table row and the card of each action ``pks`` names, in that order.

    A visitor's rows are memoised per action (``memoised_each_for``): a row is the same on
    every filter and page that lists it, so only the actions not yet held are fetched (three
    queries) and rendered. Staff who preview drafts always work theirs out (goals a visitor
    may not see)."""

    def rows(missing: list[int]) -> dict[int, dict[str, str]]:
        actions = Action.objects.filter(pk__in=missing).for_listing(user).in_bulk()
        # The engine's templates and one context for all rows: a backend template's render()
        # would build a new context for each of them.
        table_row = get_template("actionplan/includes/action_row.html").template
        card = get_template("actionplan/includes/action_card.html").template
        context = Context({"plan": plan})
        rendered = {}
        for pk in missing:
            with context.push(action=actions[pk]):
                rendered[pk] = {
                    "table_row": table_row.render(context),
                    "card": card.render(context),
                }
        return rendered

    by_pk = memoised_each_for(user, "plan-row", pks, rows, plan.pk)
    return [by_pk[pk] for pk in pks]


def _plan_parts(request, plan: ActionPlan) -> dict:
    """What the plan page shows the same on every filter and page: the years, the funding,
    the closed follow-up rounds, the stored document and whether a newer programme is still
    without a plan. Four to six queries, worked out once per content version for visitors
    (``memoised``; a stored document, or a job queued with the adoption, changes the
    content); staff who preview drafts always work theirs out (drafts' years)."""

    def parts() -> dict:
        funding = list(
            plan.funding.select_related("organisation").order_by("year", "organisation__order")
        )
        return {
            "years": _years(request),
            "funding": funding,
            "funding_total": sum(item.amount_sek for item in funding) if len(funding) > 1 else 0,
            "funding_recommended": any(item.is_recommendation for item in funding),
            "programme_without_plan": _programme_without_plan(plan),
            # Closed rounds of a public plan only (never an open one, never a draft's).
            "rounds": list(
                FollowUpRound.objects.public().filter(plan=plan).order_by("-closed_at", "-pk")
            ),
            **_stored_document(plan),
        }

    return memoised_for(request.user, "plan-parts", parts, plan.pk)


def _filtered_actions(request, plan: ActionPlan):
    """The plan's actions as the filters given narrow them, and the FilterSet that did it.

    Without a filter (the page as every link shows it) there is nothing to validate, and no
    FilterSet: building one, its form and its four fields costs a sixth of the page."""
    actions = Action.objects.in_plan(plan)
    if not any(request.GET.get(name) for name in ActionFilter.base_filters):
        return actions, None
    filters = ActionFilter(request.GET, queryset=actions, plan=plan)
    return filters.qs, filters


def _filter_fields(request, filters: ActionFilter | None, plan: ActionPlan) -> str:
    """The filter form's fields as HTML: label, select and any error of each.

    Four selects through the form renderer's templates cost a third of the page. What they
    show is set by each field's value, one of its options or none of them (an unknown value
    shows the same error and no selection whatever it is), so visitors' are memoised per plan
    and that state (``memoised_for``): unknown values never make new entries. ``filters``
    is None when no filter is given (``_filtered_actions``)."""

    def shown(bound) -> str:
        value = bound.value()
        if value in (None, ""):
            return ""
        options = {str(option) for option, _label in bound.field.widget.choices}
        return str(value) if str(value) in options else "\0unknown"

    if filters is None:
        state = [""] * len(ActionFilter.base_filters)
    else:
        state = [shown(filters.form[name]) for name in filters.form.fields]

    def html() -> str:
        form = (filters or ActionFilter(queryset=Action.objects.none(), plan=plan)).form
        return render_to_string("actionplan/includes/filter_fields.html", {"form": form})

    return memoised_for(request.user, "plan-filter-fields", html, plan.pk, *state)


@cache_public_page(params=(*ActionFilter.base_filters, "page"))
def plan_detail(request, year: int | None = None):
    """The action plan of a year (the latest adopted plan without a year), filterable.

    Queries: plan, one per filter given, status counts, the page's actions (their number is
    the status counts' total), and for the actions not memoised (below) the actions, their
    goals and partners: constant in the number of actions. Worked out once per content
    version for visitors (``memoised``): the filter form's choices (three queries), the
    parts every filter and page shares (``_plan_parts``) and each action's row.
    """
    plan = _get_plan_or_404(request, year)
    actions, filters = _filtered_actions(request, plan)
    status_counts = actions.status_counts()
    paginator = Paginator(actions.order_by("number", "pk").values_list("pk", flat=True), PAGE_SIZE)
    # The same actions as the counts: their total is the count the paginator would query.
    paginator.count = sum(status_counts.values())
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actionplan/plan_detail.html",
        {
            "plan": plan,
            "filter_fields": _filter_fields(request, filters, plan),
            "filtered": filters is not None and filters.active,
            "page": page,
            "rows": _action_rows(request.user, plan, list(page.object_list)),
            "status_counts": [
                (ActionStatus(value).label, value, count) for value, count in status_counts.items()
            ],
            "total": paginator.count,
            "query": query.urlencode(),
            **_plan_parts(request, plan),
        },
    )


def _served_by(action: Action, plan: ActionPlan, user) -> dict[str, list]:
    """The goals, strategies and sub-strategies ``action`` serves that ``user`` may see, in
    the programme's order: which ones from its links (one query), the rows themselves from the
    programme's lists every programme page reads (``listed_for``, memoised for visitors)
    instead of three queries of their own. A row not in those lists (another programme's,
    or one ``user`` may not see) is looked for on its own, as before, and found only if
    ``user`` may see it."""
    through = (Action.goals.through, Action.strategies.through, Action.sub_strategies.through)
    links = through[0].objects.filter(action=action.pk).values_list(Value(0), "developmentgoal_id")
    links = links.union(
        through[1].objects.filter(action=action.pk).values_list(Value(1), "strategy_id"),
        through[2].objects.filter(action=action.pk).values_list(Value(2), "substrategy_id"),
        all=True,
    )
    wanted: tuple[set, set, set] = (set(), set(), set())
    for kind, pk in links:
        wanted[kind].add(pk)
    strategies = Strategy.listed_for(plan.programme, user) if any(wanted[1:]) else []
    listed = (
        DevelopmentGoal.listed_for(plan.programme, user) if wanted[0] else [],
        strategies,
        [sub for strategy in strategies for sub in strategy.sub_strategies.all()],
    )
    models = (DevelopmentGoal, Strategy, SubStrategy)
    served = []
    for model, rows, pks in zip(models, listed, wanted, strict=True):
        found = [row for row in rows if row.pk in pks]
        missing = pks - {row.pk for row in found}
        if missing:
            found += list(model.objects.visible_to(user).filter(pk__in=missing))
        served.append(found)
    return dict(zip(("goals", "strategies", "sub_strategies"), served, strict=True))


def _continued_actions(user) -> set[int]:
    """The actions a later action that ``user`` may see continues: one query per content
    version for visitors (``memoised_for``), so that an action page asks for its successors
    only when it has some (most have none)."""
    return memoised_for(
        user,
        "continued-actions",
        lambda: set(
            Action.objects.visible_to(user)
            .filter(predecessor__isnull=False)
            .values_list("predecessor_id", flat=True)
        ),
    )


@cache_public_page
def action_detail(request, year: int, pk: int):
    """One action of a plan. Queries: the action with its predecessor; the goals, strategies
    and sub-strategies it serves (``_served_by``); partners and follow-ups; the actions
    continuing it, if any (``_continued_actions``). Its plan and organisations are the ones
    already found (``Organisation.by_pk``)."""
    plan = _get_plan_or_404(request, year)
    action = get_object_or_404(
        Action.objects.in_plan(plan)
        .select_related("predecessor__plan")
        .prefetch_related(
            Prefetch("updates", queryset=FollowUpUpdate.objects.order_by("-date", "-pk"))
        ),
        pk=pk,
    )
    # The plan found above and the organisations every page names (``Organisation.by_pk``):
    # no join for any of them.
    organisations = Organisation.by_pk()
    action.plan = plan
    action.lead_organisation = organisations.get(action.lead_organisation_id)
    action.funder = organisations.get(action.funder_id)
    partners = list(ActionPartner.objects.filter(action=action))
    for partner in partners:
        partner.organisation = organisations[partner.organisation_id]
    successors = []
    if action.pk in _continued_actions(request.user):
        successors = list(
            Action.objects.visible_to(request.user)
            .filter(predecessor=action)
            .select_related("plan")
        )
    predecessor = action.predecessor
    if predecessor is not None and not (
        predecessor.plan.is_public or roles.may_preview_drafts(request.user)
    ):
        predecessor = None
    return render(
        request,
        "actionplan/action_detail.html",
        {
            "plan": plan,
            "action": action,
            "predecessor": predecessor,
            "successors": successors,
            "partners": partners,
            # Only what the visitor may see: an unpublished goal's title never shows here.
            **_served_by(action, plan, request.user),
        },
    )


@cache_public_page
def communication_plan(request, year: int):
    plan = _get_plan_or_404(request, year)
    activities = (
        CommunicationActivity.objects.filter(plan=plan)
        .select_related("responsible_organisation")
        .prefetch_related(
            # Linked goals and actions only as far as the visitor may see them.
            Prefetch("goals", queryset=DevelopmentGoal.objects.visible_to(request.user)),
            Prefetch("actions", queryset=Action.objects.visible_to(request.user).in_plan(plan)),
        )
    )
    return render(
        request,
        "actionplan/communication_plan.html",
        {"plan": plan, "activities": activities, "years": _years(request)},
    )


COMPARE_KINDS = ("added", "carried", "completed", "dropped")
COMPARE_PAGE_SIZE = 50


@cache_public_page(params=("from", "to", *(f"{kind}_page" for kind in COMPARE_KINDS)))
def compare(request):
    """What changed between two years' plans: added, carried, completed, dropped – each
    counted, and listed a page at a time (``added_page`` …), so that two plans of 10,000
    actions make a page of four counts and at most 4 × 50 rows.

    Queries: the years (memoised for visitors), the two plans, and per kind a count and its
    page (none for an empty one).
    """
    plans = ActionPlan.objects.visible_to(request.user).select_related("programme")
    years = _years(request)
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
        comparison = []
        for kind, actions in Action.objects.compare_plans(old, new).items():
            param = f"{kind}_page"
            query = request.GET.copy()  # the pager keeps the years and the other lists' pages
            query.pop(param, None)
            comparison.append(
                {
                    "kind": kind,
                    "page": Paginator(actions, COMPARE_PAGE_SIZE).get_page(request.GET.get(param)),
                    "plan": new if kind in ("added", "carried") else old,
                    "query": query.urlencode(),
                    "param": param,
                }
            )
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
    """Which goals, strategies and parties the plan's actions serve, and which none does.

    The counts go through every link of every action of the plan (eight queries and a pass
    over some thousands of rows at 1,000 actions): worked out once per content version and
    language for visitors (``memoised_for``), not on every render of the page."""
    plan = _get_plan_or_404(request, year)
    counted = memoised_for(request.user, "plan-coverage", lambda: plan_coverage(plan), plan.pk)
    return render(
        request,
        "actionplan/coverage.html",
        {"plan": plan, "coverage": counted, "years": _years(request)},
    )
