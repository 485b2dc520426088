"""The admin's start page per role (issue 15, item 3): what each role sees first, and in a
fixed number of queries."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Measurement, SubTarget

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start_page(user):
    return _client(user).get(reverse("admin:index"))


@pytest.fixture
def adopted(make_plan):
    return make_plan(year=2026, status="adopted")


@pytest.fixture
def measured(programme, parties):
    """Two sub-targets Huddinge measures every year: one with last year's value missing, one
    up to date; and one Botkyrka measures."""
    first, second, third = SubTarget.objects.filter(goal__programme=programme).order_by("pk")[:3]
    SubTarget.objects.filter(pk__in=[first.pk, second.pk]).update(
        measuring_organisation=parties["huddinge"], frequency="annual"
    )
    SubTarget.objects.filter(pk=third.pk).update(
        measuring_organisation=parties["botkyrka"], frequency="annual"
    )
    today = datetime.date.today()
    Measurement.objects.create(sub_target=first, period_year=today.year - 2, value=10)
    Measurement.objects.create(sub_target=second, period_year=today.year, value=10)
    Measurement.objects.create(sub_target=third, period_year=today.year - 3, value=10)
    return first, second, third


def test_a_coordinator_sees_their_organisations_actions_with_their_role(
    adopted, make_action, make_plan, coordinator_huddinge
):
    make_action(adopted, "2026:01", lead="huddinge", title="Huddinges egen åtgärd")
    make_action(adopted, "2026:02", lead="botkyrka", partners=["huddinge"], title="Delad åtgärd")
    make_action(adopted, "2026:03", lead="botkyrka", title="Botkyrkas åtgärd")
    superseded = make_plan(year=2025, status="superseded")
    make_action(superseded, "2025:01", lead="huddinge", title="Gammal åtgärd")

    response = _start_page(coordinator_huddinge)

    assert response.status_code == 200
    page = response.context["start_page"]
    rows = {row.action.title: row for row in page["actions"]}
    assert set(rows) == {"Huddinges egen åtgärd", "Delad åtgärd"}
    assert rows["Huddinges egen åtgärd"].is_lead
    assert not rows["Delad åtgärd"].is_lead and rows["Delad åtgärd"].partner_role == "Stöd"
    html = response.content.decode()
    assert "Huddinge kommun" in html
    assert "Ansvarig part" in html  # the role shown: "Lead party"
    assert "Stöd" in html
    assert "Botkyrkas åtgärd" not in html.split('id="start-models"')[0]
    # The model list is still there, below.
    assert reverse("admin:actionplan_action_changelist") in html


def test_a_coordinator_sees_their_values_due_and_missing_only(
    programme, measured, coordinator_huddinge
):
    first, _second, _third = measured
    page = _start_page(coordinator_huddinge).context["start_page"]
    due = page["values_due"]
    assert [d.sub_target.pk for d in due] == [first.pk]
    assert due[0].period_year == datetime.date.today().year - 1
    assert due[0].is_missing


def test_an_action_past_its_end_is_overdue_for_its_coordinator(
    adopted, make_action, coordinator_huddinge
):
    make_action(adopted, "2026:01", lead="huddinge", end_year=2026, end_quarter=1)
    make_action(
        adopted,
        "2026:02",
        lead="huddinge",
        end_year=2026,
        end_quarter=1,
        status="completed",
        progress=100,
        completed_on=datetime.date(2026, 3, 1),
    )
    make_action(adopted, "2026:03", lead="huddinge", end_year=2028)
    page = _start_page(coordinator_huddinge).context["start_page"]
    today = datetime.date.today()
    expected = ["2026:01"] if today >= datetime.date(2026, 4, 1) else []
    assert [row.action.number for row in page["past_end"]] == expected


def test_an_editor_sees_every_organisations_values_due(programme, measured, editor):
    first, _second, third = measured
    response = _start_page(editor)
    due = response.context["start_page"]["values_due"]
    assert {d.sub_target.pk for d in due} == {first.pk, third.pk}
    assert "Botkyrka" in response.content.decode()


def test_the_start_page_queries_do_not_grow_with_the_actions(
    adopted, make_action, measured, coordinator_huddinge, django_assert_num_queries
):
    for number in range(12):
        make_action(adopted, f"2026:{number:02}", lead="huddinge", partners=["botkyrka"])
        make_action(
            adopted, f"2026:{number + 50:02}", lead="region-stockholm", partners=["huddinge"]
        )
    client = _client(coordinator_huddinge)
    # session, user, membership, organisation, the actions (plan, lead party, latest
    # update date as a subquery), the organisation's partnerships in them, the open rounds
    # (none), the plans' latest closed rounds, the sub-targets with their newest value, the
    # user's and the groups' permissions (the model list)
    with django_assert_num_queries(11):
        response = client.get(reverse("admin:index"))
    assert len(response.context["start_page"]["actions"]) == 24


def test_the_editors_start_page_queries(measured, editor, django_assert_num_queries):
    client = _client(editor)
    # session, user, membership, the open rounds (none), the sub-targets with their newest
    # value, the user's and the groups' permissions (the model list)
    with django_assert_num_queries(7):
        client.get(reverse("admin:index"))


def test_the_steering_groups_start_page_queries(steering_member, django_assert_num_queries):
    client = _client(steering_member)
    # session, user, membership, the latest closed round (none), the user's and the
    # groups' permissions (the model list)
    with django_assert_num_queries(6):
        response = client.get(reverse("admin:index"))
    assert response.context["start_page"]["role"] == "steering"
    assert "Ingen uppföljningsomgång har stängts ännu." in response.content.decode()


def test_a_superuser_without_a_role_gets_the_editors_page(db, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.se", "x")
    response = _start_page(admin)
    assert response.context["start_page"]["role"] == "editor"


# ------------------------------------------------------------------------ the open round


@pytest.fixture
def open_round(adopted, make_action, editor, coordinator_huddinge):
    from actionplan import rounds

    covered = make_action(adopted, "2026:01", lead="huddinge", title="Stationsområdet")
    make_action(adopted, "2026:02", lead="huddinge", title="Gång- och cykelbro")
    make_action(adopted, "2026:03", lead="botkyrka", partners=["huddinge"], title="Alby")
    round = rounds.open_round(
        plan=adopted,
        by=editor,
        title="Uppföljning tertial 2 2026",
        reports_on=datetime.date.today(),
        deadline=datetime.date.today() + datetime.timedelta(days=10),
        message="Glöm inte budgeten.",
    )
    rounds.record_no_change(action=covered, by=coordinator_huddinge)
    return round


def test_a_coordinator_sees_what_the_open_round_still_needs_from_them(
    open_round, coordinator_huddinge
):
    response = _start_page(coordinator_huddinge)
    (part,) = response.context["start_page"]["rounds"]
    assert [a.title for a in part.coverage.missing] == ["Gång- och cykelbro"]
    assert [a.title for a in part.coverage.covered] == ["Stationsområdet"]
    assert part.may_sign_off and not part.coverage.is_signed_off
    html = response.content.decode()
    round_html = html.split('id="start-round-')[1].split("</section>")[0]
    assert "Uppföljning tertial 2 2026" in round_html and "Glöm inte budgeten." in round_html
    assert "Gång- och cykelbro" in round_html
    assert "Alby" not in round_html  # Botkyrka leads it: Botkyrka covers it
    missing = next(a for a in part.coverage.missing)
    assert f"{reverse('admin:actionplan_followupupdate_add')}?action={missing.pk}" in round_html


def test_a_signed_off_party_sees_who_signed_and_when(open_round, coordinator_huddinge):
    from actionplan import rounds

    coordinator_huddinge.first_name = "Anna"
    coordinator_huddinge.save()
    rounds.record_no_change(
        action=open_round.plan.actions.get(number="2026:02"), by=coordinator_huddinge
    )
    rounds.sign_off(
        round=open_round,
        organisation=coordinator_huddinge.membership.organisation,
        by=coordinator_huddinge,
    )
    response = _start_page(coordinator_huddinge)
    (part,) = response.context["start_page"]["rounds"]
    assert part.coverage.sign_off.signed_by == coordinator_huddinge
    assert "Signerad av Anna" in response.content.decode()


def test_an_action_without_an_update_since_the_last_round_is_overdue(
    adopted, make_action, editor, coordinator_huddinge
):
    from actionplan import rounds

    quiet = make_action(adopted, "2026:01", lead="huddinge", title="Tyst åtgärd")
    busy = make_action(adopted, "2026:02", lead="huddinge", title="Aktiv åtgärd")
    round = rounds.open_round(
        plan=adopted,
        by=editor,
        title="T1",
        reports_on=datetime.date.today(),
        deadline=datetime.date.today(),
    )
    rounds.close_round(round=round, by=editor)
    rounds.record_no_change(action=busy, by=coordinator_huddinge)
    response = _start_page(coordinator_huddinge)
    page = response.context["start_page"]
    assert [row.action for row in page["stale"]] == [quiet]
    overdue = response.content.decode().split('id="start-overdue"')[1].split("</section>")[0]
    assert "Tyst åtgärd" in overdue and "ingen uppföljning sedan förra omgången (T1)" in overdue
    assert "Aktiv åtgärd" not in overdue


def test_an_editor_sees_every_partys_progress_and_whom_to_contact(
    open_round, editor, coordinator_huddinge
):
    coordinator_huddinge.email = "anna@huddinge.example.se"
    coordinator_huddinge.save()
    response = _start_page(editor)
    (entry,) = response.context["start_page"]["rounds"]
    progress = {
        p.organisation.slug: (len(p.led), len(p.covered), p.is_signed_off) for p in entry["parties"]
    }
    assert progress["huddinge"] == (2, 1, False)
    assert progress["botkyrka"] == (1, 0, False)
    assert progress["region-stockholm"] == (0, 0, False)
    assert "mailto:anna@huddinge.example.se" in response.content.decode()


def test_staff_addresses_are_shown_to_editors_only(
    open_round, coordinator_huddinge, coordinator_botkyrka, steering_member
):
    coordinator_huddinge.email = "anna@huddinge.example.se"
    coordinator_huddinge.save()
    for user in (coordinator_huddinge, coordinator_botkyrka, steering_member):
        html = _start_page(user).content.decode()
        assert "anna@huddinge.example.se" not in html, user


def test_the_coordinators_page_with_an_open_round_queries(
    open_round, make_action, coordinator_huddinge, django_assert_num_queries
):
    for number in range(10):
        make_action(open_round.plan, f"2026:{number + 10}", lead="huddinge")
    client = _client(coordinator_huddinge)
    # session, user, membership, organisation, the actions, their partnerships, the open
    # rounds; per open round its previous round, its actions with their coverage, its
    # parties, its sign-offs; the plans' latest closed rounds, the sub-targets with their
    # newest value, the user's and the groups' permissions
    with django_assert_num_queries(15):
        client.get(reverse("admin:index"))


def test_the_editors_page_with_an_open_round_queries(open_round, editor, django_assert_num_queries):
    client = _client(editor)
    # session, user, membership, the open rounds; per open round its previous round, its
    # actions with their coverage, its parties, its sign-offs; the coordinators, the
    # reminders sent for the rounds, the sub-targets with their newest value, the user's
    # and the groups' permissions
    with django_assert_num_queries(13):
        client.get(reverse("admin:index"))


def test_the_steering_group_sees_the_latest_closed_rounds_summary_and_reports(
    open_round, editor, coordinator_huddinge, steering_member, django_assert_num_queries
):
    from actionplan import rounds
    from actionplan.models import RoundReportDocument

    rounds.close_round(round=open_round, by=editor)
    RoundReportDocument.objects.filter(round=open_round).delete()
    for language in ("sv", "en"):
        RoundReportDocument.objects.create(
            round=open_round, language=language, pdf=b"%PDF", sha256="0" * 64, size=4
        )
    client = _client(steering_member)
    # session, user, membership, the latest closed round with its plan, the summary (its
    # previous round, its action and sub-target snapshots, the parties, the sign-offs), the
    # stored reports, the user's and the groups' permissions
    with django_assert_num_queries(12):
        response = client.get(reverse("admin:index"))
    page = response.context["start_page"]
    assert page["round"] == open_round
    assert {p.organisation.slug for p in page["summary"].not_signed_off} >= {"huddinge"}
    html = response.content.decode()
    assert "Uppföljning tertial 2 2026" in html
    for language in ("sv", "en"):
        assert (
            reverse(
                "actionplan:round_pdf",
                kwargs={"year": 2026, "pk": open_round.pk, "language": language},
            )
            in html
        )


def test_a_coordinator_of_an_actor_that_leads_nothing_in_the_round_sees_no_round(
    open_round, parties, django_user_model
):
    from programme.models import Organisation
    from programme.services import create_staff_member

    kth = Organisation.objects.get(slug="kth")
    user = create_staff_member(
        username="kth-coordinator", organisation=kth, role="coordinator", password=None
    )
    response = _start_page(user)
    assert response.status_code == 200  # before the fix: StopIteration, a 500
    assert response.context["start_page"]["rounds"] == []


def test_an_editor_sees_the_reminders_sent_for_the_open_round(open_round, editor):
    from actionplan.models import Reminder

    reminder = Reminder.objects.create(
        recipient=editor, reason="deadline_near", round=open_round, language="sv", subject="x"
    )
    (entry,) = _start_page(editor).context["start_page"]["rounds"]
    assert entry["reminders"] == [reminder]
