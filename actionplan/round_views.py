"""Public pages of closed follow-up rounds: the summary, the stored report, the snapshot.

Only ``FollowUpRound.objects.public()`` ever reaches these views (closed rounds of public
plans): an open round, or a round of a draft plan, is a 404 for everyone, staff included
(staff follow an open round in the admin). The PDFs are the stored bytes, never rendered
here; until the task worker has stored them the page says so.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from flemingsberg.cache import cache_public_page
from flemingsberg.pdf import pdf_response

from .models import FollowUpRound
from .round_report import (
    LANGUAGES,
    file_stem,
    report_filename,
    round_data,
    round_summary,
    snapshot_csv,
)


def _get_round_or_404(year: int, pk: int) -> FollowUpRound:
    return get_object_or_404(
        FollowUpRound.objects.public().select_related("plan", "plan__programme"),
        plan__year=year,
        pk=pk,
    )


@cache_public_page
def round_detail(request, year: int, pk: int):
    """Queries: the round with its plan (1), the summary (7: see ``round_summary``), the
    stored documents' languages (1)."""
    round = _get_round_or_404(year, pk)
    summary = round_summary(round)
    documents = list(
        round.report_documents.order_by("language").values_list("language", "size", named=True)
    )
    return render(
        request,
        "actionplan/round_detail.html",
        {
            "plan": round.plan,
            "round": round,
            "summary": summary,
            "lists": summary.listings(None),
            "documents": documents,
        },
    )


@cache_public_page
def round_pdf(request, year: int, pk: int, language: str):
    if language not in LANGUAGES:
        raise Http404("No such language.")
    round = _get_round_or_404(year, pk)
    document = round.report_documents.filter(language=language).first()
    if document is None:
        raise Http404("The report has not been stored yet.")
    return pdf_response(bytes(document.pdf), report_filename(round, language), public=True)


def _csv(round: FollowUpRound, what: str) -> HttpResponse:
    response = HttpResponse(
        snapshot_csv(round_data(round), what), content_type="text/csv; charset=utf-8"
    )
    suffix = "actions" if what == "actions" else "sub-targets"
    response["Content-Disposition"] = f'attachment; filename="{file_stem(round)}-{suffix}.csv"'
    return response


@cache_public_page
def round_actions_csv(request, year: int, pk: int):
    return _csv(_get_round_or_404(year, pk), "actions")


@cache_public_page
def round_targets_csv(request, year: int, pk: int):
    return _csv(_get_round_or_404(year, pk), "sub_targets")


@cache_public_page
def round_json(request, year: int, pk: int):
    round = _get_round_or_404(year, pk)
    return JsonResponse(round_data(round), json_dumps_params={"ensure_ascii": False, "indent": 2})
