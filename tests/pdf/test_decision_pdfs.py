"""The decision in the PDFs (issue 15, items 5 and 6): the adopted plan's stored copy says
who decided, when, under which paragraph and reference number, in its text and its XMP; the
2007 plan's PDF says what the 2007 sources say and no more. Real WeasyPrint, read back with
pypdf."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from actionplan.models import ActionPlan
from actionplan.pdf import Kind, plan_document, store_adopted_plan_pdf
from flemingsberg import pdf as pdf_module
from tests.decisions import coordination_decision

from .conftest import build_plan, build_rich_programme, pdf_text
from .test_archival import _xmp, _xmp_value

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def adopted_copies(rolled_back):
    """An adopted plan's stored copies (sv, en), its decision § 14 with a reference number."""

    def build():
        plan = build_plan(build_rich_programme(), actions=2, status="adopted")
        plan.decision = coordination_decision(
            datetime.date(2026, 11, 12), paragraph="§ 14", number="PSG 2026/7"
        )
        plan.save(update_fields=["decision"])
        return {doc.language: bytes(doc.pdf) for doc in store_adopted_plan_pdf(plan=plan)}

    return rolled_back(build)


@pytest.fixture(scope="module")
def pdfs_2007(rolled_back):
    """The 2007 plan's action plan PDF, as the content fixtures ship it, in both languages."""

    def build():
        call_command("load_programme_content", verbosity=0)
        plan = ActionPlan.objects.get(year=2007, programme__slug="utvecklingsprogram-2007")
        return {
            language: pdf_module.render_pdf(plan_document(plan, Kind.ACTION_PLAN, language))
            for language in ("sv", "en")
        }

    return rolled_back(build)


def test_the_stored_copy_states_the_decision_in_its_text(adopted_copies):
    sv = pdf_text(adopted_copies["sv"])
    assert "Beslut: Politiska samordningsgruppen 12 november 2026, § 14, dnr PSG 2026/7" in sv
    en = pdf_text(adopted_copies["en"])
    assert "Decision: Political coordination group 12 November 2026, § 14, ref. PSG 2026/7" in en


def test_the_stored_copys_xmp_records_the_decision(adopted_copies):
    root = _xmp(adopted_copies["sv"])
    assert _xmp_value(root, "eli", "passed_by") == "Politiska samordningsgruppen"
    assert _xmp_value(root, "eli", "date_document") == "2026-11-12"
    assert _xmp_value(root, "eli", "id_local") == "§ 14, dnr PSG 2026/7"
    english = _xmp(adopted_copies["en"])
    assert _xmp_value(english, "eli", "id_local") == "§ 14, ref. PSG 2026/7"


def test_the_2007_pdf_says_what_the_sources_say(pdfs_2007):
    sv = pdf_text(pdfs_2007["sv"])
    assert "Beslut om utvecklingsprogrammet: Politiska styrgruppen 27 juni 2007" in sv
    assert "Källorna redovisar inte att själva handlingsplanen antogs" in sv
    assert "Åtgärdernas status avser läget per juli 2007" in sv
    assert "Beloppen är en rekommendation" in sv
    assert "Stockholms läns landsting" in sv
    assert "Region Stockholm" not in sv
    en = pdf_text(pdfs_2007["en"])
    assert "Decision on the development programme: Political steering group 27 June 2007" in en
    assert "statuses are as of July 2007" in en
    assert "These amounts are a recommendation" in en
    assert "Stockholm County Council" in en
