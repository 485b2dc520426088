"""The programme as a PDF: public, published content only, cached until the content changes.

The document is built from the same QuerySet methods as the public pages
(``published()``, ``with_sub_targets()``, ``with_sub_strategies()``, ``with_sections()``);
the layout is ``templates/programme/pdf/programme.html``, rendered by ``flemingsberg.pdf``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils import translation
from django.views.decorators.http import require_GET

from flemingsberg.pdf import (
    PDFDocument,
    cached_pdf,
    pdf_filename,
    pdf_response,
)

from .models import Chapter, DevelopmentGoal, Programme, Strategy, Vision

#: Chapters up to this number come before the vision and goals (as in the adopted
#: programme: 1 introduction, 2 the place; 3 vision and goals; 4 strategies; 5 follow-up).
CHAPTERS_BEFORE_GOALS = 2


def programme_pdf_context(programme: Programme) -> dict:
    """Everything the programme PDF shows, fetched in a fixed number of queries.

    Queries: vision (1), goals + sub-targets (2), strategies + sub-strategies + goals
    served (3), chapters + sections (2), regional cores (1), owners (1).
    """
    goals = list(DevelopmentGoal.objects.public().for_programme(programme).with_sub_targets(None))
    strategies = list(
        Strategy.objects.public()
        .for_programme(programme)
        .with_sub_strategies(None)
        .prefetch_related(
            Prefetch("goals", queryset=DevelopmentGoal.objects.public().order_by("order"))
        )
    )
    chapters = list(Chapter.objects.public().for_programme(programme).with_sections(None))
    return {
        "programme": programme,
        "vision": Vision.objects.public().filter(programme=programme).first(),
        "goals": goals,
        "strategies": strategies,
        "chapters_before": [c for c in chapters if c.number <= CHAPTERS_BEFORE_GOALS],
        "chapters_after": [c for c in chapters if c.number > CHAPTERS_BEFORE_GOALS],
        "regional_cores": list(programme.regional_cores.public()),
        "owners": list(programme.owners.all()),
    }


def programme_document(language: str) -> PDFDocument | None:
    """The current published programme as a document in ``language``, or None."""
    with translation.override(language):
        programme = Programme.objects.public().current()
        if programme is None:
            return None
        return PDFDocument(
            template="programme/pdf/programme.html",
            context=programme_pdf_context(programme),
            title=programme.title,
            language=language,
            subject=programme.subtitle,
            keywords=("Flemingsberg", "utvecklingsprogram" if language == "sv" else "programme"),
        )


@require_GET
def programme_pdf(request):
    """The programme PDF for everyone: the published programme only, even for staff (the
    staff preview of drafts is the web pages), so one cached document serves all."""
    language = translation.get_language()
    document = programme_document(language)
    if document is None:
        raise Http404("No programme has been published yet.")
    pdf = cached_pdf("programme", document)
    return pdf_response(pdf, pdf_filename(document.title, language), public=True)
