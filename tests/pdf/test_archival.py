"""The adopted plan's stored document is an archival copy: PDF/A-3a (and PDF/UA-1), its
data attached as associated files, the decision in its XMP — checked structurally with
pypdf, as no PDF/A or PDF/UA validator (veraPDF, PAC) is available here."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from pypdf.generic import IndirectObject

from actionplan.models import Action, AdoptedPlanDocument
from actionplan.pdf import Kind, plan_pdf_context, store_adopted_plan_pdf
from flemingsberg import pdf as pdf_module
from programme.models import DevelopmentGoal
from tests.decisions import coordination_decision

from .conftest import GOALS, build_plan, build_rich_programme, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "dc": "http://purl.org/dc/elements/1.1/",
}
HIDDEN_GOAL_ACTION = "Åtgärd under ett opublicerat mål"


def _add_action_under_unpublished_goal(plan):
    """An action whose only goal is unpublished: it belongs in the adopted document too."""
    hidden = DevelopmentGoal.objects.get(programme=plan.programme, is_published=False)
    action = Action.objects.create(
        plan=plan,
        number=f"{plan.year}:999",
        title=HIDDEN_GOAL_ACTION,
        title_en="Action under an unpublished goal",
        lead_organisation=plan.actions.first().lead_organisation,
    )
    action.goals.add(hidden)
    return action


@pytest.fixture(scope="module", params=["whole", "in parts"])
def stored(rolled_back, request):
    """An adopted plan's stored documents, rendered once for the module (real WeasyPrint):
    laid out whole, and in parts of two actions (as a plan of thousands is, see
    ``render_plan_pdf``) – every test below holds for both."""
    from django.test import override_settings

    def build():
        plan = build_plan(build_rich_programme(), actions=4, status="adopted")
        _add_action_under_unpublished_goal(plan)
        with override_settings(PDF_PART_ACTIONS=2 if request.param == "in parts" else 1000):
            documents = store_adopted_plan_pdf(plan=plan, by=None)
        numbers = list(plan.actions.order_by("number").values_list("number", flat=True))
        return {
            "documents": {
                doc.language: {
                    "pdf": bytes(doc.pdf),
                    "sha256": doc.sha256,
                    "size": doc.size,
                    "variant": doc.variant,
                }
                for doc in documents
            },
            "numbers": numbers,
            "decision": (plan.decision.date, plan.decision.minutes_paragraph),
        }

    return rolled_back(build)


@pytest.fixture(params=["sv", "en"])
def document(request, stored):
    return stored["documents"][request.param] | {"language": request.param}


def _xmp(pdf: bytes) -> ET.Element:
    reader = pdf_reader(pdf)
    return ET.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())  # noqa: S314


def _xmp_value(root: ET.Element, prefix: str, name: str) -> str | None:
    """A simple XMP property, written as an attribute or as an element."""
    qualified = f"{{{NS[prefix]}}}{name}"
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if qualified in description.attrib:
            return description.attrib[qualified]
        element = description.find(qualified)
        if element is not None:
            return element.text
    return None


def test_stored_copy_is_recorded_as_the_archival_pdf_a_3a(document):
    assert document["variant"] == AdoptedPlanDocument.Variant.PDF_A_3A
    assert document["sha256"] == hashlib.sha256(document["pdf"]).hexdigest()
    assert document["size"] == len(document["pdf"])


def test_xmp_identifies_pdf_a_3a_and_pdf_ua_1(document):
    root = _xmp(document["pdf"])
    assert _xmp_value(root, "pdfaid", "part") == "3"
    assert _xmp_value(root, "pdfaid", "conformance") == "A"
    assert _xmp_value(root, "pdfuaid", "part") == "1"
    reader = pdf_reader(document["pdf"])
    assert reader.pdf_header == "%PDF-1.7"
    assert len(reader.trailer["/ID"]) == 2  # PDF/A needs the file identifier


def test_xmp_carries_the_decision_and_describes_its_properties(document, stored):
    date, reference = stored["decision"]
    root = _xmp(document["pdf"])
    # The decision record (programme.Decision), its body named in the document's language.
    body = {"sv": "Politiska samordningsgruppen", "en": "Political coordination group"}
    assert _xmp_value(root, "eli", "passed_by") == body[document["language"]]
    assert _xmp_value(root, "eli", "date_document") == date.isoformat()
    assert _xmp_value(root, "eli", "id_local") == reference == "§ 7"
    # PDF/A: properties outside its predefined schemas are described in the file itself.
    described = {
        (
            item.findtext("pdfaSchema:namespaceURI", namespaces=NS),
            entry.findtext("pdfaProperty:name", namespaces=NS),
        )
        for item in root.iterfind(".//pdfaExtension:schemas/rdf:Bag/rdf:li", NS)
        for entry in item.iterfind("pdfaSchema:property/rdf:Seq/rdf:li", NS)
    }
    assert {
        (NS["pdfuaid"], "part"),
        (NS["eli"], "passed_by"),
        (NS["eli"], "date_document"),
        (NS["eli"], "id_local"),
    } <= described
    title = root.find(".//dc:title/rdf:Alt/rdf:li", NS).text
    assert title.startswith(("Handlingsplan", "Action plan"))


def test_data_is_embedded_as_associated_files_with_relationship_data(document, stored):
    reader = pdf_reader(document["pdf"])
    catalog = reader.trailer["/Root"]
    specs = [spec.get_object() for spec in catalog["/AF"]]
    names = sorted(str(spec["/UF"]) for spec in specs)
    stem = "flemingsberg-2050-action-plan-2026"
    assert names == [f"{stem}-actions.csv", f"{stem}-follow-ups.csv", f"{stem}.json"]
    assert len(catalog["/AF"]) == 3  # each file listed once
    media_types = {}
    contents = {}
    for spec in specs:
        assert spec["/AFRelationship"] == "/Data"
        assert spec["/Desc"]
        stream = spec["/EF"]["/F"].get_object()
        media_types[str(spec["/UF"])] = stream["/Subtype"]
        contents[str(spec["/UF"])] = stream.get_data()
        params = stream["/Params"]
        assert params["/Size"] == len(contents[str(spec["/UF"])])
        assert str(params["/ModDate"]).startswith("D:")
    assert media_types == {
        f"{stem}-actions.csv": "/text/csv",
        f"{stem}-follow-ups.csv": "/text/csv",
        f"{stem}.json": "/application/json",
    }
    # The embedded-files name tree lists the same files (readers show them as attachments).
    assert sorted(reader.attachments) == names

    actions_csv = contents[f"{stem}-actions.csv"]
    assert actions_csv.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(actions_csv.decode("utf-8-sig"))))
    assert [row["number"] for row in rows] == stored["numbers"]
    follow_ups = list(
        csv.DictReader(io.StringIO(contents[f"{stem}-follow-ups.csv"].decode("utf-8-sig")))
    )
    assert len(follow_ups) == 2 * 4  # two follow-ups for each built action
    data = json.loads(contents[f"{stem}.json"])
    assert [action["number"] for action in data["actions"]] == stored["numbers"]
    assert data["plan"]["decision"] == {
        "body": "Politiska samordningsgruppen",
        "date": "2025-12-10",
        "reference": "§ 7",
    }
    assert sum(len(action["follow_ups"]) for action in data["actions"]) == 8


def test_tagged_marked_with_language_and_srgb_output_intent(document):
    catalog = pdf_reader(document["pdf"]).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    tree = catalog["/StructTreeRoot"].get_object()
    assert tree["/K"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == document["language"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    (intent,) = catalog["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object().get_data()


def _fonts(resources, seen):
    fonts = resources.get("/Font") if resources else None
    for font in (fonts.get_object() if fonts else {}).values():
        font = font.get_object() if isinstance(font, IndirectObject) else font
        if id(font) in seen:
            continue
        seen.add(id(font))
        yield font
        for descendant in font.get("/DescendantFonts", []):
            yield descendant.get_object()


def test_every_font_is_embedded(document):
    reader = pdf_reader(document["pdf"])
    seen: set[int] = set()
    fonts = [
        font
        for page in reader.pages
        for font in _fonts(page.get("/Resources", {}).get_object(), seen)
    ]
    assert fonts
    for font in fonts:
        if font["/Subtype"] in ("/Type0", "/Type3"):
            continue  # the descendant (Type0) or the glyph procedures (Type3) carry them
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_the_document_is_one_tagged_whole_with_its_outline(document):
    """Also when laid out in parts: each page's content belongs to the structure tree (its
    /StructParents key is in the parent tree), each element hangs from its parent and points
    at a page of this document, and the outline names every goal."""
    reader = pdf_reader(document["pdf"])
    tree = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    keys = {int(key) for key in tree["/ParentTree"]["/Nums"][::2]}
    pages = {page.indirect_reference.idnum for page in reader.pages}
    for page in reader.pages:
        assert int(page["/StructParents"]) in keys
    next_key = tree.get("/ParentTreeNextKey")  # optional; set when parts were merged
    assert next_key is None or int(next_key) > max(keys)
    root = tree.raw_get("/K")[0]
    elements = 0

    def walk(reference, parent):
        nonlocal elements
        element = reference.get_object()
        elements += 1
        assert element.raw_get("/P").idnum == parent.idnum
        if "/Pg" in element:
            assert element.raw_get("/Pg").idnum in pages
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, IndirectObject) and "/S" in kid.get_object():
                walk(kid, reference)

    for kid in root.get_object()["/K"]:
        walk(kid, root)
    assert elements > 100
    titles = []

    def outline(items):
        for item in items:
            if isinstance(item, list):
                outline(item)
            else:
                titles.append(item.title)

    outline(reader.outline)
    goals = [sv if document["language"] == "sv" else en for sv, en in GOALS]
    for goal in goals:
        assert any(goal in title for title in titles), goal


def test_every_action_is_in_the_adopted_document(stored):
    """Issue 11: an action whose only goal is unpublished was missing from the document."""
    text = pdf_text(stored["documents"]["sv"]["pdf"])
    for number in stored["numbers"]:
        assert number in text
    assert HIDDEN_GOAL_ACTION in text
    assert "Opublicerat mål" not in text  # the unpublished goal itself is not named


def test_context_lists_an_action_whose_goals_are_all_unpublished():
    plan = build_plan(build_rich_programme(), actions=2, status="draft")
    hidden = _add_action_under_unpublished_goal(plan)
    context = plan_pdf_context(plan)
    listed = [action.pk for section in context["sections"] for action in section.actions]
    assert hidden.pk in listed
    (section,) = [s for s in context["sections"] if hidden.pk in {a.pk for a in s.actions}]
    assert section.goal is None


def test_render_archival_pdf_is_general_and_keeps_the_ua_variant_for_the_rest():
    """The function another document (a closed round's report) calls: any document,
    any data files, any decision; without it a document stays PDF/UA-1."""
    programme = build_rich_programme()
    plan = build_plan(programme, actions=1, status="draft")
    document = pdf_module.PDFDocument(
        template="actionplan/pdf/follow_up_report.html",
        context={**plan_pdf_context(plan), "kind": Kind.FOLLOW_UP},
        title="Uppföljningsrapport",
        language="sv",
    )
    archival = pdf_module.render_archival_pdf(
        document,
        attachments=[pdf_module.PDFAttachment("round.json", b"{}", "Omgången")],
        decision=pdf_module.DecisionRecord(body="Styrgruppen", date=datetime.date(2026, 6, 1)),
    )
    root = _xmp(archival)
    assert _xmp_value(root, "pdfaid", "part") == "3"
    assert _xmp_value(root, "eli", "passed_by") == "Styrgruppen"
    assert _xmp_value(root, "eli", "id_local") is None  # no reference given, none invented
    assert list(pdf_reader(archival).attachments) == ["round.json"]

    plain = pdf_module.render_pdf(document)
    plain_root = _xmp(plain)
    assert _xmp_value(plain_root, "pdfuaid", "part") == "1"
    assert _xmp_value(plain_root, "pdfaid", "part") is None
    assert "/AF" not in pdf_reader(plain).trailer["/Root"]


def test_admin_shows_and_serves_the_stored_copies(
    editor, make_staff, django_capture_on_commit_callbacks, monkeypatch
):
    from django.test import Client

    from actionplan import services

    def fake(html, document):
        return b"%PDF-1.7 " + document.variant.encode()

    monkeypatch.setattr(pdf_module, "_write_pdf", fake)
    plan = build_plan(build_rich_programme(), actions=1, status="proposed")
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_plan(
            plan=plan,
            to_status="adopted",
            by=editor,
            decision=coordination_decision(datetime.date(2025, 12, 10)),
        )
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("admin:actionplan_actionplan_change", args=[plan.pk]))
    html = page.content.decode()
    assert "PDF/A-3a" in html
    url = reverse("admin:actionplan_actionplan_stored_pdf", args=[plan.pk, "sv"])
    assert url in html
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 pdf/a-3a"
    assert response["Content-Disposition"].endswith('-pdfa.pdf"')
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    public = Client().get(reverse("actionplan:year", kwargs={"year": plan.year}))
    assert "PDF/A" in public.content.decode()


@pytest.mark.parametrize(("language", "phrase"), [("sv", "Inget externt"), ("en", "No external")])
def test_accessibility_statement_says_what_was_checked_without_a_validator(
    visitor, language, phrase
):
    from django.utils import translation

    with translation.override(language):
        url = reverse("accessibility")
    html = visitor.get(url).content.decode()
    assert phrase in html and "veraPDF" in html and "PAC" in html
    assert "PDF/A-3a" in html
