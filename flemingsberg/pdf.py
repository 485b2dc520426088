"""The one way the portal makes a PDF: a Django template and its context, through WeasyPrint.

Every document (the programme, an action plan, a follow-up report) goes through
:func:`render_pdf` (or :func:`render_archival_pdf`), called by the task worker only
(``flemingsberg.renders``: render jobs keyed by the content, stored, served from there):

* Static files (the stylesheet, the fonts in ``static/fonts/``) are read from disk through
  the staticfiles finders or ``STATIC_ROOT``. The document's base URL is a host name that
  cannot resolve (``.invalid``); :class:`LocalStaticFetcher` maps it to files and refuses
  everything else, so no render ever opens a network connection, whatever a template or a
  text typed in the admin contains.
* The PDF is tagged (PDF/UA-1: structure tree, language, title), carries its metadata
  (title, author, language, creation date) and an outline built from the headings'
  ``bookmark-level`` (see ``static/css/pdf.css``).
* An **archival** document (:func:`render_archival_pdf`: an adopted plan, a closed
  follow-up round's report) is PDF/A-3a instead, for the e-archive: the same tags (level
  "a" is the accessible one), all fonts embedded, an sRGB output intent, its data embedded
  as associated files (``AFRelationship /Data``: the CSV and JSON the pages were made
  from) and the decision it records (body, date, reference) in its XMP metadata. It also
  carries the PDF/UA-1 identification: WeasyPrint's ``pdf/ua-1`` variant adds nothing
  beyond the tags and that identification, so one file is both archival and accessible.
  WeasyPrint does all of it itself (``Attachment(relationship=…)``; the XMP through a
  subclass of its ``DocumentMetadata``); the one post-processing step is joining the parts
  of a very long document (:func:`merge_tagged_pdfs`, pypdf), which keeps the first part's
  catalog and metadata as WeasyPrint wrote them.
* Rendering takes seconds, so no request renders: ``flemingsberg.renders`` keys each
  document by the versions of the rows it shows and :func:`layout_fingerprint` (the layout
  files), checked before any HTML is built, and renders a key once, in the worker.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

#: A host that cannot exist (RFC 2606): relative URLs in PDF templates resolve against it
#: and :class:`LocalStaticFetcher` answers them from disk.
PDF_BASE_URL = "https://pdf.flemingsberg.invalid/"
STYLESHEET = "css/pdf.css"
AUTHOR = "Region Stockholm, Huddinge kommun, Botkyrka kommun"

#: The PDF variants the portal writes: every document is PDF/UA-1, archival copies are
#: PDF/A-3a (and identify as PDF/UA-1 too).
PDF_UA_1 = "pdf/ua-1"
PDF_A_3A = "pdf/a-3a"
#: The European Legislation Identifier ontology: the vocabulary the EU and its member
#: states use for the metadata of decisions (who passed it, when, its local reference).
ELI_NAMESPACE = "http://data.europa.eu/eli/ontology#"


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
class PDFAttachment:
    """A file embedded in an archival PDF as an associated file of the whole document."""

    name: str
    content: bytes
    description: str
    #: ISO 32000-2 7.11.3: "Data" is the data the document's tables and charts show.
    relationship: str = "Data"

    @property
    def media_type(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"


@dataclass(frozen=True)
class DecisionRecord:
    """The decision a document records: who decided, when, and the minutes' reference."""

    body: str
    date: datetime.date | None
    reference: str = ""


@dataclass(frozen=True)
class Archival:
    """What makes a document an archival copy (PDF/A-3a): its data and its decision."""

    attachments: tuple[PDFAttachment, ...] = ()
    decision: DecisionRecord | None = None

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for attachment in self.attachments:
            digest.update(attachment.name.encode() + b"\0" + attachment.relationship.encode())
            digest.update(hashlib.sha256(attachment.content).digest())
        if self.decision is not None:
            digest.update(repr(self.decision).encode())
        return digest.hexdigest()


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
    #: Set for an archival copy (PDF/A-3a); None for the PDF/UA-1 documents.
    archival: Archival | None = None

    @property
    def variant(self) -> str:
        return PDF_A_3A if self.archival is not None else PDF_UA_1

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


