"""PDF render times (issue #5): the follow-up report of a plan with 500 actions and seven
sub-targets × 20 measurements (goal < 10 s) and the programme PDF (goal < 3 s).

Runs in a throwaway test database (created, migrated and destroyed here), so the local
database is never touched.
"""

from __future__ import annotations

import io
import time


def _timed(function):
    """Wall-clock seconds (what a reader waits) and the process's CPU seconds (what the
    render costs, whatever else the machine is doing)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return (time.perf_counter() - start, time.process_time() - cpu), result


def run() -> list[tuple[str, str, str]]:
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from actionplan.models import ActionPlan
    from actionplan.pdf import Kind, plan_document, plan_pdf_context
    from flemingsberg.pdf import render_pdf
    from indicators.models import SubTarget
    from programme.models import Programme
    from programme.pdf_views import programme_document
    from tests.pdf.conftest import build_plan, build_rich_programme

    # create_test_db returns the test database's name (Django 5.2), not the one to go back to.
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        # The programme PDF of the real content (the fixtures), when they ship.
        call_command("load_programme_content", verbosity=0, stdout=io.StringIO())
        real_content = programme_document("sv") is not None
        if real_content:
            render_pdf(programme_document("sv"))  # warm up: fonts, Pango, templates
            programme_seconds, programme_pdf = _timed(lambda: render_pdf(programme_document("sv")))
            Programme.objects.update(status=Programme.Status.REPLACED)
        with translation.override("sv"):
            programme = build_rich_programme()
            goals = list(programme.goals.filter(is_published=True).order_by("order"))
            for number, goal in enumerate(goals[:2], start=6):  # 5 + 2 = 7 sub-targets
                SubTarget.objects.create(
                    goal=goal,
                    order=2,
                    slug=f"bench-{number}",
                    statement=f"Delmål {number}",
                    is_published=True,
                )
            plan = build_plan(programme, actions=500, status="adopted", measurements=20)
        plan = ActionPlan.objects.select_related("programme").get(pk=plan.pk)

        # The query log holds at most 9,000 entries; once full (an earlier benchmark, this
        # one's building), CaptureQueriesContext counts 0. Start from an empty log.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            context_seconds, _ = _timed(lambda: plan_pdf_context(plan))
        document = plan_document(plan, Kind.FOLLOW_UP, "sv")
        html_seconds, _ = _timed(document.html)
        render_pdf(programme_document("sv"))  # warm up: fonts, Pango, templates
        # The whole request's work: context, HTML, layout, PDF.
        report_seconds, report = _timed(
            lambda: render_pdf(plan_document(plan, Kind.FOLLOW_UP, "sv"))
        )
        plan_seconds, _ = _timed(lambda: render_pdf(plan_document(plan, Kind.ACTION_PLAN, "sv")))
        if not real_content:
            programme_seconds, programme_pdf = _timed(lambda: render_pdf(programme_document("sv")))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    from io import BytesIO

    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(report)).pages)
    return [
        (
            "PDF: follow-up report, 500 actions, 7×20 measurements",
            f"{report_seconds[0]:.1f} s (CPU {report_seconds[1]:.1f} s)",
            f"goal < 10 s; {pages} pages, {len(report) // 1024} KiB",
        ),
        (
            "PDF: action plan, 500 actions",
            f"{plan_seconds[0]:.1f} s (CPU {plan_seconds[1]:.1f} s)",
            "no goal set",
        ),
        (
            "PDF: programme",
            f"{programme_seconds[0]:.1f} s (CPU {programme_seconds[1]:.1f} s)",
            f"goal < 3 s; {'the real content' if real_content else 'test content'}, "
            f"{len(programme_pdf) // 1024} KiB",
        ),
        (
            "PDF: report context, 500 actions",
            f"{context_seconds[0] * 1000:.0f} ms",
            f"{len(queries)} SQL queries (constant); HTML {html_seconds[0] * 1000:.0f} ms",
        ),
    ]
