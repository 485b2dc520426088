"""A long plan's documents are laid out in parts with bounded memory (issue 13): the
summary is counted from light rows, each part fetches its own slice of actions in full and
lets it go, and the parts are merged by streaming from files.

These fail on the code before: it built every action with its goals, partners and
follow-ups up front and kept them for the whole render, and merged the parts' bytes in
memory (pypdf), into a file several times their size."""

from __future__ import annotations

import gc
import io
import weakref

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from actionplan.models import Action, ActionPlan, ActionStatus
from actionplan.pdf import ActionRow, Kind, plan_document, plan_pdf_context, render_plan_pdf
from flemingsberg import pdf as pdf_module

from .conftest import build_plan, build_rich_programme, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

PART = 3


@pytest.fixture
def long_plan(settings):
    """A plan of 8 actions, laid out in parts of 3 (as one of thousands is in 500s)."""
    settings.PDF_PART_ACTIONS = PART
    plan = build_plan(build_rich_programme(), actions=8, status="draft")
    return ActionPlan.objects.select_related("programme").get(pk=plan.pk)


@pytest.fixture
def live_actions():
    """How many Action instances are alive right now (after a collection)."""
    made: list[weakref.ref] = []

    def note(sender, instance, **kwargs):
        made.append(weakref.ref(instance))

    post_init.connect(note, sender=Action, weak=False)

    def count() -> int:
        gc.collect()
        return sum(1 for ref in made if ref() is not None)

    yield count
    post_init.disconnect(note, sender=Action)


def test_a_long_plans_summary_is_counted_from_rows_not_actions(long_plan):
    document = plan_document(long_plan, Kind.FOLLOW_UP, "sv")
    context = document.context
    assert context["action_count"] == 8
    listed = [row for section in context["sections"] for row in section.actions]
    listed += [row for appendix in context["appendices"] for row in appendix.led]
    assert listed and all(isinstance(row, ActionRow) for row in listed)
    assert all(isinstance(row, ActionRow) for row in context["actions"])


def test_rows_and_full_actions_give_the_same_summary(long_plan):
    rows = plan_pdf_context(long_plan, in_parts=True)
    full = plan_pdf_context(long_plan)

    def summary(context):
        return {
            "sections": [
                (s.anchor, [a.pk for a in s.actions], s.counts) for s in context["sections"]
            ],
            "appendices": [
                (a.anchor, [x.pk for x in a.led], [x.pk for x in a.partner], a.counts)
                for a in context["appendices"]
            ],
            "totals": context["status_totals"],
            "coverage": [
                (row.goal.pk, row.by_strategy, row.by_party, row.total)
                for row in context["coverage"].rows
            ],
        }

    assert summary(rows) == summary(full)
    # A part's slice comes back in full, in the rows' order, as the whole document has it.
    section = rows["sections"][0]
    loaded = rows["load_actions"](section.actions)
    assert [a.pk for a in loaded] == [a.pk for a in section.actions]
    by_pk = {a.pk: a for a in full["actions"]}
    for action in loaded:
        assert [p.organisation_id for p in action.partner_list] == [
            p.organisation_id for p in by_pk[action.pk].partner_list
        ]
        assert action.latest_update == by_pk[action.pk].latest_update


def test_an_overlay_reaches_the_rows_and_each_parts_actions(long_plan):
    """A closed round's report puts its snapshot over the live state (round_report): over
    the rows that are counted, and again over each part's actions."""

    def overlay(actions, sub_targets):
        for action in actions:
            action.status = ActionStatus.COMPLETED
            action.latest_update = None

    context = plan_pdf_context(long_plan, overlay=overlay, in_parts=True)
    assert context["status_totals"][ActionStatus.COMPLETED] == 8
    loaded = context["load_actions"](context["actions"][:PART])
    assert [a.status for a in loaded] == [ActionStatus.COMPLETED] * PART
    assert [a.latest_update for a in loaded] == [None] * PART


def test_each_part_is_laid_out_with_its_own_slice_only(long_plan, live_actions, monkeypatch):
    """While a part is laid out, the only actions in memory are that part's (at most
    PDF_PART_ACTIONS); their follow-ups are fetched per part, not up front."""
    document = plan_document(long_plan, Kind.FOLLOW_UP, "sv")
    assert live_actions() == 0  # the summary made no Action
    write = pdf_module._write_pdf
    seen = []

    def counting_write(html, document):
        part = document.context.get("part") or {}
        actions = part.get("actions", [])
        seen.append((part.get("kind"), len(actions), live_actions()))
        assert all(isinstance(action, Action) for action in actions)
        return write(html, document)

    monkeypatch.setattr(pdf_module, "_write_pdf", counting_write)
    with CaptureQueriesContext(connection) as queries:
        pdf = render_plan_pdf(document)
    update_queries = [q for q in queries if 'FROM "actionplan_followupupdate"' in q["sql"]]
    parts_with_actions = [kind for kind, size, _ in seen if size]
    assert len(update_queries) == len(parts_with_actions) > 2
    assert max(alive for *_, alive in seen) <= PART
    assert max(size for _, size, _ in seen) <= PART
    text = pdf_text(pdf)
    for number in range(1, 9):
        assert f"2026:{number:03d}" in text


def test_the_merge_streams_part_files_into_one_file_about_their_size(long_plan, tmp_path, settings):
    """Each part's objects are written once, in compressed object streams as WeasyPrint
    writes them: the whole is about the size of its parts together (pypdf's merge wrote
    3.7 times their size: every object on its own, uncompressed)."""
    settings.PDF_PART_ACTIONS = 1000  # two whole documents as the parts
    parts = []
    for number, kind in enumerate([Kind.FOLLOW_UP, Kind.ACTION_PLAN]):
        path = tmp_path / f"part-{number}.pdf"
        document = plan_document(long_plan, kind, "sv")
        path.write_bytes(pdf_module.render_pdf(document))
        parts.append(path)
    target = io.BytesIO()
    pdf_module.merge_tagged_pdfs(parts, target)
    merged = target.getvalue()
    sizes = [path.stat().st_size for path in parts]
    assert len(merged) < 1.1 * sum(sizes)
    pages = [len(PdfReader(path).pages) for path in parts]
    reader = pdf_reader(merged)
    assert len(reader.pages) == sum(pages)
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert reader.metadata.title == PdfReader(parts[0]).metadata.title
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    keys = [int(key) for key in tree["/ParentTree"]["/Nums"][::2]]
    assert len(keys) == len(set(keys)) and int(tree["/ParentTreeNextKey"]) > max(keys)
    for page in reader.pages:
        assert int(page["/StructParents"]) in keys
