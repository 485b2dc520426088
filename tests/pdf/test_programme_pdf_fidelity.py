"""The programme PDF carries every sentence of the source, in the source's five chapters.

As ``tests/programme/test_fixture_fidelity.py`` does for the content, the sentences come from
the source document itself (``sources/002_…``, the typo corrections applied); the PDF's text
is extracted with pypdf. Line breaks, hyphenation and spacing differ between a document and
its extraction, so both sides are compared without white space, hyphens and soft hyphens;
the running header and footer of each page (which a sentence running over a page break
would otherwise contain) and the list numbers (which pypdf extracts apart from their items)
are left out of the text the sentences are looked for in.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from flemingsberg import pdf as pdf_module
from programme.pdf_views import programme_document
from tests.programme.test_fixture_fidelity import (
    HEADING,
    seed_body_sentences,
    seed_lines,
    strip_markup,
)

from .conftest import pdf_reader

pytestmark = pytest.mark.django_db

_LOOSE = re.compile(r"[\s\-\u00ad\u2010\u2011\u2013]+")


def loose(text: str) -> str:
    """Text without white space, hyphens, soft hyphens and dashes, case-folded."""
    return _LOOSE.sub("", text).casefold()


# The page's body lies between the running footer and header (A4, 842 pt high; the
# margins of static/css/pdf.css are 22 mm at the bottom and 24 mm at the top).
BODY_BOTTOM, BODY_TOP = 55, 780
LIST_NUMBER = re.compile(r"^\s*\d+\.\s*$")


def body_text(pdf: bytes, *, list_numbers: bool) -> str:
    pieces: list[str] = []

    def visit(text, cm, tm, _font, _size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if not BODY_BOTTOM < y < BODY_TOP:
            return
        if not list_numbers and LIST_NUMBER.match(text):
            return
        pieces.append(text)

    for page in pdf_reader(pdf).pages:
        page.extract_text(visitor_text=visit)
        pieces.append(" ")
    return "".join(pieces)


@pytest.fixture(scope="module")
def swedish_pdf(rolled_back) -> bytes:
    def build():
        call_command("load_programme_content", verbosity=0)
        return pdf_module.render_pdf(programme_document("sv"))

    return rolled_back(build)


@pytest.fixture(scope="module")
def swedish_pdf_text(swedish_pdf) -> str:
    return body_text(swedish_pdf, list_numbers=False)


def test_every_sentence_of_the_source_is_in_the_programme_pdf(swedish_pdf_text):
    text = loose(swedish_pdf_text)
    sentences = seed_body_sentences()
    assert len(sentences) > 150  # the parse found the body, not an empty list
    missing = [sentence for sentence in sentences if loose(sentence) not in text]
    assert missing == []


def test_the_strategy_chapter_keeps_its_opening_and_priority_list(swedish_pdf_text):
    # The two the earlier PDF dropped (it printed a paraphrase of its own instead).
    text = loose(swedish_pdf_text)
    assert loose("Strategier som tillsammans leder till vart och ett av de fem") in text
    for item in ("Urban och grönskande", "Tillgänglig och inkluderande"):
        assert loose(f"uppfattas som en stad som är: {item}") in text or loose(item) in text
    assert loose("som är: Urban och grönskande Tillgänglig och inkluderande") in text


def test_the_pdf_numbers_its_chapters_as_the_source_does(swedish_pdf):
    headings = [
        strip_markup(match.group(2))
        for line in seed_lines()
        if (match := HEADING.match(line)) and re.match(r"\**\d\.\s", match.group(2))
    ]
    assert [heading.split(".")[0].strip("*") for heading in headings] == list("12345")
    text = loose(body_text(swedish_pdf, list_numbers=True))
    for heading in headings:
        assert loose(heading.strip("*")) in text, heading  # "4. Strategi för att nå …"
    # In the source's order.
    positions = [text.index(loose(heading.strip("*"))) for heading in headings]
    assert positions == sorted(positions)


def test_the_maps_of_the_source_are_said_not_to_be_reproduced(swedish_pdf_text):
    assert swedish_pdf_text.count("återges inte") == 2
