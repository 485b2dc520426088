"""The one way the portal makes a PDF: a Django template and its context, through WeasyPrint.

Every document (the programme, an action plan, a follow-up report) goes through
:func:`render_pdf` or, when it may be served again, :func:`cached_pdf`:

* Static files (the stylesheet, the fonts in ``static/fonts/``) are read from disk through
  the staticfiles finders or ``STATIC_ROOT``. The document's base URL is a host name that
  cannot resolve (``.invalid``); :class:`LocalStaticFetcher` maps it to files and refuses
  everything else, so no render ever opens a network connection, whatever a template or a
  text typed in the admin contains.
* The PDF is tagged (PDF/UA-1: structure tree, language, title), carries its metadata
  (title, author, language, creation date) and an outline built from the headings'
  ``bookmark-level`` (see ``static/css/pdf.css``).
* Rendering takes seconds; building the HTML takes milliseconds. The cache key is therefore
  the HTML itself (a SHA-256 of it) plus the layout files: a document whose content has not
  changed is never laid out twice, and any change that shows in the document (a goal
  renamed, a follow-up text edited, an organisation renamed) makes a new key by itself.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache as django_cache
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

#: A host that cannot exist (RFC 2606): relative URLs in PDF templates resolve against it
#: and :class:`LocalStaticFetcher` answers them from disk.
PDF_BASE_URL = "https://pdf.flemingsberg.invalid/"
STYLESHEET = "css/pdf.css"
AUTHOR = "Region Stockholm, Huddinge kommun, Botkyrka kommun"
#: How long a rendered document stays in the cache. Keys change with the content, so this
#: only bounds the memory held by documents nobody asks for again.
CACHE_TIMEOUT = 60 * 60 * 24 * 7
CACHE_PREFIX = "pdf"


class PDFResourceRefused(ValueError):
    """A PDF template asked for something that is not a local static file."""


def _static_prefix() -> str:
    """The path part of STATIC_URL ("/static/"), also when STATIC_URL names a CDN."""
    path = urlsplit(settings.STATIC_URL).path
    return "/" + path.strip("/") + "/"


def static_path(relative: str) -> Path | None:
    """The file on disk for a static path: collected (STATIC_ROOT) first, then the finders."""
    relative = relative.lstrip("/")
    if not relative or ".." in Path(relative).parts:
        return None
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    found = finders.find(relative)
    return Path(found) if found else None


def _weasyprint():
    # Imported late: WeasyPrint loads Pango through cffi, which costs ~0.3 s at start-up
    # and is needed only by the processes that render.
    import weasyprint

    return weasyprint


def local_static_fetcher():
    """A WeasyPrint URL fetcher that serves local static files and refuses anything else."""
    _weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):
        def __init__(self):
            # Only data: URIs may go through urllib (they carry their bytes inline).
            super().__init__(allowed_protocols=("data",), allow_redirects=False)

        def fetch(self, url: str, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            origin = urlsplit(PDF_BASE_URL)
            prefix = _static_prefix()
            path = unquote(parts.path)
            if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc) or not (
                path.startswith(prefix)
            ):
                raise PDFResourceRefused(f"PDF documents load local static files only: {url}")
            found = static_path(path[len(prefix) :])
            if found is None:
                raise FileNotFoundError(f"No static file for {url}")
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=found.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalStaticFetcher()


def static_url(relative: str) -> str:
    """The URL under which a PDF template refers to a static file."""
    return PDF_BASE_URL + _static_prefix().lstrip("/") + relative.lstrip("/")


@dataclass(frozen=True)
class PDFDocument:
    """What a render needs beyond the template: the metadata the PDF carries."""

    template: str
    context: Mapping[str, Any]
    title: str
    language: str
    author: str = AUTHOR
    subject: str = ""
    created: datetime.datetime | None = None
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def html(self) -> str:
        """The document's HTML in its language (cheap: no layout)."""
        with translation.override(self.language):
            return render_to_string(
                self.template,
                {
                    **self.context,
                    "pdf_title": self.title,
                    "pdf_language": self.language,
                    "pdf_author": self.author,
                    "pdf_stylesheet": static_url(STYLESHEET),
                },
            )


def _write_pdf(html: str, document: PDFDocument) -> bytes:
    """Lay out the HTML and write the PDF: the one place WeasyPrint runs."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fetcher = local_static_fetcher()
    font_config = FontConfiguration()
    stylesheet = weasyprint.CSS(
        url=static_url(STYLESHEET), url_fetcher=fetcher, font_config=font_config
    )
    rendered = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher, media_type="print"
    ).render(
        font_config=font_config,
        stylesheets=[stylesheet],
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
    )
    metadata = rendered.metadata
    metadata.title = document.title
    metadata.authors = [document.author]
    metadata.lang = document.language
    metadata.description = document.subject or None
    metadata.keywords = list(document.keywords) or None
    metadata.generator = "Flemingsberg 2050 portal (WeasyPrint)"
    created = (document.created or timezone.now()).astimezone(datetime.UTC)
    metadata.created = metadata.modified = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return rendered.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def render_pdf(document: PDFDocument) -> bytes:
    """Render a document to PDF bytes, without the cache (frozen copies, benchmarks)."""
    return _write_pdf(document.html(), document)


@cache
def layout_fingerprint() -> str:
    """A hash of the PDF templates, stylesheet and fonts: a deployment that changes the
    layout must not serve documents laid out by the previous one."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "static"]
    files = sorted(
        path
        for root in roots
        if root.is_dir()
        for path in root.rglob("*")
        if path.is_file() and ("pdf" in path.parts or path.parent.name == "fonts")
    )
    extra = static_path(STYLESHEET)
    for path in [*files, *([extra] if extra else [])]:
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(kind: str, language: str, html: str) -> str:
    content = hashlib.sha256(html.encode()).hexdigest()
    return f"{CACHE_PREFIX}:{kind}:{language}:{layout_fingerprint()}:{content}"


def cached_pdf(kind: str, document: PDFDocument) -> bytes:
    """The document's PDF from the cache, rendered only when its HTML has not been seen.

    ``kind`` names the document ("programme", "action-plan-2025", …) so that keys can be
    told apart when looking at the cache; the HTML hash decides whether it changed.
    """
    html = document.html()
    key = cache_key(kind, document.language, html)
    pdf = django_cache.get(key)
    if pdf is None:
        pdf = _write_pdf(html, document)
        django_cache.set(key, pdf, CACHE_TIMEOUT)
    return pdf


def pdf_filename(*parts: object) -> str:
    """``Flemingsberg 2050``, ``2025``, ``sv`` → ``flemingsberg-2050-2025-sv.pdf``."""
    stem = "-".join(slugify(str(part)) for part in parts if str(part))
    return f"{stem or 'document'}.pdf"


def pdf_response(
    pdf: bytes,
    filename: str,
    *,
    attachment: bool = False,
    public: bool = False,
    max_age: int = 300,
) -> FileResponse:
    """Serve PDF bytes: opened in the browser (or downloaded with ``attachment``), named.

    Drafts and reports for staff are ``private, no-store``; public documents may be kept by
    a shared cache for ``max_age`` seconds.
    """
    response = FileResponse(
        io.BytesIO(pdf),
        content_type="application/pdf",
        as_attachment=attachment,
        filename=filename,
    )
    response["Cache-Control"] = f"public, max-age={max_age}" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
