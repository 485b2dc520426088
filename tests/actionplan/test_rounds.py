"""Follow-up rounds: open → updates and no-change marks → sign-offs → close → snapshot."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from actionplan import rounds
from actionplan.models import (
    ActionPlan,
    ActionStatus,
    FollowUpRound,
    RoundActionSnapshot,
    RoundSignOff,
    RoundTargetSnapshot,
)
from actionplan.services import add_follow_up

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def plan(make_plan):
    return make_plan(year=TODAY.year, status=ActionPlan.Status.ADOPTED)


@pytest.fixture
def actions(plan, make_action):
    """Two actions led by Huddinge, one by Botkyrka, one by Region Stockholm."""
    return {
        "h1": make_action(plan, f"{plan.year}:01", lead="huddinge"),
        "h2": make_action(plan, f"{plan.year}:02", lead="huddinge", partners=["botkyrka"]),
        "b1": make_action(plan, f"{plan.year}:03", lead="botkyrka"),
        "r1": make_action(plan, f"{plan.year}:04", lead="region-stockholm"),
    }


def _open(plan, editor, **fields):
    return rounds.open_round(
        plan=plan,
        by=editor,
        title=fields.pop("title", f"Uppföljning tertial 2 {plan.year}"),
        title_en=f"Follow-up, second four months {plan.year}",
        reports_on=fields.pop("reports_on", TODAY),
        deadline=fields.pop("deadline", TODAY + datetime.timedelta(days=14)),
        message=fields.pop("message", "Uppdatera era åtgärder."),
    )


def _update(action, by, status=ActionStatus.ONGOING, progress=40, text="Pågår enligt plan."):
    return add_follow_up(
        action=action, by=by, date=TODAY, status=status, progress=progress, text=text
    )


def test_a_whole_round_with_three_parties(
    plan,
    actions,
    parties,
    editor,
    coordinator_huddinge,
    coordinator_botkyrka,
    coordinator_region,
):
    round = _open(plan, editor)
    assert round.is_open and round.opened_by == editor

    # Huddinge: one update, one no-change mark; Botkyrka an update; the Region nothing.
    _update(actions["h1"], coordinator_huddinge)
    mark = rounds.record_no_change(action=actions["h2"], by=coordinator_huddinge)
    assert mark.no_change and mark.author == coordinator_huddinge and mark.created_at
    _update(actions["b1"], coordinator_botkyrka, status=ActionStatus.COMPLETED, progress=100)

    coverage = {c.organisation.slug: c for c in round.coverage_by_party()}
    assert [a.pk for a in coverage["huddinge"].covered] == [actions["h1"].pk, actions["h2"].pk]
    assert coverage["region-stockholm"].missing == [actions["r1"]]

    # The Region cannot sign off while its action is uncovered; the message names it.
    with pytest.raises(ValidationError) as refused:
        rounds.sign_off(
            round=round, organisation=parties["region-stockholm"], by=coordinator_region
        )
    assert "Region Stockholm" in refused.value.messages[0]
    assert str(actions["r1"]) in refused.value.messages[0]

    rounds.sign_off(round=round, organisation=parties["huddinge"], by=coordinator_huddinge)
    rounds.sign_off(round=round, organisation=parties["botkyrka"], by=coordinator_botkyrka)
    # Withdraw and sign off again: the withdrawn row stays.
    rounds.withdraw_sign_off(round=round, organisation=parties["botkyrka"], by=coordinator_botkyrka)
    rounds.sign_off(round=round, organisation=parties["botkyrka"], by=coordinator_botkyrka)
    botkyrka = RoundSignOff.objects.filter(round=round, organisation=parties["botkyrka"])
    assert [s.is_withdrawn for s in botkyrka.order_by("pk")] == [True, False]

    closed = rounds.close_round(round=round, by=editor)
    assert closed.is_closed and closed.closed_by == editor
    coverage = {c.organisation.slug: c for c in closed.coverage_by_party()}
    assert coverage["huddinge"].is_signed_off and coverage["botkyrka"].is_signed_off
    assert not coverage["region-stockholm"].is_signed_off

    snapshots = {s.action_id: s for s in RoundActionSnapshot.objects.filter(round=round)}
    assert len(snapshots) == 4
    assert snapshots[actions["b1"].pk].status == ActionStatus.COMPLETED
    assert snapshots[actions["h1"].pk].latest_update_text == "Pågår enligt plan."
    assert snapshots[actions["h1"].pk].latest_update_organisation_name == "Huddinge kommun"
    assert snapshots[actions["h2"].pk].covered and snapshots[actions["h2"].pk].no_change
    assert not snapshots[actions["r1"].pk].covered
    assert RoundTargetSnapshot.objects.filter(round=round).count() == 3

    # Later edits change nothing in the snapshot.
    _update(actions["r1"], coordinator_region, status=ActionStatus.POSTPONED, progress=10)
    actions["h1"].refresh_from_db()
    r1 = RoundActionSnapshot.objects.get(round=round, action=actions["r1"])
    assert r1.status == ActionStatus.PLANNED and not r1.covered and r1.latest_update_text == ""

    # Nothing changes in a closed round.
    with pytest.raises(ValidationError):
        rounds.withdraw_sign_off(
            round=round, organisation=parties["huddinge"], by=coordinator_huddinge
        )


def test_only_one_open_round_per_adopted_plan(plan, actions, editor, make_plan):
    _open(plan, editor)
    with pytest.raises(ValidationError) as second:
        _open(plan, editor)
    assert "redan en öppen uppföljningsomgång" in str(second.value)
    draft = make_plan(year=plan.year + 1)
    with pytest.raises(ValidationError):
        _open(draft, editor)


def test_the_deadline_cannot_precede_the_reporting_date(plan, editor):
    with pytest.raises(ValidationError) as refused:
        _open(plan, editor, deadline=TODAY - datetime.timedelta(days=1))
    assert "deadline" in refused.value.message_dict


def test_who_may_run_rounds(plan, actions, parties, editor, steering_member, coordinator_huddinge):
    for user in (steering_member, coordinator_huddinge):
        with pytest.raises(PermissionDenied):
            _open(plan, user)
    round = _open(plan, editor)
    for user in (steering_member, coordinator_huddinge):
        with pytest.raises(PermissionDenied):
            rounds.close_round(round=round, by=user)


def test_a_coordinator_signs_off_only_their_own_party(
    plan, actions, parties, editor, coordinator_huddinge, steering_member
):
    round = _open(plan, editor)
    rounds.record_no_change(action=actions["b1"], by=editor)
    with pytest.raises(PermissionDenied):
        rounds.sign_off(round=round, organisation=parties["botkyrka"], by=coordinator_huddinge)
    with pytest.raises(PermissionDenied):
        rounds.sign_off(round=round, organisation=parties["botkyrka"], by=steering_member)
    # An editor may sign off on a party's behalf (recorded as theirs).
    signed = rounds.sign_off(round=round, organisation=parties["botkyrka"], by=editor)
    assert signed.signed_by == editor


def test_no_change_marks_need_follow_up_rights(
    plan, actions, coordinator_botkyrka, coordinator_region, steering_member
):
    # Botkyrka is co-responsible for h2: it may follow it up, so it may mark it.
    assert rounds.record_no_change(action=actions["h2"], by=coordinator_botkyrka).no_change
    for user in (coordinator_region, steering_member):
        with pytest.raises(PermissionDenied):
            rounds.record_no_change(action=actions["h1"], by=user)


def test_an_update_between_rounds_counts_for_the_next_one(
    plan, actions, parties, editor, coordinator_huddinge
):
    first = _open(plan, editor)
    rounds.close_round(round=first, by=editor)
    _update(actions["h1"], coordinator_huddinge)  # after the first closed, before the second
    second = _open(plan, editor, title="Uppföljning tertial 3")
    assert second.previous_round() == first
    huddinge = next(c for c in second.coverage_by_party() if c.organisation.slug == "huddinge")
    assert huddinge.covered == [actions["h1"]] and huddinge.missing == [actions["h2"]]


def test_public_rounds_are_closed_rounds_of_public_plans(plan, actions, editor):
    round = _open(plan, editor)
    assert list(FollowUpRound.objects.public()) == []
    rounds.close_round(round=round, by=editor)
    assert list(FollowUpRound.objects.public()) == [round]
    assert list(FollowUpRound.objects.open()) == []


def test_the_stored_report(
    plan,
    actions,
    parties,
    editor,
    visitor,
    coordinator_huddinge,
    coordinator_botkyrka,
    django_capture_on_commit_callbacks,
):
    round = _open(plan, editor)
    _update(actions["h1"], coordinator_huddinge)
    rounds.record_no_change(action=actions["h2"], by=coordinator_huddinge)
    rounds.sign_off(round=round, organisation=parties["huddinge"], by=coordinator_huddinge)
    with django_capture_on_commit_callbacks(execute=True):
        rounds.close_round(round=round, by=editor)
    documents = {d.language: d for d in round.report_documents.all()}
    assert set(documents) == {"sv", "en"}
    for language, document in documents.items():
        pdf = bytes(document.pdf)
        assert hashlib.sha256(pdf).hexdigest() == document.sha256 and document.size == len(pdf)
        reader = PdfReader(io.BytesIO(pdf))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        # PDF/A-3a identification, as an XMP attribute or element (tests/pdf/test_archival.py).
        assert re.search(r'pdfaid:part(="|>)3', xmp)
        assert re.search(r'pdfaid:conformance(="|>)A', xmp)
        attached = set(reader.attachments)
        assert {name.rsplit("-", 1)[-1] for name in attached} >= {"actions.csv", "targets.csv"}
        assert any(name.endswith(".json") for name in attached)
        # The public PDF is the stored bytes.
        url = reverse("actionplan:round_pdf", args=[plan.year, round.pk, language])
        response = visitor.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == pdf

    # The summary comes first after the cover: who signed off, who did not, what lacks an update.
    reader = PdfReader(io.BytesIO(bytes(documents["sv"].pdf)))
    summary = " ".join(reader.pages[1].extract_text().split())
    assert "Sammanfattning för politiska samordningsgruppen" in summary
    assert "Inte signerad: Region Stockholm, Botkyrka kommun." in summary
    assert "Huddinge kommun Signerad" in summary
    assert (
        f"{plan.year}:03 (Botkyrka)" in summary and f"{plan.year}:04 (Region Stockholm)" in summary
    )
    english = " ".join(
        PdfReader(io.BytesIO(bytes(documents["en"].pdf))).pages[1].extract_text().split()
    )
    assert "Not signed off: Region Stockholm, Botkyrka Municipality." in english, english

    # A later edit changes neither the stored report nor the snapshot it was made from.
    digest = documents["sv"].sha256
    _update(actions["b1"], coordinator_botkyrka, status=ActionStatus.CANCELLED, progress=None)
    from actionplan.round_report import store_round_report

    store_round_report(round)  # a second delivery of the task: the stored copy stays
    assert round.report_documents.count() == 2
    assert round.report_documents.get(language="sv").sha256 == digest
    assert RoundActionSnapshot.objects.get(round=round, action=actions["b1"]).status == "planned"


def test_the_report_is_made_from_the_snapshot_not_live_data(
    plan, actions, editor, coordinator_huddinge
):
    """A render after later edits (a late task worker) still shows the round's state."""
    from actionplan.round_report import round_document

    round = _open(plan, editor)
    _update(actions["h1"], coordinator_huddinge, text="Som det stod vid stängningen.")
    rounds.close_round(round=round, by=editor)
    _update(actions["h1"], coordinator_huddinge, status=ActionStatus.POSTPONED, text="Senare.")
    html = round_document(round, "sv").html()
    assert "Som det stod vid stängningen." in html and "Senare." not in html


