"""Public pages of the 2030 sub-targets and their open data (published values only).

Pages and downloads alike are cached for anonymous visitors (``flemingsberg.cache``); the
downloads keep their Content-Type and Content-Disposition."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from flemingsberg.cache import cache_public_page
from flemingsberg.spreadsheets import EXCEL_SV, STANDARD, Dialect, csv_bytes
from programme.models import DevelopmentGoal, Programme, memoised_for

from .models import Measurement, SubTarget

# The open data's columns: names and order are a promise to whoever reads the files.
COLUMNS = (
    "sub_target",
    "goal",
    "indicator",
    "period_year",
    "period_date",
    "value",
    "unit",
    "source_note",
)
DOWNLOAD_NAME = "flemingsberg-2050-indicators"


def _get_current_programme_or_404(request) -> Programme:
    programme = Programme.current_for(request.user)
    if programme is None:
        raise Http404("No programme has been published yet.")
    return programme


def _get_sub_target_or_404(request, slug: str) -> SubTarget:
    """A sub-target of the current programme comes from its goals' list (``listed_for``,
    memoised for visitors); one of an earlier programme's goals is fetched (three queries)."""
    programme = Programme.current_for(request.user)
    if programme is not None:
        for goal in DevelopmentGoal.listed_for(programme, request.user):
            for sub_target in goal.sub_targets.all():
                if sub_target.slug == slug:
                    return sub_target
    return get_object_or_404(SubTarget.objects.for_public_page(request.user), slug=slug)


@cache_public_page
def overview(request):
    programme = _get_current_programme_or_404(request)
    # The goals, their visible sub-targets, those targets' published values and published
    # assessments (with their organisations): 4 queries, memoised for visitors.
    goals = DevelopmentGoal.listed_for(programme, request.user)
    demo_values = any(
        sub_target.has_demo_values for goal in goals for sub_target in goal.sub_targets.all()
    )
    return render(
        request,
        "indicators/overview.html",
        {"programme": programme, "goals": goals, "demo_values": demo_values},
    )


# The contributing actions a sub-target's page lists; the rest are one link away, on each
# plan's page filtered by the goal (a goal of a 1,000-action plan can have hundreds).
ACTIONS_SHOWN = 10


def _contributing(sub_target: SubTarget) -> tuple[list, list[dict]]:
    """The contributing actions shown and, only when more than those exist, each plan's
    count (with a link): two queries."""
    actions = sub_target.contributing_actions()
    shown = list(actions[:ACTIONS_SHOWN])
    if len(shown) < ACTIONS_SHOWN:
        return shown, []
    per_plan = (
        actions.order_by()
        .values("plan__year", "plan__is_demo")
        .annotate(count=Count("pk"))
        .order_by("-plan__year", "plan__is_demo")
    )
    return shown, list(per_plan)


@cache_public_page
def sub_target_detail(request, slug: str):
    """Queries: the sub-target with goal, programme and measuring organisation; its published
    values; its published assessments; the contributing actions shown; their count per plan."""
    sub_target = _get_sub_target_or_404(request, slug)
    shown, per_plan = memoised_for(
        request.user, "sub-target-actions", lambda: _contributing(sub_target), sub_target.pk
    )
    return render(
        request,
        "indicators/sub_target_detail.html",
        {
            "sub_target": sub_target,
            "progress": sub_target.progress,
            "measurements": sub_target.get_published_measurements(),
            "assessments": sub_target.get_published_assessments(),
            "actions": shown,
            # Only when more than the shown ones exist: each plan's count, with a link.
            "actions_per_plan": per_plan,
        },
    )


def _rows(measurements) -> list[dict]:
    return [
        {
            "sub_target": m.sub_target.slug,
            "goal": m.sub_target.goal.slug,
            "indicator": m.sub_target.indicator_name,
            "period_year": m.period_year,
            "period_date": m.period_date.isoformat() if m.period_date else "",
            "value": m.value,
            "unit": m.sub_target.indicator_unit,
            "source_note": m.source_note,
        }
        for m in measurements
    ]


def _csv_response(rows: list[dict], filename: str, dialect: Dialect = STANDARD) -> HttpResponse:
    """UTF-8 with BOM, CRLF, formulas neutralised (``flemingsberg.spreadsheets``); the
    Excel variant has ``;`` and decimal commas and says so in its name and media type."""
    suffix = "-excel" if dialect is EXCEL_SV else ""
    content = csv_bytes(COLUMNS, ([row[column] for column in COLUMNS] for row in rows), dialect)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}{suffix}.csv"'
    return response


def _json_response(rows: list[dict]) -> JsonResponse:
    data = [
        {
            **row,
            "value": json.loads(_plain(row["value"])),
            "period_date": row["period_date"] or None,
        }
        for row in rows
    ]
    return JsonResponse(
        {"columns": list(COLUMNS), "measurements": data}, json_dumps_params={"ensure_ascii": False}
    )


def _plain(value: Decimal) -> str:
    """10000, 12.5: a dot, no grouping, no exponent, whatever the page's language."""
    return format(value.normalize(), "f")


def _public_sub_target_or_404(slug: str) -> SubTarget:
    # Open data is the same for everyone: published sub-targets of published goals only.
    return get_object_or_404(SubTarget.objects.public().filter(goal__is_published=True), slug=slug)


@cache_public_page
def sub_target_csv(request, slug: str):
    sub_target = _public_sub_target_or_404(slug)
    rows = _rows(Measurement.objects.for_download().filter(sub_target=sub_target))
    return _csv_response(rows, f"{DOWNLOAD_NAME}-{sub_target.slug}")


@cache_public_page
def sub_target_excel_csv(request, slug: str):
    sub_target = _public_sub_target_or_404(slug)
    rows = _rows(Measurement.objects.for_download().filter(sub_target=sub_target))
    return _csv_response(rows, f"{DOWNLOAD_NAME}-{sub_target.slug}", EXCEL_SV)


@cache_public_page
def sub_target_json(request, slug: str):
    sub_target = _public_sub_target_or_404(slug)
    return _json_response(_rows(Measurement.objects.for_download().filter(sub_target=sub_target)))


@cache_public_page
def all_csv(request):
    return _csv_response(_rows(Measurement.objects.for_download()), DOWNLOAD_NAME)


@cache_public_page
def all_excel_csv(request):
    return _csv_response(_rows(Measurement.objects.for_download()), DOWNLOAD_NAME, EXCEL_SV)


@cache_public_page
def all_json(request):
    return _json_response(_rows(Measurement.objects.for_download()))
