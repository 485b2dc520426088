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
import gc
import hashlib
import io
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
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


def merge_tagged_pdfs(parts: Sequence[str | Path], target: BinaryIO) -> None:
    """Write one PDF of several WeasyPrint documents rendered one after the other (a very
    long document in parts, so that a render's memory is bounded by a part's, not the
    whole's) to ``target``; ``parts`` are the parts' files, the first one the document's
    front.

    The first part is the document: its catalog (language, metadata, XMP, output intent,
    embedded files, named destinations), its structure root and its document information
    stay as WeasyPrint wrote them. Each further part's pages are appended with their
    structure (their elements become children of the first part's ``Document`` element,
    the parent-tree keys renumbered) and their outline entries (after the first part's,
    with their destinations as written), so the whole stays tagged and navigable. Parts
    after the first must link only within themselves (they have no internal links today):
    their catalogs, and with them their named destinations, are left out.

    The merge streams: each part is read, its objects written to ``target`` under new
    numbers and the part let go before the next is opened, so memory holds one part's
    objects and the few lists that span the parts (the pages, the ``Document`` element's
    children, the parent tree's keys, the top-level outline entries), whatever the number
    of parts. The objects go into compressed object streams, as WeasyPrint writes them,
    so the whole is about the size of its parts together.
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    out = _StreamingPDF(target)
    merged = {
        key: out.allocate()
        for key in ("catalog", "pages", "structure", "document", "parent_tree", "outlines", "info")
    }
    page_refs: list[IndirectObject] = []
    document_kids: list[Any] = []
    parent_numbers: list[tuple[int, IndirectObject]] = []
    outline_items: list[tuple[IndirectObject, DictionaryObject]] = []
    outline_count = 0
    first: dict[str, Any] = {}
    key_offset = 0
    for index, path in enumerate(parts):
        reader = PdfReader(path)
        if index == 0:
            out.start(reader.pdf_header)
        root = reader.trailer["/Root"]
        structure = root["/StructTreeRoot"]
        document = structure["/K"][0]
        parent_tree = structure["/ParentTree"].get_object()
        outlines = root.get("/Outlines")
        special = {
            root.indirect_reference.idnum: merged["catalog"],
            structure.indirect_reference.idnum: merged["structure"],
            document.idnum: merged["document"],
        }
        if parent_tree.indirect_reference is not None:
            special[parent_tree.indirect_reference.idnum] = merged["parent_tree"]
        if outlines is not None:
            special[outlines.indirect_reference.idnum] = merged["outlines"]
        if reader.trailer.raw_get("/Info") is not None:
            special[reader.trailer.raw_get("/Info").idnum] = merged["info"]
        nodes = [root.raw_get("/Pages")]
        while nodes:  # the page tree's nodes: each page's /Parent becomes the merged tree
            node = nodes.pop()
            special[node.idnum] = merged["pages"]
            nodes.extend(kid for kid in node.get_object()["/Kids"] if kid["/Type"] == "/Pages")
        part = _PartRemapper(out, special, key_offset)

        # The top-level outline entries are written last, linked across the parts.
        entries = []
        item = outlines.raw_get("/First") if outlines is not None and "/First" in outlines else None
        while item is not None:
            entries.append(item)
            item = dict.get(item.get_object(), "/Next")  # the reference, not the entry
        for item in entries:
            part.defer(item)
        for item in entries:
            outline_items.append((part.ref(item), part.remap(item.get_object())))
        if outlines is not None:
            outline_count += int(outlines.get("/Count", 0))

        page_refs.extend(part.ref(page.indirect_reference) for page in reader.pages)
        document_kids.extend(part.remap(kid) for kid in document.get_object()["/K"])
        numbers = _number_tree(parent_tree)
        for key, value in numbers:
            if isinstance(value, IndirectObject):
                reference = part.ref(value)
            else:  # a direct array: written as an object of its own, kept as a reference
                reference = part.write_new(part.remap(value))
            parent_numbers.append((int(key) + key_offset, reference))
        used = max((int(key) + 1 for key, _ in numbers), default=0)
        key_offset += max(used, int(structure.get("/ParentTreeNextKey", 0)))

        if index == 0:
            first = {
                "catalog": part.remap(root),
                "structure": part.remap(structure),
                "document": part.remap(document.get_object()),
                "info": part.remap(reader.trailer["/Info"]) if "/Info" in reader.trailer else None,
                "id": part.remap(reader.trailer["/ID"]) if "/ID" in reader.trailer else None,
            }
        part.drain(reader)
        del reader, part
        gc.collect()  # a reader and its objects refer to each other: free them now

    for position, (reference, entry) in enumerate(outline_items):
        entry.pop(NameObject("/Prev"), None)
        entry.pop(NameObject("/Next"), None)
        if position:
            entry[NameObject("/Prev")] = outline_items[position - 1][0]
        if position + 1 < len(outline_items):
            entry[NameObject("/Next")] = outline_items[position + 1][0]
        out.write(reference.idnum, entry)
    outline_root = DictionaryObject({NameObject("/Count"): _number(outline_count)})
    if outline_items:
        outline_root[NameObject("/First")] = outline_items[0][0]
        outline_root[NameObject("/Last")] = outline_items[-1][0]
    out.write(merged["outlines"].idnum, outline_root)
    out.write(
        merged["pages"].idnum,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(page_refs),
                NameObject("/Count"): _number(len(page_refs)),
            }
        ),
    )
    document = first["document"]
    document[NameObject("/K")] = ArrayObject(document_kids)
    out.write(merged["document"].idnum, document)
    nums = ArrayObject()
    for key, value in parent_numbers:
        nums.extend((_number(key), value))
    out.write(merged["parent_tree"].idnum, DictionaryObject({NameObject("/Nums"): nums}))
    structure = first["structure"]
    structure[NameObject("/K")] = ArrayObject([merged["document"]])
    structure[NameObject("/ParentTree")] = merged["parent_tree"]
    structure[NameObject("/ParentTreeNextKey")] = _number(key_offset)
    out.write(merged["structure"].idnum, structure)
    catalog = first["catalog"]
    catalog[NameObject("/Pages")] = merged["pages"]
    catalog[NameObject("/StructTreeRoot")] = merged["structure"]
    if outline_items:
        catalog[NameObject("/Outlines")] = merged["outlines"]
    out.write(merged["catalog"].idnum, catalog)
    out.write(merged["info"].idnum, first["info"] or DictionaryObject())
    out.finish(root=merged["catalog"], info=merged["info"], file_id=first["id"])


def _number(value: int):
    from pypdf.generic import NumberObject

    return NumberObject(value)


def _number_tree(node) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a number tree, its /Kids followed (ISO 32000 7.9.7)."""
    pairs = []
    numbers = node.get("/Nums", [])
    pairs.extend(zip(numbers[::2], numbers[1::2], strict=True))
    for kid in node.get("/Kids", []):
        pairs.extend(_number_tree(kid.get_object()))
    return pairs


