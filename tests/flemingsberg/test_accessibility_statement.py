"""The accessibility statement: the portal's own contact routes (from the settings, never
invented), the promised reply time, the publication date, and what the PDFs claim."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def _statement(client, language: str) -> str:
    with translation.override(language):
        url = reverse("accessibility")
    return client.get(url).content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_contact_routes_from_the_settings(visitor, settings, language):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@example.se"
    settings.ACCESSIBILITY_CONTACT_ADDRESS = [
        "Programkontoret Flemingsberg 2050",
        "Box 1",
        "141 00 Huddinge",
    ]
    html = _statement(visitor, language)
    assert 'href="mailto:tillganglighet@example.se"' in html
    assert "Programkontoret Flemingsberg 2050<br>Box 1<br>141 00 Huddinge</address>" in html
    assert {"sv": "svarar inom 5 arbetsdagar", "en": "reply within 5 working days"}[
        language
    ] in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_without_settings_the_statement_says_so_and_names_the_parties(visitor, settings, language):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    settings.ACCESSIBILITY_CONTACT_ADDRESS = []
    html = _statement(visitor, language)
    assert "mailto:" not in html and "<address" not in html
    assert {
        "sv": "Programkontoret har ännu ingen egen e-postadress eller postadress",
        "en": "The programme office has not yet given an e-mail or postal address",
    }[language] in html
    assert "https://www.huddinge.se/" in html and "https://www.botkyrka.se/" in html
    assert {"sv": "arbetsdagar", "en": "working days"}[language] in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_publication_date_and_the_pdfs_claims(visitor, language):
    html = _statement(visitor, language)
    assert '<time datetime="2026-11-23">' in html  # first published
    assert '<time datetime="2026-12-01">' in html  # last updated
    # The PDFs are made as tagged PDF/UA-1 (flemingsberg/pdf.py): the statement says so,
    # and that no independent check has been made, instead of contradicting it.
    assert "PDF/UA-1" in html
    assert "Huddinge kommun and" not in html  # English names on the English page
