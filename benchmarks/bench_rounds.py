"""A follow-up round of a plan with 500 actions (issue 15): closing it (the snapshot) and
its stored report (PDF/A-3a, summary first, snapshot attached; both languages).

Two rounds are closed, with follow-up between them, so that the second report's summary
has changes to list. Runs in a throwaway test database, like ``bench_pdf``.
"""

from __future__ import annotations

import datetime
import io
import time


def _timed(function):
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return (time.perf_counter() - start, time.process_time() - cpu), result


def run() -> list[tuple[str, str, str]]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone, translation
    from pypdf import PdfReader

    from actionplan import round_report, rounds
    from actionplan.models import Action, ActionStatus, FollowUpUpdate
    from actionplan.pdf import Kind, plan_document
    from flemingsberg.pdf import render_archival_pdf, render_pdf
    from programme.models import Programme
    from tests.pdf.conftest import build_plan, build_rich_programme

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    queued = round_report.store_round_report_on_commit
    round_report.store_round_report_on_commit = lambda round: None  # rendered below, timed
    try:
        call_command("loaddata", "organisations", verbosity=0, stdout=io.StringIO())
        with translation.override("sv"):
            programme = build_rich_programme()
            plan = build_plan(programme, actions=500, status="adopted", measurements=20)
        Programme.objects.exclude(pk=programme.pk).update(is_published=False)
        editor = get_user_model().objects.create_superuser("bench-editor", "", "x" * 24)
        today = timezone.localdate()

        def open_round(title):
            return rounds.open_round(
                plan=plan,
                by=editor,
                title=title,
                reports_on=today,
                deadline=today + datetime.timedelta(days=14),
            )

        rounds.close_round(round=open_round("Uppföljning tertial 1"), by=editor)
        second = open_round("Uppföljning tertial 2")
        # Follow-up between the rounds: every third action moves on, one in ten is
        # marked "no change"; the rest stay without an update.
        actions = list(Action.objects.in_plan(plan).order_by("pk"))
        FollowUpUpdate.objects.bulk_create(
            [
                FollowUpUpdate(
                    action=action,
                    date=today,
                    status=ActionStatus.COMPLETED if n % 2 else ActionStatus.ONGOING,
                    progress=100 if n % 2 else 60,
                    text_sv="Framsteg enligt plan.",
                    author=editor,
                )
                for n, action in enumerate(actions[::3])
            ]
            + [
                FollowUpUpdate(
                    action=action,
                    date=today,
                    status=action.status,
                    progress=action.progress,
                    no_change=True,
                    author=editor,
                )
                for action in actions[1::10]
            ]
        )
        for action in actions[::3]:
            action.refresh_current_state()
        close_seconds, second = _timed(lambda: rounds.close_round(round=second, by=editor))
        report_seconds, documents = _timed(lambda: round_report.store_round_report(second))
        summary = round_report.round_summary(second)
        sv = next(d for d in documents if d.language == "sv")
        pages = len(PdfReader(io.BytesIO(bytes(sv.pdf))).pages)
        # One language alone, as a render job would do it: summary, data, document, PDF.
        one_language, _ = _timed(
            lambda: render_archival_pdf(
                round_report.round_document(second, "sv"),
                attachments=round_report.round_data_attachments(
                    second, round_report.round_data(second)
                ),
            )
        )
        # For comparison on the same machine and moment: the live follow-up report (PDF/UA).
        reference, _ = _timed(lambda: render_pdf(plan_document(plan, Kind.FOLLOW_UP, "sv")))
    finally:
        round_report.store_round_report_on_commit = queued
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return [
        (
            "Round: close (snapshot), 500 actions",
            f"{close_seconds[0]:.2f} s",
            f"{len(summary.completed)} completed and {len(summary.progress_moved)} moved since "
            f"the previous round, {len(summary.without_update)} without an update",
        ),
        (
            "PDF: round report, 500 actions, sv + en (PDF/A-3a)",
            f"{report_seconds[0]:.1f} s (CPU {report_seconds[1]:.1f} s)",
            f"{pages} pages, {sv.size // 1024} KiB (sv); one language "
            f"{one_language[0]:.1f} s (CPU {one_language[1]:.1f} s); the live follow-up "
            f"report then {reference[0]:.1f} s (CPU {reference[1]:.1f} s)",
        ),
    ]