def test_changes_since_the_previous_round(plan, actions, parties, editor, coordinator_huddinge):
    from actionplan.round_report import round_summary

    first = _open(plan, editor)
    _update(actions["h1"], coordinator_huddinge, progress=20)
    rounds.close_round(round=first, by=editor)
    second = _open(plan, editor, title="Uppföljning tertial 3")
    _update(actions["h1"], coordinator_huddinge, status=ActionStatus.COMPLETED, progress=100)
    _update(actions["h2"], coordinator_huddinge, status=ActionStatus.POSTPONED, progress=None)
    rounds.close_round(round=second, by=editor)
    summary = round_summary(second)
    assert summary.previous == first
    assert [c.now.action_id for c in summary.completed] == [actions["h1"].pk]
    assert [c.now.action_id for c in summary.postponed] == [actions["h2"].pk]
    assert [(c.before.progress, c.now.progress) for c in summary.progress_moved] == [(20, 100)]
    assert summary.started == [] and summary.cancelled == []
    assert {p.organisation.slug for p in summary.not_signed_off} == {
        "huddinge",
        "botkyrka",
        "region-stockholm",
    }


# ------------------------------------------------------------------------------ public


def _close_without_worker(round, editor):
    """Close the round; its report's render jobs are queued and not run (no worker)."""
    from django.test import override_settings

    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        return rounds.close_round(round=round, by=editor)


