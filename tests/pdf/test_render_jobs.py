"""PDFs as tasks (issue 13 build 2): render jobs keyed by the content, shared by identical
requests, rendered by the worker and never in a visitor's request; adoption and its document
as one outcome, with retries and the editors told when every attempt failed."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from actionplan import services
from actionplan.models import Action, ActionPlan, AdoptedPlanDocument, FollowUpUpdate
from actionplan.pdf import Kind
from actionplan.renders import ADOPTED, AdoptedDocumentRenderer, plan_content_version
from flemingsberg import pdf as pdf_module
from flemingsberg import renders
from flemingsberg.models import RenderJob
from programme.models import DevelopmentGoal
from tests.decisions import coordination_decision

from .conftest import build_plan, build_rich_programme

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def rendered(monkeypatch):
    """WeasyPrint replaced by a marker with the document's title: fast, and counted."""
    calls = []

    def write(html, document):
        calls.append((document.title, document.language))
        return f"%PDF-1.7 {document.title} {len(calls)}".encode()

    monkeypatch.setattr(pdf_module, "_write_pdf", write)
    return calls


@pytest.fixture
def plan(db):
    return build_plan(build_rich_programme(), actions=3, status="draft")


@pytest.fixture
def editor_with_mail(editor):
    editor.email = "redaktor@example.se"
    editor.save()
    return editor


def _adopt(plan, by):
    services.transition_plan(plan=plan, to_status="proposed", by=by)
    return services.transition_plan(
        plan=plan,
        to_status="adopted",
        by=by,
        decision=coordination_decision(datetime.date(2025, 12, 10)),
    )


def _public_url(year: int = 2026, language: str = "sv") -> str:
    with translation.override(language):
        return reverse("actionplan:pdf", kwargs={"year": year})


# --------------------------------------------------------------------- keys and sharing


def test_identical_requests_share_one_job_and_one_render(plan, rendered, editor):
    first = renders.request_render(Kind.FOLLOW_UP, plan, "sv", by=editor)
    second = renders.request_render(Kind.FOLLOW_UP, plan, "sv")
    assert first.pk == second.pk
    assert RenderJob.objects.count() == 1
    assert len(rendered) == 1
    assert second.status == RenderJob.Status.READY
    assert renders.ready_result(second).startswith(b"%PDF-1.7 Uppf")
    # Another language or another document is another job.
    renders.request_render(Kind.FOLLOW_UP, plan, "en")
    renders.request_render(Kind.ACTION_PLAN, plan, "sv")
    assert RenderJob.objects.count() == 3


def test_the_key_changes_with_the_content_and_is_computed_without_html(plan, monkeypatch):
    def no_html(*args, **kwargs):
        raise AssertionError("the key must not build the document's HTML")

    monkeypatch.setattr(pdf_module.PDFDocument, "html", no_html)
    renderer = renders.renderer_for(Kind.FOLLOW_UP)

    def key():
        return renders.content_key(renderer, ActionPlan.objects.get(pk=plan.pk), "sv")

    keys = [key()]
    assert key() == keys[0]  # nothing changed: the same key

    action = Action.objects.filter(plan=plan).first()
    action.title_sv = "En ny titel"
    action.save()
    keys.append(key())
    FollowUpUpdate.objects.create(
        action=action, date=datetime.date(2026, 5, 1), status="ongoing", progress=10, text="x"
    )
    keys.append(key())
    action.goals.clear()  # a relation without a changed row of its own
    keys.append(key())
    goal = DevelopmentGoal.objects.filter(programme=plan.programme).first()
    goal.title_sv = "Ett nytt namn"
    goal.save()  # a programme row the report shows
    keys.append(key())
    Action.objects.filter(pk=Action.objects.filter(plan=plan).last().pk).delete()
    keys.append(key())
    assert len(set(keys)) == len(keys)
    assert renders.content_key(renderer, plan, "en") != key()


def test_the_key_changes_when_an_action_serves_another_goal_instead(plan):
    # The link tables are versioned by count, sum and largest id, not by their values: the
    # same number of links, to another goal, must still be a new key.
    renderer = renders.renderer_for(Kind.FOLLOW_UP)
    action = Action.objects.filter(plan=plan).first()
    first, second = DevelopmentGoal.objects.filter(programme=plan.programme)[:2]
    action.goals.set([first])
    before = renders.content_key(renderer, plan, "sv")
    action.goals.set([second])
    assert renders.content_key(renderer, plan, "sv") != before


def test_the_content_version_takes_the_same_queries_for_3_and_30_actions(
    plan, django_assert_num_queries
):
    bigger = build_plan(plan.programme, actions=30, status="draft", year=2027, measurements=0)
    # One aggregate or one small hash per table the documents show: the plan, its
    # programme, actions, their goals, strategies and sub-strategies, partners, follow-ups,
    # communication activities and their goals, funding, goals, strategies and their goals,
    # sub-strategies, sub-targets, measurements, assessments, organisations, the decision.
    with django_assert_num_queries(20):
        plan_content_version(plan)
    with django_assert_num_queries(20):
        plan_content_version(bigger)


