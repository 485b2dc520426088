"""Reminders by e-mail, against a real SMTP server on this machine (issue 15, item 4): who
gets which message, in their language, once; a rerun sends nothing; --dry-run sends and
records nothing; the editors hear which parties are late once the deadline has passed."""

import datetime
import email
import email.policy
import io
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from actionplan import rounds
from actionplan.models import FollowUpRound, Reminder
from indicators.models import Measurement, SubTarget

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


class Collector:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def received(self) -> list[tuple[str, str, str]]:
        """(recipient, subject, body) of each message, in order."""
        return [
            (to[0], str(message["Subject"]).strip(), message.get_content())
            for to, message in self.messages
        ]


@pytest.fixture
def smtp(settings):
    collector = Collector()
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    collector.port = port
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.REMINDER_DAYS_BEFORE_DEADLINE = 7
    yield collector
    controller.stop()


def _person(make_staff, role, party, username, language):
    user = make_staff(role, party, username=username)
    user.email = f"{username}@example.se"
    user.first_name = username.capitalize()
    user.save()
    user.membership.language = language
    user.membership.save()
    return user


@pytest.fixture
def people(make_staff):
    return {
        "anna": _person(make_staff, "coordinator", "huddinge", "anna", "sv"),
        "bob": _person(make_staff, "coordinator", "botkyrka", "bob", "en"),
        "rita": _person(make_staff, "coordinator", "region-stockholm", "rita", "sv"),
        "erik": _person(make_staff, "editor", "region-stockholm", "erik", "sv"),
        "emma": _person(make_staff, "editor", "huddinge", "emma", "en"),
    }


@pytest.fixture
def round_(make_plan, make_action, people):
    plan = make_plan(year=2026, status="adopted")
    huddinge_done = make_action(plan, "2026:01", lead="huddinge", title="Stationsområdet")
    make_action(plan, "2026:02", lead="huddinge", title="Gång- och cykelbro")
    make_action(plan, "2026:03", lead="botkyrka", title="Bostäder i Alby")
    round = rounds.open_round(
        plan=plan,
        by=people["erik"],
        title="Uppföljning tertial 2 2026",
        title_en="Follow-up, second third of 2026",
        reports_on=TODAY,
        deadline=TODAY + datetime.timedelta(days=3),
    )
    rounds.record_no_change(action=huddinge_done, by=people["anna"])
    rounds.sign_off(
        round=round, organisation=people["rita"].membership.organisation, by=people["rita"]
    )
    return round