def _archival_metadata_class():
    """WeasyPrint's DocumentMetadata with the XMP an archival copy needs besides its own
    (which already writes pdfaid:part/conformance, dc:title, dc:creator, the dates)."""
    from xml.etree.ElementTree import SubElement, fromstring, register_namespace, tostring

    from weasyprint.pdf.metadata import NS, DocumentMetadata

    rdf = NS["rdf"]
    extension = "http://www.aiim.org/pdfa/ns/extension/"
    schema_ns = "http://www.aiim.org/pdfa/ns/schema#"
    property_ns = "http://www.aiim.org/pdfa/ns/property#"
    for prefix, uri in (
        ("pdfaExtension", extension),
        ("pdfaSchema", schema_ns),
        ("pdfaProperty", property_ns),
        ("eli", ELI_NAMESPACE),
    ):
        register_namespace(prefix, uri)

    # PDF/A allows XMP properties outside its predefined schemas only when the file
    # describes them (ISO 19005-3, 6.6.2.3): pdfuaid and the ELI decision properties.
    schemas = [
        (
            "PDF/UA Universal Accessibility Schema",
            NS["pdfuaid"],
            "pdfuaid",
            [("part", "Integer", "internal", "Part of ISO 14289 the file conforms to")],
        ),
        (
            "European Legislation Identifier (ELI) ontology: the decision",
            ELI_NAMESPACE,
            "eli",
            [
                ("passed_by", "Text", "external", "The body that took the decision"),
                ("date_document", "Date", "external", "The date of the decision"),
                ("id_local", "Text", "external", "The decision's reference in the minutes"),
            ],
        ),
    ]

    class ArchivalMetadata(DocumentMetadata):
        decision: DecisionRecord | None = None

        def generate_rdf_metadata(self, variant, version, conformance):
            # WeasyPrint's own output, not untrusted input.
            root = fromstring(super().generate_rdf_metadata(variant, version, conformance))  # noqa: S314
            description = SubElement(root, f"{{{rdf}}}Description", {f"{{{rdf}}}about": ""})
            SubElement(description, f"{{{NS['pdfuaid']}}}part").text = "1"
            decision = self.decision
            if decision is not None:
                values = {
                    "passed_by": decision.body,
                    "date_document": decision.date.isoformat() if decision.date else "",
                    "id_local": decision.reference,
                }
                for name, value in values.items():
                    if value:
                        SubElement(description, f"{{{ELI_NAMESPACE}}}{name}").text = value
            container = SubElement(root, f"{{{rdf}}}Description", {f"{{{rdf}}}about": ""})
            bag = SubElement(SubElement(container, f"{{{extension}}}schemas"), f"{{{rdf}}}Bag")
            for title, uri, prefix, properties in schemas:
                item = SubElement(bag, f"{{{rdf}}}li", {f"{{{rdf}}}parseType": "Resource"})
                SubElement(item, f"{{{schema_ns}}}schema").text = title
                SubElement(item, f"{{{schema_ns}}}namespaceURI").text = uri
                SubElement(item, f"{{{schema_ns}}}prefix").text = prefix
                sequence = SubElement(SubElement(item, f"{{{schema_ns}}}property"), f"{{{rdf}}}Seq")
                for name, value_type, category, text in properties:
                    entry = SubElement(
                        sequence, f"{{{rdf}}}li", {f"{{{rdf}}}parseType": "Resource"}
                    )
                    SubElement(entry, f"{{{property_ns}}}name").text = name
                    SubElement(entry, f"{{{property_ns}}}valueType").text = value_type
                    SubElement(entry, f"{{{property_ns}}}category").text = category
                    SubElement(entry, f"{{{property_ns}}}description").text = text
            return tostring(root, encoding="utf-8")

    return ArchivalMetadata


