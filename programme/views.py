"""Public pages of the programme. Staff see drafts too (a preview), marked as such."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from flemingsberg.cache import cache_public_page

from . import roles
from .models import (
    Chapter,
    Decision,
    DevelopmentGoal,
    MainTask,
    Programme,
    SourceCorrection,
    Strategy,
    programme_outline,
)


def _get_current_programme_or_404(request) -> Programme:
    programme = Programme.current_for(request.user)
    if programme is None:
        raise Http404("No programme has been published yet.")
    return programme


def _by_slug_or_404(listed: list, slug: str):
    """The goal or strategy of a ``listed_for`` list with this slug (unique in a programme)."""
    for item in listed:
        if item.slug == slug:
            return item
    raise Http404("No such goal or strategy in the current programme.")


@cache_public_page
def home(request):
    programme = _get_current_programme_or_404(request)
    vision = getattr(programme, "vision", None)
    if vision is not None and not (vision.is_published or roles.may_preview_drafts(request.user)):
        vision = None
    goals = DevelopmentGoal.listed_for(programme, request.user)
    strategies = Strategy.listed_for(programme, request.user)
    return render(
        request,
        "programme/home.html",
        {"programme": programme, "vision": vision, "goals": goals, "strategies": strategies},
    )


@cache_public_page
def goal_detail(request, slug: str):
    programme = _get_current_programme_or_404(request)
    goals = DevelopmentGoal.listed_for(programme, request.user)
    goal = _by_slug_or_404(goals, slug)
    strategies = [
        strategy
        for strategy in Strategy.listed_for(programme, request.user)
        if goal.pk in strategy.goal_ids
    ]
    return render(
        request,
        "programme/goal_detail.html",
        {"programme": programme, "goal": goal, "strategies": strategies, "goals": goals},
    )


@cache_public_page
def strategy_detail(request, slug: str):
    programme = _get_current_programme_or_404(request)
    strategy = _by_slug_or_404(Strategy.listed_for(programme, request.user), slug)
    goals = [
        goal
        for goal in DevelopmentGoal.listed_for(programme, request.user)
        if goal.pk in strategy.goal_ids
    ]
    return render(
        request,
        "programme/strategy_detail.html",
        {"programme": programme, "strategy": strategy, "goals": goals},
    )


@cache_public_page
def about(request):
    """The whole programme text in the source's order and numbering: the preface, chapters
    1 and 2, the vision and goals (3), the strategies (4) and follow-up (5)."""
    programme = _get_current_programme_or_404(request)
    chapters = (
        Chapter.objects.visible_to(request.user)
        .for_programme(programme)
        .with_sections(request.user)
    )
    vision = getattr(programme, "vision", None)
    if vision is not None and not (vision.is_published or roles.may_preview_drafts(request.user)):
        vision = None
    goals = DevelopmentGoal.listed_for(programme, request.user)
    strategies = Strategy.listed_for(programme, request.user)
    regional_cores = programme.regional_cores.visible_to(request.user)
    return render(
        request,
        "programme/about.html",
        {
            "programme": programme,
            "outline": programme_outline(chapters),
            "vision": vision,
            "goals": goals,
            "strategies": strategies,
            "regional_cores": regional_cores,
        },
    )


@cache_public_page
def history(request):
    programmes = (
        Programme.objects.visible_to(request.user)
        .select_related("replaces")
        .prefetch_related(
            Prefetch("main_tasks", queryset=MainTask.objects.visible_to(request.user)),
            "owners",
            # The decisions (and proposals) recorded on each version, with their parties.
            Prefetch("decisions", queryset=Decision.objects.with_names().order_by("date", "pk")),
        )
        .order_by("version_date")
    )
    # The typos of the current programme's source that the portal's text corrects.
    corrections = SourceCorrection.objects.filter(
        programme__in=Programme.objects.visible_to(request.user)
    ).select_related("programme")
    return render(
        request,
        "programme/history.html",
        {"programmes": programmes, "corrections": corrections},
    )
