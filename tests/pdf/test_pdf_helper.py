"""flemingsberg.pdf: local static files only, file names, responses (what is rendered
when: tests/flemingsberg/test_renders.py)."""

from __future__ import annotations

import pytest

from flemingsberg import pdf as pdf_module
from flemingsberg.pdf import (
    PDFResourceRefused,
    local_static_fetcher,
    pdf_filename,
    pdf_response,
    static_url,
)


def test_fetcher_serves_shipped_static_files():
    fetcher = local_static_fetcher()
    response = fetcher(static_url("css/pdf.css"))
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"
    font = fetcher(static_url("fonts/SourceSans3-VariableWeight.ttf")).read()
    assert len(font) > 100_000


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/pdf.css",
        "http://127.0.0.1:8000/static/css/pdf.css",
        "file:///etc/passwd",
        "ftp://example.com/x",
        pdf_module.PDF_BASE_URL + "admin/",
        pdf_module.PDF_BASE_URL + "static/../../flemingsberg/settings.py",
        pdf_module.PDF_BASE_URL + "static/%2e%2e/pyproject.toml",
    ],
)
def test_fetcher_refuses_anything_but_local_static_files(url):
    with pytest.raises((PDFResourceRefused, FileNotFoundError, ValueError)):
        local_static_fetcher()(url)


def test_file_names_and_response_headers():
    assert pdf_filename("Flemingsberg 2050", "sv") == "flemingsberg-2050-sv.pdf"
    assert pdf_filename("Uppföljningsrapport", 2025, "sv") == "uppfoljningsrapport-2025-sv.pdf"
    response = pdf_response(b"%PDF-", "plan.pdf", attachment=True)
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert pdf_response(b"%PDF-", "p.pdf", public=True)["Cache-Control"].startswith("public")