def _closed_round(plan, actions, editor, coordinator_huddinge):
    round = _open(plan, editor)
    _update(actions["h1"], coordinator_huddinge, text='Klart för granskning; "citat".')
    _close_without_worker(round, editor)  # the report is not stored yet
    return round


def test_the_public_round_page_csv_and_json(plan, actions, editor, coordinator_huddinge, visitor):
    round = _closed_round(plan, actions, editor, coordinator_huddinge)
    page = visitor.get(round.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Uppföljning tertial 2" in text and "Inte signerad" in text
    assert "Rapporten förbereds" in text  # not stored yet (the task has not run)
    plan_page = visitor.get(reverse("actionplan:year", args=[plan.year])).content.decode()
    assert round.get_absolute_url() in plan_page

    csv = visitor.get(reverse("actionplan:round_actions_csv", args=[plan.year, round.pk]))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    body = csv.content.decode("utf-8")
    assert body.startswith("\ufeffnumber,title_sv,title_en,lead_party,status")
    assert f"{plan.year}:01" in body and "Klart för granskning" in body
    targets = visitor.get(reverse("actionplan:round_targets_csv", args=[plan.year, round.pk]))
    assert targets.content.decode("utf-8").startswith("\ufeffsub_target,statement_sv")
    data = visitor.get(reverse("actionplan:round_json", args=[plan.year, round.pk])).json()
    assert data["round"]["title_sv"].startswith("Uppföljning tertial 2")
    assert len(data["actions"]) == 4 and len(data["sub_targets"]) == 3
    assert {s["party"]: s["signed_off_at"] for s in data["sign_offs"]}["huddinge"] is None


def test_nothing_of_an_open_round_is_public(
    plan, actions, editor, coordinator_huddinge, visitor, editor_client, programme
):
    round = _open(plan, editor)
    urls = [
        round.get_absolute_url(),
        reverse("actionplan:round_actions_csv", args=[plan.year, round.pk]),
        reverse("actionplan:round_targets_csv", args=[plan.year, round.pk]),
        reverse("actionplan:round_json", args=[plan.year, round.pk]),
        reverse("actionplan:round_pdf", args=[plan.year, round.pk, "sv"]),
    ]
    for client in (visitor, editor_client):
        for url in urls:
            assert client.get(url).status_code == 404, url
    plan_page = visitor.get(reverse("actionplan:year", args=[plan.year])).content.decode()
    assert round.get_absolute_url() not in plan_page and "Uppföljningsomgångar" not in plan_page
    from actionplan.status import programme_status

    assert programme_status(programme, goals=list(programme.goals.all())).latest_round is None


def test_rounds_of_a_draft_plan_are_never_public(plan, actions, editor, visitor):
    round = _open(plan, editor)
    rounds.close_round(round=round, by=editor)
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.DRAFT)
    assert visitor.get(round.get_absolute_url()).status_code == 404
    assert list(FollowUpRound.objects.public()) == []