# --------------------------------------------------------------------- never in a request


def test_the_public_pdf_is_never_rendered_in_the_visitors_request(
    plan, rendered, visitor, settings
):
    ActionPlan.objects.filter(pk=plan.pk).update(
        status="adopted", decision=coordination_decision(datetime.date(2025, 12, 10))
    )
    settings.TASKS = DUMMY_TASKS  # queued, and nobody runs it until we do
    first = visitor.get(_public_url())
    assert first.status_code == 503
    assert first["Retry-After"] == "60"
    assert first["Cache-Control"] == "no-store"
    assert "förbereds" in first.content.decode()
    assert visitor.get(_public_url()).status_code == 503
    assert rendered == []  # nothing rendered in either request
    job = RenderJob.objects.get()  # queued once, whatever the number of visits
    assert job.status == RenderJob.Status.QUEUED

    renders.render_document.call(str(job.pk))  # the worker's part
    assert len(rendered) == 1
    served = visitor.get(_public_url())
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == renders.ready_result(job)
    assert len(rendered) == 1  # served from the stored render


def test_the_public_programme_pdf_is_never_rendered_in_the_request(rendered, visitor, settings):
    build_rich_programme()
    settings.TASKS = DUMMY_TASKS
    url = reverse("programme:programme_pdf")
    response = visitor.get(url)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert rendered == []
    renders.render_document.call(str(RenderJob.objects.get(kind="programme").pk))
    response = visitor.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.7 Flemingsberg 2050")
    assert len(rendered) == 1


# --------------------------------------------------------------------- staff: queued → ready


def test_staff_see_the_job_queued_then_ready_then_download(plan, rendered, editor, settings):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    settings.TASKS = DUMMY_TASKS
    asked = client.get(
        reverse("admin:actionplan_actionplan_pdf", args=[plan.pk, Kind.FOLLOW_UP]) + "?language=en"
    )
    job = RenderJob.objects.get()
    assert asked["Location"] == reverse(
        "admin:actionplan_actionplan_render", args=[plan.pk, job.pk]
    )
    page = client.get(asked["Location"]).content.decode()
    assert 'role="status"' in page and "I kö" in page and "render-status.js" in page
    status_url = reverse("admin:actionplan_actionplan_render_status", args=[plan.pk, job.pk])
    assert client.get(status_url).json() == {
        "status": "queued",
        "text": "I kö: väntar på bakgrundsprocessen.",
        "pending": True,
    }
    renders.render_document.call(str(job.pk))
    assert client.get(status_url).json()["pending"] is False
    page = client.get(asked["Location"]).content.decode()
    assert "render-status.js" not in page and "Ladda ner PDF:en" in page
    download = client.get(
        reverse("admin:actionplan_actionplan_render_download", args=[plan.pk, job.pk])
    )
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == renders.ready_result(job)
    # A job is reached only through its own plan.
    other = build_plan(plan.programme, actions=1, status="draft", year=2027, measurements=0)
    assert (
        client.get(
            reverse("admin:actionplan_actionplan_render", args=[other.pk, job.pk])
        ).status_code
        == 404
    )


# --------------------------------------------------------------------- adoption and document


def test_adoption_queues_its_documents_in_its_transaction(plan, editor, settings, rendered):
    settings.TASKS = DUMMY_TASKS
    _adopt(plan, editor)
    jobs = RenderJob.objects.filter(kind=ADOPTED, target_id=plan.pk)
    assert sorted(jobs.values_list("language", flat=True)) == ["en", "sv"]
    assert all(job.task_id for job in jobs)
    assert rendered == []  # queued, not rendered in the request
    assert not AdoptedPlanDocument.objects.exists()


def test_a_failed_enqueue_rolls_the_adoption_back(plan, editor, monkeypatch):
    services.transition_plan(plan=plan, to_status="proposed", by=editor)

    def broken(*args, **kwargs):
        raise ConnectionError("the task table is unreachable")

    monkeypatch.setattr(renders, "_enqueue", broken)
    with pytest.raises(ConnectionError):
        services.transition_plan(
            plan=plan,
            to_status="adopted",
            by=editor,
            decision=coordination_decision(datetime.date(2025, 12, 10)),
        )
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.PROPOSED
    assert not RenderJob.objects.exists()


def test_a_failed_render_is_retried_and_the_plan_gets_its_document(
    plan, editor_with_mail, rendered, monkeypatch
):
    real = AdoptedDocumentRenderer.render
    failures = {"sv": 1, "en": 1}  # the first attempt of each language fails

    def flaky(self, target, language, job):
        if failures[language]:
            failures[language] -= 1
            raise MemoryError("the worker ran out of memory")
        return real(self, target, language, job)

    monkeypatch.setattr(AdoptedDocumentRenderer, "render", flaky)
    _adopt(plan, editor_with_mail)
    assert set(AdoptedPlanDocument.objects.values_list("language", flat=True)) == {"sv", "en"}
    jobs = RenderJob.objects.filter(kind=ADOPTED)
    assert [job.attempts for job in jobs] == [2, 2]
    assert all(job.status == RenderJob.Status.READY and job.result is None for job in jobs)
    assert mail.outbox == []  # a retry that succeeds tells nobody