class _PartRemapper:
    """One part's objects under the merged file's numbers: each object of the part is
    given a new number when first referred to and written once (:meth:`drain`); the
    part's catalog, page tree, structure root, ``Document`` element, parent tree, outline
    root and document information stand for the merged file's own (``special``). The
    parent-tree keys in ``/StructParents`` (pages) and ``/StructParent`` (annotations)
    move by ``key_offset``."""

    def __init__(self, out: _StreamingPDF, special: dict[int, Any], key_offset: int):
        self.out = out
        self.numbers: dict[int, Any] = dict(special)
        self.pending: list[Any] = []
        self.key_offset = key_offset

    def ref(self, reference):
        number = self.numbers.get(reference.idnum)
        if number is None:
            number = self.numbers[reference.idnum] = self.out.allocate()
            self.pending.append((reference, number))
        return number

    def defer(self, reference) -> None:
        """Number an object now that the caller writes itself (an outline entry)."""
        self.numbers.setdefault(reference.idnum, self.out.allocate())

    def remap(self, value):
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

        if isinstance(value, IndirectObject):
            return self.ref(value)
        if isinstance(value, DictionaryObject):
            copy = DictionaryObject()
            for key, item in value.items():
                if key in ("/StructParents", "/StructParent") and self.key_offset:
                    copy[NameObject(key)] = _number(int(item) + self.key_offset)
                elif not (key == "/Length" and _is_stream(value)):  # set when written
                    copy[NameObject(key)] = self.remap(value.raw_get(key))
            return copy
        if isinstance(value, ArrayObject):
            return ArrayObject(self.remap(item) for item in value)
        return value

    def write_new(self, value):
        reference = self.out.allocate()
        self.out.write(reference.idnum, value)
        return reference

    def drain(self, reader) -> None:
        """Write every object referred to so far, and those they refer to."""
        from pypdf.generic import NullObject

        while self.pending:
            source, reference = self.pending.pop()
            value = reader.get_object(source)
            if value is None:
                value = NullObject()
            if _is_stream(value):
                self.out.write_stream(reference.idnum, self.remap(value), value._data)
            else:
                self.out.write(reference.idnum, self.remap(value))