def test_the_status_band_names_the_latest_closed_round(
    plan, actions, editor, coordinator_huddinge, visitor, programme
):
    from actionplan.status import programme_status

    round = _closed_round(plan, actions, editor, coordinator_huddinge)
    status = programme_status(programme, goals=list(programme.goals.all()))
    assert status.latest_round == round and status.latest_round.has_report is False
    _open(plan, editor, title="Uppföljning tertial 3")  # an open round never shows
    status = programme_status(programme, goals=list(programme.goals.all()))
    assert status.latest_round == round
    from django.template.loader import render_to_string

    html = render_to_string("actionplan/includes/status_round.html", {"status": status})
    assert round.get_absolute_url() in html and "Senaste uppföljningsomgång" in html


def test_round_page_queries_are_fixed(
    plan, actions, editor, coordinator_huddinge, visitor, django_assert_num_queries, make_action
):
    round = _closed_round(plan, actions, editor, coordinator_huddinge)
    # 1 the round with its plan and programme; 2 the previous round; 3 the action
    # snapshots with lead parties; 4 the sub-target snapshots; 5 the parties; 6 the
    # standing sign-offs with who signed; 7 the stored report languages. (The previous
    # round's snapshots are 2 more when there is one.)
    with django_assert_num_queries(7):
        assert visitor.get(round.get_absolute_url()).status_code == 200


