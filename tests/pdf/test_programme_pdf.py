"""The programme PDF: its content in both languages, its form, the public link and cache."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from flemingsberg import pdf as pdf_module
from programme.models import Chapter, ChapterSection, DevelopmentGoal
from programme.pdf_views import programme_document, programme_pdf_context

from .conftest import CORES, GOALS, STRATEGIES, build_rich_programme, outline_titles, pdf_reader
from .conftest import pdf_text as extract_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def programme_pdfs(rolled_back) -> dict[str, bytes]:
    """The programme rendered once per language (WeasyPrint is the slow part)."""

    def build():
        build_rich_programme()
        return {
            language: pdf_module.render_pdf(programme_document(language))
            for language in ("sv", "en")
        }

    return rolled_back(build)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_programme_pdf_holds_the_whole_programme(programme_pdfs, language):
    pdf = programme_pdfs[language]
    text = extract_text(pdf)
    index = 0 if language == "sv" else 1
    assert "Flemingsberg 2050" in text
    for goal in GOALS:
        assert goal[index] in text
    for number in range(1, 6):
        expected = f"minst {number * 1000} nya" if language == "sv" else f"{number * 1000} new jobs"
        assert expected in text
    for strategy in STRATEGIES:
        assert strategy[index] in text
    assert ("Delstrategi 3.2 – öppna stråk" if language == "sv" else "Sub-strategy 3.2") in text
    for chapter in [
        ("Den regionala stadskärnan", "The regional city core"),
        ("Uppföljning och genomförande", "Follow-up and implementation"),
    ]:
        assert chapter[index] in text
    for core in CORES:
        assert core in text  # the eight regional city cores, "Täby", "Häggvik" intact
    assert "Opublicerat mål" not in text  # drafts never reach the public PDF
    if language == "sv":
        assert "Innehåll" in text and "Där kunskap och kreativitet möts" in text
        assert "sida 3 av" in text
    else:
        assert "Contents" in text and "Where knowledge and creativity meet" in text
        assert "page 3 of" in text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_programme_pdf_metadata_outline_and_tags(programme_pdfs, language):
    reader = pdf_reader(programme_pdfs[language])
    assert reader.metadata.title == "Flemingsberg 2050"
    assert "Huddinge kommun" in reader.metadata.author
    assert reader.metadata.creation_date is not None
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == language
    assert catalog["/MarkInfo"]["/Marked"]  # tagged PDF (PDF/UA-1)
    assert "/StructTreeRoot" in catalog
    titles = outline_titles(programme_pdfs[language])
    assert ("Innehåll" if language == "sv" else "Contents") in titles
    assert any(GOALS[0][0 if language == "sv" else 1] in title for title in titles)
    # Fonts are the ones shipped in static/fonts/, embedded (no system-font surprises).
    fonts = _font_names(reader)
    assert fonts and all("Source-Sans-3" in name for name in fonts), fonts


def _font_names(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_programme_pdf_context_takes_a_fixed_number_of_queries(build_programme):
    """Queries: goals, sub-targets (+ whatever ``with_sub_targets`` prefetches for them),
    strategies, sub-strategies, goals served, chapters, sections, vision, regional cores,
    owners: the same number for one goal as for five."""
    small = build_programme(goals=1, strategies=1)
    chapter = Chapter.objects.create(
        programme=small, number=1, slug="k", title="K", is_published=True
    )
    ChapterSection.objects.create(chapter=chapter, slug="a", title="A", body="B", is_published=True)
    with CaptureQueriesContext(connection) as small_queries:
        programme_pdf_context(small)
    bigger = build_rich_programme()  # 5 goals, 3 strategies, 3 chapters, 8 cores
    with CaptureQueriesContext(connection) as bigger_queries:
        programme_pdf_context(bigger)
    assert len(small_queries) == len(bigger_queries) <= 12


def test_public_programme_pdf_is_linked_served_and_cached(visitor, monkeypatch):
    build_rich_programme()
    rendered = []

    def fake_write(html, document):
        rendered.append((document.language, document.title))
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(pdf_module, "_write_pdf", fake_write)

    home = visitor.get(reverse("programme:home"))
    url = reverse("programme:programme_pdf")
    assert f'href="{url}"' in home.content.decode()

    response = visitor.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="flemingsberg-2050-sv.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 fake"
    assert visitor.get(url).status_code == 200
    assert rendered == [("sv", "Flemingsberg 2050")]  # the second request hit the cache

    with translation.override("en"):
        en_url = reverse("programme:programme_pdf")
    assert en_url.startswith("/en/")
    assert visitor.get(en_url)["Content-Disposition"].endswith('"flemingsberg-2050-en.pdf"')
    assert len(rendered) == 2  # another language is another document

    goal = DevelopmentGoal.objects.get(slug="mal-1")
    goal.title_sv = "Ett nytt namn på målet"
    goal.save()
    visitor.get(url)
    assert len(rendered) == 3  # the content changed: rendered again
    visitor.get(url)
    assert len(rendered) == 3


def test_programme_pdf_is_404_before_anything_is_published(visitor):
    assert visitor.get(reverse("programme:programme_pdf")).status_code == 404
