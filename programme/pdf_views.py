"""The programme as a PDF: public, published content only, rendered by the task worker
(``flemingsberg.renders``) whenever its content changes and served from the stored render.

The document is built from the same QuerySet methods as the public pages
(``published()``, ``with_sub_targets()``, ``with_sub_strategies()``, ``with_sections()``);
the layout is ``templates/programme/pdf/programme.html``, rendered by ``flemingsberg.pdf``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils import translation
from django.views.decorators.http import require_GET

from flemingsberg import renders
from flemingsberg.pdf import PDFDocument, pdf_filename, pdf_response, render_pdf
from flemingsberg.renders import Renderer, rows_version

from .models import (
    Chapter,
    ChapterSection,
    DevelopmentGoal,
    MainTask,
    Organisation,
    Programme,
    RegionalCityCore,
    Strategy,
    SubStrategy,
    Vision,
    programme_outline,
)


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
        # In the source's order and numbering: 1 the city core, 2 the starting point,
        # 3 vision and goals, 4 strategies, 5 follow-up.
        "outline": programme_outline(chapters),
        "regional_cores": list(programme.regional_cores.public()),
        "owners": list(programme.owners.all()),
    }


def programme_document(language: str, programme: Programme | None = None) -> PDFDocument | None:
    """The published programme (the current one by default) as a document in ``language``,
    or None."""
    with translation.override(language):
        if programme is None:
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


class ProgrammeRenderer(Renderer):
    """The published programme's PDF, keyed by the versions of the rows it shows."""

    kind = "programme"

    def get_target(self, target_id):
        return Programme.objects.public().filter(pk=target_id).first()

    def content_version(self, target, language: str) -> str:
        sub_targets = DevelopmentGoal.sub_targets.rel.related_model  # indicators' SubTarget
        of_programme = {"programme": target.pk}
        return "|".join(
            rows_version(queryset)
            for queryset in (
                Programme.objects.filter(pk=target.pk),
                Programme.owners.through.objects.filter(programme=target.pk),
                Vision.objects.filter(**of_programme),
                MainTask.objects.filter(**of_programme),
                DevelopmentGoal.objects.filter(**of_programme),
                sub_targets.objects.filter(goal__programme=target.pk),
                Strategy.objects.filter(**of_programme),
                Strategy.goals.through.objects.filter(strategy__programme=target.pk),
                SubStrategy.objects.filter(strategy__programme=target.pk),
                Chapter.objects.filter(**of_programme),
                ChapterSection.objects.filter(chapter__programme=target.pk),
                RegionalCityCore.objects.filter(**of_programme),
                Organisation.objects.all(),
            )
        )

    def render(self, target, language: str, job) -> bytes:
        return render_pdf(programme_document(language, target))

    def title(self, target, language: str) -> str:
        return f"{target.title} ({language})"

    def filename(self, target, language: str) -> str:
        with translation.override(language):
            return pdf_filename(target.title, language)


@require_GET
def programme_pdf(request):
    """The programme PDF for everyone: the published programme only, even for staff (the
    staff preview of drafts is the web pages), so one stored render serves all. Never
    rendered here: a programme whose render is not ready answers "being prepared"."""
    language = translation.get_language()
    programme = Programme.objects.public().current()
    if programme is None:
        raise Http404("No programme has been published yet.")
    job = renders.request_render(ProgrammeRenderer.kind, programme, language)
    pdf = renders.ready_result(job)
    if pdf is None:
        return renders.preparing_response(request, title=programme.title, job=job)
    return pdf_response(pdf, pdf_filename(programme.title, language), public=True)