def _write_pdf(html: str, document: PDFDocument) -> bytes:
    """Lay out the HTML and write the PDF: the one place WeasyPrint runs."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fetcher = local_static_fetcher()
    font_config = FontConfiguration()
    stylesheet = weasyprint.CSS(
        url=static_url(STYLESHEET), url_fetcher=fetcher, font_config=font_config
    )
    variant = document.variant
    rendered = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher, media_type="print"
    ).render(
        font_config=font_config,
        stylesheets=[stylesheet],
        pdf_variant=variant,
        pdf_tags=True,
    )
    created = (document.created or timezone.now()).astimezone(datetime.UTC)
    options: dict[str, Any] = {}
    if document.archival is not None:
        metadata = _archival_metadata_class()(**vars(rendered.metadata))
        metadata.decision = document.archival.decision
        rendered.metadata = metadata
        options["attachments"] = [
            weasyprint.Attachment(
                string=attachment.content,
                name=attachment.name,
                description=attachment.description,
                # Naive UTC: WeasyPrint writes these with a "Z".
                created=created.replace(tzinfo=None),
                modified=created.replace(tzinfo=None),
                relationship=attachment.relationship,
            )
            for attachment in document.archival.attachments
        ]
        options["finisher"] = _list_associated_files_once
    metadata = rendered.metadata
    metadata.title = document.title
    metadata.authors = [document.author]
    metadata.lang = document.language
    metadata.description = document.subject or None
    metadata.keywords = list(document.keywords) or None
    metadata.generator = "Flemingsberg 2050 portal (WeasyPrint)"
    metadata.created = metadata.modified = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return rendered.write_pdf(pdf_variant=variant, pdf_tags=True, **options)


def _list_associated_files_once(document, pdf) -> None:
    """WeasyPrint 70 lists each associated file twice in the catalogue's /AF (once from
    the embedded-files name tree, once from the file specifications): keep one of each."""
    import pydyf

    associated = pdf.catalog.get("AF")
    if associated:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(associated))


def render_pdf(document: PDFDocument) -> bytes:
    """Render a document to PDF bytes, without the cache (frozen copies, benchmarks)."""
    return _write_pdf(document.html(), document)


def render_archival_pdf(
    document: PDFDocument,
    *,
    attachments: tuple[PDFAttachment, ...] | list[PDFAttachment] = (),
    decision: DecisionRecord | None = None,
) -> bytes:
    """The document as an archival copy: PDF/A-3a (and PDF/UA-1) with ``attachments``
    embedded as its associated files and ``decision`` in its XMP metadata.

    For documents that are kept as they were made (an adopted plan, a closed follow-up
    round's report); it does not use the cache, as such a render happens once.
    """
    archival = Archival(attachments=tuple(attachments), decision=decision)
    return render_pdf(replace(document, archival=archival))


def merge_tagged_pdfs(parts: list[bytes]) -> bytes:
    """One PDF of several WeasyPrint documents rendered one after the other (a very long
    document in parts, so that a render's memory is bounded by a part's, not the whole's).

    The first part is the document: its catalog (language, metadata, XMP, output intent,
    embedded files) and document information stay as they are. Each further part's pages
    are appended with their structure (their elements become children of the first part's
    ``Document`` element, the parent-tree keys renumbered) and their outline entries, so the
    whole stays tagged and navigable. Parts after the first must link only within
    themselves (they have no internal links today).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    if len(parts) == 1:
        return parts[0]
    writer = PdfWriter(clone_from=io.BytesIO(parts[0]))
    first_info = PdfReader(io.BytesIO(parts[0])).metadata
    structure = writer.root_object["/StructTreeRoot"].get_object()
    document = structure["/K"][0].get_object()
    document_ref = structure["/K"][0]
    numbers = structure["/ParentTree"].get_object()["/Nums"]
    next_key = max(int(key) for key in numbers[::2]) + 1 if numbers else 0

    def reparent(reference, parent) -> None:
        """Point each cloned element at its parent (the clone left /P out, which would
        have copied the part's whole tree again)."""
        element = reference.get_object()
        element[NameObject("/P")] = parent
        kids = element.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            child = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(child, DictionaryObject) and "/S" in child:  # an element, not MCR/OBJR
                reparent(kid, reference)

    for data in parts[1:]:
        reader = PdfReader(io.BytesIO(data))
        first_page = len(writer.pages)
        for page in reader.pages:
            added = writer.add_page(page)  # pypdf leaves /StructParents out: set below
            if "/StructParents" in page:
                added[NameObject("/StructParents")] = NumberObject(
                    int(page["/StructParents"]) + next_key
                )
            for annotation in added.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        int(annotation["/StructParent"]) + next_key
                    )
        source = reader.root_object["/StructTreeRoot"].get_object()
        source_document = source["/K"][0].get_object()
        for kid in source_document["/K"]:
            # Cloned after the pages, so each element's /Pg points at the appended page.
            reference = kid.clone(writer, ignore_fields=("/P",))
            reparent(reference, document_ref)
            document["/K"].append(reference)
        source_numbers = source["/ParentTree"].get_object()["/Nums"]
        for key, value in zip(source_numbers[::2], source_numbers[1::2], strict=True):
            numbers.append(NumberObject(int(key) + next_key))
            numbers.append(value.clone(writer))
        if source_numbers:
            next_key += max(int(key) for key in source_numbers[::2]) + 1

        _append_outline(writer, reader, reader.outline, first_page)
    structure[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)
    if first_info:
        writer.add_metadata(dict(first_info))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _append_outline(writer, reader, items, first_page: int, parent=None) -> None:
    """A part's outline entries, nested as they were, pointing at its appended pages."""
    last = None
    for item in items:
        if isinstance(item, list):
            _append_outline(writer, reader, item, first_page, last)
            continue
        number = reader.get_destination_page_number(item)
        last = writer.add_outline_item(
            title=item.title, page_number=first_page + number, parent=parent
        )


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