def _is_stream(value) -> bool:
    from pypdf.generic import StreamObject

    return isinstance(value, StreamObject)


class _StreamingPDF:
    """A PDF written as it goes: stream objects straight to the file, the others gathered
    into compressed object streams, then a cross-reference stream (PDF 1.5, which PDF/A-3
    allows). The cross-reference rows are kept as the stream will hold them, 7 bytes per
    object (type 1: in the file at an offset; type 2: in an object stream at an index;
    type 0 until written), not as Python objects: a 10,000-action report has 160,000."""

    BATCH = 500
    ROW = 7  # /W [1 4 2]

    def __init__(self, target: BinaryIO):
        self.target = target
        self.position = 0
        self.count = 1
        # Object 0 is the head of the free list.
        self.rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
        self.batch: list[tuple[int, bytes]] = []

    def allocate(self):
        from pypdf.generic import IndirectObject

        number = self.count
        self.count += 1
        self.rows.extend(bytes(self.ROW))
        return IndirectObject(number, 0, None)

    def _row(self, number: int, kind: int, first: int, second: int) -> None:
        start = number * self.ROW
        self.rows[start : start + self.ROW] = (
            bytes((kind,)) + first.to_bytes(4, "big") + second.to_bytes(2, "big")
        )

    def _emit(self, data: bytes) -> None:
        self.target.write(data)
        self.position += len(data)

    def start(self, header: str) -> None:
        # The binary comment marks the file as binary (PDF/A wants four bytes above 127).
        self._emit(header.encode() + b"\n%\xe2\xe3\xcf\xd3\n")

    def write(self, number: int, value) -> None:
        buffer = io.BytesIO()
        value.write_to_stream(buffer)
        self.batch.append((number, buffer.getvalue()))
        if len(self.batch) >= self.BATCH:
            self._flush()

    def write_stream(self, number: int, dictionary, data: bytes) -> None:
        from pypdf.generic import NameObject

        dictionary[NameObject("/Length")] = _number(len(data))
        buffer = io.BytesIO()
        buffer.write(f"{number} 0 obj\n".encode())
        dictionary.write_to_stream(buffer)
        buffer.write(b"\nstream\n")
        self._row(number, 1, self.position, 0)
        self._emit(buffer.getvalue())
        self._emit(data)
        self._emit(b"\nendstream\nendobj\n")

    def _flush(self) -> None:
        import zlib

        from pypdf.generic import DictionaryObject, NameObject

        if not self.batch:
            return
        stream = self.allocate()
        index, body = [], io.BytesIO()
        for position, (number, data) in enumerate(self.batch):
            index.append(f"{number} {body.tell()}")
            body.write(data + b"\n")
            self._row(number, 2, stream.idnum, position)
        head = (" ".join(index) + "\n").encode()
        dictionary = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/ObjStm"),
                NameObject("/N"): _number(len(self.batch)),
                NameObject("/First"): _number(len(head)),
                NameObject("/Filter"): NameObject("/FlateDecode"),
            }
        )
        self.batch = []
        self.write_stream(stream.idnum, dictionary, zlib.compress(head + body.getvalue()))

    def finish(self, *, root, info, file_id) -> None:
        import zlib

        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        self._flush()
        xref = self.allocate()
        self._row(xref.idnum, 1, self.position, 0)
        missing = [n for n in range(1, self.count) if self.rows[n * self.ROW] == 0]
        if missing:
            raise ValueError(f"objects numbered but not written: {missing[:10]}")
        dictionary = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/XRef"),
                NameObject("/Size"): _number(self.count),
                NameObject("/W"): ArrayObject([_number(1), _number(4), _number(2)]),
                NameObject("/Root"): root,
                NameObject("/Info"): info,
                NameObject("/Filter"): NameObject("/FlateDecode"),
            }
        )
        if file_id is not None:
            dictionary[NameObject("/ID")] = file_id
        start = self.position
        self.write_stream(xref.idnum, dictionary, zlib.compress(bytes(self.rows)))
        self._emit(f"startxref\n{start}\n%%EOF\n".encode())


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