def _run(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_coordinators_not_signed_off_are_reminded_once_in_their_language(smtp, round_, settings):
    _run()
    received = {to: (subject, body) for to, subject, body in smtp.received()}
    assert set(received) == {"anna@example.se", "bob@example.se"}  # Region has signed off
    subject, body = received["anna@example.se"]
    assert subject.startswith("Flemingsberg 2050: ”Uppföljning tertial 2 2026”")
    assert "Hej Anna" in body
    assert "1 åtgärd behöver fortfarande" in body and "Gång- och cykelbro" in body
    assert "Stationsområdet" not in body  # covered by its "no change" mark
    assert f"{settings.PORTAL_URL}/admin/" in body
    subject, body = received["bob@example.se"]
    assert "“Follow-up, second third of 2026”" in subject
    assert "Hello Bob" in body and "2026:03 Action 2026:03" in body  # the English title
    assert f"{settings.PORTAL_URL}/en/admin/" in body  # his start page, in English
    # recorded: who, why, which round, in which language
    assert set(
        Reminder.objects.values_list("recipient__username", "reason", "round", "language")
    ) == {("anna", "deadline_near", round_.pk, "sv"), ("bob", "deadline_near", round_.pk, "en")}

    # An hour later: nothing new.
    assert "0 reminder(s)" in _run()
    assert len(smtp.messages) == 2


def test_nothing_is_sent_long_before_the_deadline(smtp, round_):
    FollowUpRound.objects.filter(pk=round_.pk).update(deadline=TODAY + datetime.timedelta(days=30))
    _run()
    assert smtp.messages == [] and not Reminder.objects.exists()


def test_after_the_deadline_coordinators_hear_once_more_and_editors_who_is_late(smtp, round_):
    _run()
    FollowUpRound.objects.filter(pk=round_.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    smtp.messages.clear()
    _run()
    received = {to: (subject, body) for to, subject, body in smtp.received()}
    assert set(received) == {
        "anna@example.se",
        "bob@example.se",
        "erik@example.se",
        "emma@example.se",
    }
    assert "tidsfristen har passerat" in received["anna@example.se"][0]
    assert "the deadline has passed" in received["bob@example.se"][0]
    subject, body = received["erik@example.se"]
    assert "2 parter har inte signerat" in subject
    assert "Huddinge kommun: 1 av 2 åtgärder" in body and "Botkyrka kommun" in body
    assert "Region Stockholm" not in body
    assert "2 parties have not signed off" in received["emma@example.se"][0]
    smtp.messages.clear()
    _run()
    assert smtp.messages == []


def test_a_party_that_signs_off_is_not_reminded_again(smtp, round_, people):
    _run()
    huddinge = people["anna"].membership.organisation
    rounds.record_no_change(action=round_.plan.actions.get(number="2026:02"), by=people["anna"])
    rounds.sign_off(round=round_, organisation=huddinge, by=people["anna"])
    FollowUpRound.objects.filter(pk=round_.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    smtp.messages.clear()
    _run()
    recipients = {to for to, _s, _b in smtp.received()}
    assert "anna@example.se" not in recipients
    assert "bob@example.se" in recipients
    late_mail = next(body for to, _s, body in smtp.received() if to == "erik@example.se")
    assert "Huddinge" not in late_mail


def test_a_dry_run_prints_who_would_get_what_and_sends_and_records_nothing(smtp, round_):
    output = _run("--dry-run")
    assert "would send to anna@example.se (sv): Flemingsberg 2050: ”Uppföljning" in output
    assert "would send to bob@example.se (en)" in output
    assert smtp.messages == [] and not Reminder.objects.exists()


def test_measuring_organisations_are_reminded_of_values_due_and_missing(
    smtp, programme, people, parties
):
    missing, soon, _other = SubTarget.objects.filter(goal__programme=programme).order_by("pk")[:3]
    SubTarget.objects.filter(pk=missing.pk).update(
        measuring_organisation=parties["huddinge"], frequency="annual"
    )
    SubTarget.objects.filter(pk=soon.pk).update(
        measuring_organisation=parties["botkyrka"],
        next_value_due=TODAY + datetime.timedelta(days=5),
    )
    Measurement.objects.create(sub_target=missing, period_year=TODAY.year - 3, value=1)
    _run()
    received = {to: (subject, body) for to, subject, body in smtp.received()}
    assert set(received) == {"anna@example.se", "bob@example.se"}
    assert f"värdet för {TODAY.year - 2} saknas" in received["anna@example.se"][0]
    assert f"the value of {TODAY.year - 1} is due on" in received["bob@example.se"][0]
    assert set(Reminder.objects.values_list("recipient__username", "reason", "period_year")) == {
        ("anna", "value_missing", TODAY.year - 2),
        ("bob", "value_due", TODAY.year - 1),
    }
    smtp.messages.clear()
    _run()
    assert smtp.messages == []


def test_staff_without_an_address_or_inactive_are_not_written_to(smtp, round_, people):
    people["bob"].email = ""
    people["bob"].save()
    people["anna"].is_active = False
    people["anna"].save()
    _run()
    assert smtp.messages == []


def test_production_without_a_mail_server_refuses_to_record_reminders(settings, round_):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with pytest.raises(CommandError, match="No e-mail server"):
        _run()
    assert not Reminder.objects.exists()
    assert "would send" in _run("--dry-run")


def test_the_same_reminder_is_refused_by_the_database(round_, people):
    from django.db import IntegrityError, transaction

    Reminder.objects.create(
        recipient=people["anna"], reason="deadline_near", round=round_, language="sv", subject="x"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            recipient=people["anna"],
            reason="deadline_near",
            round=round_,
            language="sv",
            subject="y",
        )


@pytest.mark.django_db(transaction=True)
def test_the_mail_waits_for_the_task_worker_which_sends_it(smtp, round_, task_worker):
    # With the portal's own task backend (the database) the command only records and
    # queues: the worker sends, so a slow mail server holds up nothing else.
    _run()
    assert smtp.messages == []
    assert Reminder.objects.count() == 2
    # (on PostgreSQL the worker is a process of its own: it is told where the server is)
    task_worker(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        DEFAULT_FROM_EMAIL="Flemingsberg 2050 <noreply@flemingsberg.example.se>",
    )
    assert sorted(to for to, _s, _b in smtp.received()) == ["anna@example.se", "bob@example.se"]
