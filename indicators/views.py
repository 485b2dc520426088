"""Public pages of the 2030 sub-targets and their open data (published values only).

Pages and downloads alike are cached for anonymous visitors (``flemingsberg.cache``); the
downloads keep their Content-Type and Content-Disposition."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from flemingsberg.cache import cache_public_page
from programme.models import DevelopmentGoal, Programme

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
    programme = Programme.objects.visible_to(request.user).current()
    if programme is None:
        raise Http404("No programme has been published yet.")
    return programme


def _get_sub_target_or_404(request, slug: str) -> SubTarget:
    return get_object_or_404(SubTarget.objects.for_public_page(request.user), slug=slug)


@cache_public_page
def overview(request):
    programme = _get_current_programme_or_404(request)
    # 3 queries: the goals, their visible sub-targets, those targets' published values.
    goals = (
        DevelopmentGoal.objects.visible_to(request.user)
        .for_programme(programme)
        .with_sub_targets(request.user)
    )
    return render(request, "indicators/overview.html", {"programme": programme, "goals": goals})


@cache_public_page
def sub_target_detail(request, slug: str):
    sub_target = _get_sub_target_or_404(request, slug)
    return render(
        request,
        "indicators/sub_target_detail.html",
        {
            "sub_target": sub_target,
            "progress": sub_target.progress,
            "measurements": sub_target.get_published_measurements(),
            "actions": sub_target.contributing_actions(),
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


def _csv_response(rows: list[dict], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.DictWriter(response, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "value": _plain(row["value"])})
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
def sub_target_json(request, slug: str):
    sub_target = _public_sub_target_or_404(slug)
    return _json_response(_rows(Measurement.objects.for_download().filter(sub_target=sub_target)))


@cache_public_page
def all_csv(request):
    return _csv_response(_rows(Measurement.objects.for_download()), DOWNLOAD_NAME)


@cache_public_page
def all_json(request):
    return _json_response(_rows(Measurement.objects.for_download()))
