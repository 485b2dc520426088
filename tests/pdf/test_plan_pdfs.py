"""The action plan and the follow-up report: content in both languages, DRAFT marking,
constant queries, who may export them, and the frozen copy of an adopted plan."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actionplan import services
from actionplan.models import Action, ActionPlan, AdoptedPlanDocument, FollowUpUpdate
from actionplan.pdf import Kind, plan_document, plan_pdf_context, render_plan_pdf
from flemingsberg import pdf as pdf_module
from tests.decisions import coordination_decision

from .conftest import GOALS, build_plan, build_rich_programme, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", params=["whole", "in parts"])
def plan_pdfs(rolled_back, request) -> dict[tuple[str, str], bytes]:
    """A draft plan's two documents, each rendered once per language: laid out whole, and
    in parts of three actions (as a plan of thousands is) – the tests hold for both."""
    from django.test import override_settings

    def build():
        plan = build_plan(build_rich_programme(), actions=8, status="draft")
        with override_settings(PDF_PART_ACTIONS=3 if request.param == "in parts" else 1000):
            return {
                (kind, language): render_plan_pdf(plan_document(plan, kind, language))
                for kind in Kind.values
                for language in ("sv", "en")
            } | {"mode": request.param}

    return rolled_back(build)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_follow_up_report_holds_goals_actions_numbers_and_follow_up(plan_pdfs, language):
    pdf = plan_pdfs[(Kind.FOLLOW_UP, language)]
    text = pdf_text(pdf)
    sv = language == "sv"
    title = "Uppföljningsrapport 2026" if sv else "Follow-up report 2026"
    assert title in text
    assert pdf_reader(pdf).metadata.title == title
    assert pdf_reader(pdf).trailer["/Root"]["/Lang"] == language
    for goal in GOALS:
        assert goal[0 if sv else 1] in text
    for number in range(1, 9):
        assert f"2026:{number:03d}" in text
    assert ("Åtgärd 3: gång- och cykelstråk" if sv else "Action 3: walking and cycling") in text
    assert ("Uppföljning 9: arbetet går framåt" if sv else "Follow-up 9: work on action") in text
    assert "Region Stockholm" in text and "Huddinge kommun" in text and "Botkyrka kommun" in text
    assert ("Innehåll" if sv else "Contents") in text
    if plan_pdfs["mode"] == "whole":
        assert ("sida 2 av" if sv else "page 2 of") in text
    else:  # the page numbers go on from part to part
        pages = pdf_reader(pdf).pages
        last = pages[-1].extract_text()
        assert f"{'sida' if sv else 'page'} {len(pages)}" in last
        assert len({page.extract_text().split("\n")[-1] for page in pages}) == len(pages)
    assert ("Bilaga: åtgärder per part" if sv else "Appendix: actions per party") in text
    assert ("Dialogmöte om stråken" if sv else "Dialogue meeting on the links") in text
    assert "2017" in text and "2030" in text  # the charts' axes and the values table


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_draft_plan_is_marked_on_every_page(plan_pdfs, language):
    reader = pdf_reader(plan_pdfs[(Kind.ACTION_PLAN, language)])
    mark = "UTKAST" if language == "sv" else "DRAFT"
    assert len(reader.pages) > 2
    for page in reader.pages:
        assert mark in page.extract_text()
    text = pdf_text(plan_pdfs[(Kind.ACTION_PLAN, language)])
    assert ("Handlingsplan 2026–2028" if language == "sv" else "Action plan 2026–2028") in text
    assert "2026:008" in text


def test_plan_pdf_context_takes_the_same_queries_for_5_and_50_actions():
    programme = build_rich_programme()
    counts = []
    for year, actions in [(2026, 5), (2027, 50)]:
        plan = build_plan(
            programme, actions=actions, year=year, measurements=4 if year == 2026 else 0
        )
        plan = ActionPlan.objects.select_related("programme").get(pk=plan.pk)
        with CaptureQueriesContext(connection) as queries:
            context = plan_pdf_context(plan)
        assert context["action_count"] == actions
        counts.append(len(queries))
    # goals, sub-targets, measurements, assessments, actions (+lead), action goals,
    # partners, updates, parties, funding, communication; for the coverage tables the
    # strategies and the actions' strategies and sub-strategies
    assert counts[0] == counts[1] == 14, counts


def test_the_report_embeds_the_web_pages_own_chart_svg():
    from indicators.charts import sub_target_chart
    from indicators.models import SubTarget

    plan = build_plan(build_rich_programme(), actions=2)
    with translation.override("en"):
        html = plan_document(plan, Kind.FOLLOW_UP, "en").html()
        sub_target = SubTarget.objects.with_published_measurements().first()
        svg = str(sub_target_chart(sub_target))
    assert svg.startswith("<svg") and svg in html


# ---------------------------------------------------------------- access and the admin


@pytest.fixture
def fake_render(monkeypatch):
    """WeasyPrint replaced by a hash of the HTML: fast, and different when content differs."""
    calls = []

    def write(html, document):
        calls.append(document.title)
        return b"%PDF-1.7 " + hashlib.sha256(html.encode()).hexdigest().encode()

    monkeypatch.setattr(pdf_module, "_write_pdf", write)
    return calls


@pytest.fixture
def draft_plan(db):
    return build_plan(build_rich_programme(), actions=3, status="draft")


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _download(client, response):
    """Follow the request to its job's page (the render already ran: immediate backend) and
    download the PDF from there."""
    assert response.status_code == 302 and "/renders/" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'role="status"' in page.content.decode()
    return client.get(page.context["download_url"])


def test_steering_member_exports_a_drafts_report_and_a_visitor_cannot(
    steering_member, visitor, draft_plan, fake_render
):
    url = reverse("admin:actionplan_actionplan_pdf", args=[draft_plan.pk, Kind.FOLLOW_UP])
    client = _client(steering_member)
    response = _download(client, client.get(url + "?language=sv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="flemingsberg-2050-uppfoljningsrapport-2026-draft-sv.pdf"'
    )
    assert response["Cache-Control"].startswith("private, no-store")
    anonymous = visitor.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert fake_render == ["Uppföljningsrapport 2026"]


def test_editor_and_coordinator_export_staff_without_role_cannot(
    editor, coordinator_botkyrka, draft_plan, fake_render, django_user_model
):
    url = reverse("admin:actionplan_actionplan_pdf", args=[draft_plan.pk, Kind.ACTION_PLAN])
    first = _client(editor).get(url)
    assert first.status_code == 302
    second = _client(coordinator_botkyrka).get(url)  # documented choice
    assert second.status_code == 302
    assert second["Location"] == first["Location"]  # the same content: the same job
    roleless = django_user_model.objects.create_user("staff-no-role", is_staff=True)
    assert _client(roleless).get(url).status_code == 403
    assert _client(roleless).get(first["Location"]).status_code == 403
    assert len(fake_render) == 1  # the second request shared the first one's render


def test_admin_action_and_change_page_buttons(editor, draft_plan, fake_render):
    client = _client(editor)
    change = client.get(reverse("admin:actionplan_actionplan_change", args=[draft_plan.pk]))
    assert change.status_code == 200
    assert reverse("admin:actionplan_actionplan_pdf", args=[draft_plan.pk, Kind.FOLLOW_UP]) in (
        change.content.decode()
    )
    response = client.post(
        reverse("admin:actionplan_actionplan_changelist"),
        {"action": "export_follow_up_reports", "_selected_action": [draft_plan.pk]},
    )
    download = _download(client, response)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_public_plan_pdf_only_for_adopted_plans(visitor, draft_plan, fake_render):
    url = reverse("actionplan:pdf", kwargs={"year": 2026})
    assert visitor.get(url).status_code == 404
    ActionPlan.objects.filter(pk=draft_plan.pk).update(
        status="adopted", decision=coordination_decision(datetime.date(2025, 12, 10))
    )
    response = visitor.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")


def test_the_adopted_plan_pdf_is_stored_and_survives_later_follow_up(
    editor, visitor, draft_plan, fake_render
):
    services.transition_plan(plan=draft_plan, to_status="proposed", by=editor)
    # The render jobs are queued in the adoption's transaction (run at once in tests).
    services.transition_plan(
        plan=draft_plan,
        to_status="adopted",
        by=editor,
        decision=coordination_decision(datetime.date(2025, 12, 10)),
    )
    stored = {doc.language: bytes(doc.pdf) for doc in AdoptedPlanDocument.objects.all()}
    assert set(stored) == {"sv", "en"}
    document = AdoptedPlanDocument.objects.get(language="sv")
    assert document.sha256 == hashlib.sha256(stored["sv"]).hexdigest()
    assert document.stored_by == editor

    action = Action.objects.filter(plan=draft_plan).first()
    FollowUpUpdate.objects.create(
        action=action,
        date=datetime.date(2026, 11, 1),
        status="ongoing",
        progress=90,
        text="Ny uppföljning efter beslutet",
    )
    action.title_sv = "Ändrad titel efter beslutet"  # (the admin refuses this; the DB does not)
    action.save()

    url = reverse("actionplan:pdf", kwargs={"year": 2026})
    served = b"".join(visitor.get(url).streaming_content)
    assert served == stored["sv"]
    assert bytes(AdoptedPlanDocument.objects.get(language="sv").pdf) == stored["sv"]
    with translation.override("en"):
        en_url = reverse("actionplan:pdf", kwargs={"year": 2026})
    assert b"".join(visitor.get(en_url).streaming_content) == stored["en"]
    # A fresh render of the changed plan differs: the stored copy is what was decided.
    fresh = pdf_module.render_pdf(plan_document(draft_plan, Kind.ACTION_PLAN, "sv"))
    assert fresh != stored["sv"]