# ------------------------------------------------------------------------------ admin


def _admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_coordinator_signs_off_and_marks_no_change_in_the_admin(
    plan, actions, parties, editor, coordinator_huddinge
):
    round = _open(plan, editor)
    client = _admin(coordinator_huddinge)
    page = client.get(reverse("admin:actionplan_followupround_change", args=[round.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Signera för Huddinge kommun" in text
    assert "Signera för Botkyrka kommun" not in text  # not theirs

    sign_off_url = reverse("admin:actionplan_followupround_signoff", args=[round.pk])
    assert client.get(sign_off_url).status_code == 405  # POST only
    refused = client.post(sign_off_url, follow=True)
    assert "kan inte signera ännu" in refused.content.decode()
    assert not round.active_sign_offs().exists()

    no_change = reverse("admin:actionplan_followupround_nochange", args=[round.pk])
    client.post(no_change, {"action": [actions["h1"].pk, actions["h2"].pk]})
    assert actions["h1"].updates.filter(no_change=True, author=coordinator_huddinge).exists()
    start_page = reverse("admin:index")
    response = client.post(sign_off_url, {"next": start_page})
    assert response.status_code == 302 and response["Location"] == start_page
    assert round.active_sign_offs().get().organisation == parties["huddinge"]
    # A coordinator cannot sign off another party by naming it.
    client.post(reverse("admin:actionplan_followupround_withdraw", args=[round.pk]))
    assert not round.active_sign_offs().exists()
    client.post(sign_off_url, {"organisation": parties["botkyrka"].pk})
    assert not round.active_sign_offs().filter(organisation=parties["botkyrka"]).exists()
    # An off-site "next" is not followed.
    response = client.post(sign_off_url, {"next": "https://example.com/"})
    assert response["Location"] == reverse("admin:actionplan_followupround_change", args=[round.pk])


def test_marking_no_change_on_another_partys_action_is_refused(
    plan, actions, editor, coordinator_region
):
    round = _open(plan, editor)
    client = _admin(coordinator_region)
    response = client.post(
        reverse("admin:actionplan_followupround_nochange", args=[round.pk]),
        {"action": [actions["r1"].pk, actions["h1"].pk]},
    )
    assert response.status_code == 403
    assert not actions["r1"].updates.exists()  # all or nothing


def test_only_editors_close_rounds_in_the_admin(
    plan, actions, editor, steering_member, coordinator_huddinge
):
    round = _open(plan, editor)
    close = reverse("admin:actionplan_followupround_close", args=[round.pk])
    for user in (steering_member, coordinator_huddinge):
        assert _admin(user).post(close).status_code == 403
    round.refresh_from_db()
    assert round.is_open
    response = _admin(editor).post(close, follow=True)
    assert "Inte signerad: Region Stockholm, Huddinge kommun, Botkyrka kommun." in (
        response.content.decode()
    )
    round.refresh_from_db()
    assert round.is_closed and round.action_snapshots.count() == 4


def test_an_editor_opens_a_round_with_the_form(plan, editor):
    client = _admin(editor)
    url = reverse("admin:actionplan_followupround_add")
    data = {
        "plan": plan.pk,
        "title_sv": "Uppföljning tertial 2",
        "title_en": "",
        "reports_on": TODAY.isoformat(),
        "deadline": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "message_sv": "Hej",
        "message_en": "",
        "sign_offs-TOTAL_FORMS": "0",
        "sign_offs-INITIAL_FORMS": "0",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200  # the form again, with what was typed
    assert "Sista dagen ligger före" in refused.content.decode()
    assert "Uppföljning tertial 2" in refused.content.decode()
    data["deadline"] = (TODAY + datetime.timedelta(days=10)).isoformat()
    assert client.post(url, data).status_code == 302
    round = FollowUpRound.objects.get()
    assert round.opened_by == editor and round.is_open


def test_export_archive_includes_closed_rounds_with_their_reports(plan, actions, editor, tmp_path):
    from django.core.management import call_command

    from actionplan.models import RoundReportDocument

    closed = _close_without_worker(_open(plan, editor), editor)
    pdf = b"%PDF-1.7 round report"
    RoundReportDocument.objects.create(
        round=closed, language="sv", pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf)
    )
    _open(plan, editor, title="Öppen omgång")  # open: never archived
    call_command("export_archive", str(closed.closed_at.year), output=str(tmp_path))
    (package,) = list(tmp_path.iterdir())
    files = {f.relative_to(package).as_posix() for f in package.rglob("*") if f.is_file()}
    rounds_files = sorted(f for f in files if f.startswith("records/follow-up-round/"))
    assert any(f.endswith("-sv.pdf") for f in rounds_files), files
    assert any(f.endswith("record.json") for f in rounds_files)
    assert len({f.split("/")[2] for f in rounds_files}) == 1  # one round: the closed one


def test_an_editor_queues_a_missing_report_again(
    plan, actions, editor, steering_member, django_capture_on_commit_callbacks, monkeypatch
):
    from actionplan import round_report

    stored = []
    monkeypatch.setattr(round_report, "store_round_report", lambda round: stored.append(round.pk))
    round = _close_without_worker(_open(plan, editor), editor)  # its task not run
    changelist = reverse("admin:actionplan_followupround_changelist")
    post = {"action": "store_missing_reports", "_selected_action": [round.pk]}
    _admin(steering_member).post(changelist, post)
    assert stored == []
    response = _admin(editor).post(changelist, post, follow=True)
    assert stored == [round.pk]
    assert "Rapporten för 1 omgång är köad." in response.content.decode()