def test_when_every_attempt_fails_the_editors_are_told_and_the_check_repairs_it(
    plan, editor_with_mail, steering_member, rendered, monkeypatch, settings, visitor
):
    from django.test import Client

    real = AdoptedDocumentRenderer.render

    def broken(self, target, language, job):
        raise OSError("fonts missing")

    monkeypatch.setattr(AdoptedDocumentRenderer, "render", broken)
    _adopt(plan, editor_with_mail)
    jobs = list(RenderJob.objects.filter(kind=ADOPTED))
    assert [job.status for job in jobs] == [RenderJob.Status.FAILED] * 2
    assert [job.attempts for job in jobs] == [settings.RENDER_MAX_ATTEMPTS] * 2
    assert not AdoptedPlanDocument.objects.exists()
    # Told once per document, by e-mail, with the error…
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == ["redaktor@example.se"]
    assert "fonts missing" in mail.outbox[0].body
    # …on the plan's admin page…
    client = Client()
    client.force_login(editor_with_mail)
    change = client.get(reverse("admin:actionplan_actionplan_change", args=[plan.pk]))
    assert "fonts missing" in change.content.decode()
    # …and the public pages say the document is being prepared, not a missing file.
    page = visitor.get(reverse("actionplan:year", kwargs={"year": 2026}))
    assert "Det antagna dokumentet förbereds" in page.content.decode()
    assert visitor.get(_public_url()).status_code == 503
    assert [job.attempts for job in RenderJob.objects.filter(kind=ADOPTED)] == [3, 3]

    # Once the cause is fixed, the periodic check queues them again: the plan ends up with
    # its document.
    monkeypatch.setattr(AdoptedDocumentRenderer, "render", real)
    call_command("check_renders", verbosity=0)
    assert set(AdoptedPlanDocument.objects.values_list("language", flat=True)) == {"sv", "en"}
    assert visitor.get(_public_url()).status_code == 200
    assert len(mail.outbox) == 2


def test_the_check_renders_again_a_document_whose_file_is_gone(plan, editor, rendered):
    _adopt(plan, editor)
    AdoptedPlanDocument.objects.filter(language="en").delete()  # e.g. restored without it
    assert renders.check_renders() == {"stuck": 0, "missing": 1}
    assert set(AdoptedPlanDocument.objects.values_list("language", flat=True)) == {"sv", "en"}
    assert renders.check_renders() == {"stuck": 0, "missing": 0}


def test_the_check_queues_again_a_job_whose_worker_died(plan, settings, rendered):
    settings.TASKS = DUMMY_TASKS
    job = renders.request_render(Kind.ACTION_PLAN, plan, "sv")
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.RUNNING,
        started_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        attempts=1,
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert renders.check_renders() == {"stuck": 1, "missing": 0}
    job.refresh_from_db()
    assert job.status == RenderJob.Status.READY and job.attempts == 2


# --------------------------------------------------------------------- the real worker


@pytest.mark.django_db(transaction=True)
def test_render_document_runs_in_the_worker_through_the_database_backend(
    task_worker, editor, visitor
):
    plan = build_plan(build_rich_programme(), actions=2, status="draft")
    _adopt(plan, editor)  # queued in the task table, committed with the adoption
    assert RenderJob.objects.filter(kind=ADOPTED, status=RenderJob.Status.QUEUED).count() == 2
    assert not AdoptedPlanDocument.objects.exists()
    assert visitor.get(_public_url()).status_code == 503
    task_worker()
    assert set(AdoptedPlanDocument.objects.values_list("language", flat=True)) == {"sv", "en"}
    assert RenderJob.objects.filter(status=RenderJob.Status.READY).count() == 2
    response = visitor.get(_public_url())
    assert response.status_code == 200
    stored = AdoptedPlanDocument.objects.get(language="sv")
    assert b"".join(response.streaming_content) == bytes(stored.pdf)
    assert bytes(stored.pdf).startswith(b"%PDF-")


def test_a_plan_id_that_is_not_a_number_is_not_found_not_an_error(plan, editor):
    """The admin's PDF address took any text as the plan's id and answered 500."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(editor)
    url = reverse("admin:actionplan_actionplan_pdf", args=[plan.pk, Kind.FOLLOW_UP])
    answer = client.get(url.replace(f"/{plan.pk}/", "/not-a-number/"))
    # The admin's own fallback for an unknown object: back to the list with a message.
    assert answer.status_code in (302, 404)
    assert not RenderJob.objects.exists()
