""" "Når vi målet?": editors record a dated assessment of a sub-target; visitors see the newest
published one on the sub-target page, the overview, the goal page and in the report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.models import Assessment, SubTarget
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def assess(parties):
    def add(sub_target, day: datetime.date, *, published=True, **fields) -> Assessment:
        defaults = {
            "verdict": Assessment.Verdict.CLOSE,
            "trend": Assessment.Trend.POSITIVE,
            "what_is_done_sv": "Detaljplaner för 2 000 bostäder antas.",
            "what_is_done_en": "Local plans for 2,000 homes are being adopted.",
            "what_is_needed_sv": "Snabbare bygglov.",
            "what_is_needed_en": "Faster building permits.",
            "author_organisation": parties["huddinge"],
        }
        return Assessment.objects.create(
            sub_target=sub_target, assessed_on=day, is_published=published, **{**defaults, **fields}
        )

    return add


def test_the_newest_published_assessment_is_shown(visitor, sub_target, assess):
    assess(sub_target, datetime.date(2025, 3, 1), verdict="no", trend="negative")
    assess(sub_target, datetime.date(2026, 3, 1))
    assess(sub_target, datetime.date(2026, 9, 1), verdict="yes", published=False)
    html = visitor.get(sub_target.get_absolute_url()).content.decode()
    assert "Når vi målet?" in html
    assert '<span class="verdict verdict-close">Nära</span>' in html
    assert '<span class="trend trend-positive">Positiv</span>' in html
    assert "Bedömd den 1 mars 2026 av Huddinge kommun." in html
    assert "Vad görs?" in html and "Detaljplaner för 2 000 bostäder antas." in html
    assert "Vad krävs?" in html and "Snabbare bygglov." in html
    assert "Tidigare bedömningar" in html and "1 mars 2025" in html
    assert "verdict-yes" not in html  # the unpublished one


def test_english_page_marks_assessment_texts_written_only_in_swedish(visitor, sub_target, assess):
    assess(sub_target, datetime.date(2026, 3, 1), what_is_needed_en="")
    with translation.override("en"):
        url = reverse("indicators:sub_target", kwargs={"slug": sub_target.slug})
    html = visitor.get(url).content.decode()
    assert "Will we reach the target?" in html and "Local plans for 2,000 homes" in html
    assert '<div lang="sv"><p>Snabbare bygglov.</p></div>' in html
    assert "This text exists only in Swedish." in html


def test_overview_goal_page_and_report_show_the_verdict(
    visitor, sub_target, assess, programme, make_report_plan
):
    assess(sub_target, datetime.date(2026, 3, 1))
    overview = visitor.get(reverse("indicators:overview")).content.decode()
    assert "Når vi målet? Nära" in overview
    assert '(<time datetime="2026-03-01">1 mars 2026</time>, Huddinge)' in overview
    assert "Når vi målet? Nära" in visitor.get(sub_target.goal.get_absolute_url()).content.decode()
    from actionplan.pdf import Kind, plan_document

    report = plan_document(make_report_plan(), Kind.FOLLOW_UP, "sv").html()
    assert "Nära (1 mars 2026)" in report
    assert "Bedömd den 1 mars 2026 av Huddinge kommun." in report
    assert "Snabbare bygglov." in report


def test_assessments_keep_their_history(sub_target, assess):
    assessment = assess(sub_target, datetime.date(2026, 3, 1))
    assessment.verdict = Assessment.Verdict.YES
    assessment.save()
    assert [h.verdict for h in assessment.history.order_by("history_date")] == ["close", "yes"]


def test_one_assessment_per_sub_target_and_day(sub_target, assess):
    from django.db import IntegrityError, transaction

    assess(sub_target, datetime.date(2026, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        assess(sub_target, datetime.date(2026, 3, 1))


@pytest.mark.parametrize(
    ("role", "may_change"),
    [("editor", True), ("coordinator", False), ("steering", False)],
)
def test_editors_enter_assessments_the_others_only_read_them(
    client, make_staff, sub_target, parties, role, may_change
):
    user = make_staff(role, "huddinge")
    assert user.has_perm("indicators.view_assessment")
    for action in ("add", "change", "delete"):
        assert user.has_perm(f"indicators.{action}_assessment") is may_change
    client.force_login(user)
    assert client.get(reverse("admin:indicators_assessment_changelist")).status_code == 200
    response = client.post(
        reverse("admin:indicators_assessment_add"),
        {
            "sub_target": sub_target.pk,
            "assessed_on": "2026-03-01",
            "verdict": "close",
            "trend": "neutral",
            "what_is_done_sv": "Planering pågår.",
            "what_is_done_en": "",
            "what_is_needed_sv": "",
            "what_is_needed_en": "",
            "author_organisation": parties["huddinge"].pk,
            "is_published": "on",
        },
    )
    assert response.status_code == (302 if may_change else 403)
    assert Assessment.objects.exists() is may_change


def test_sub_target_page_inline_is_read_only_for_a_coordinator(
    client, make_staff, sub_target, parties, assess
):
    sub_target.measuring_organisation = parties["huddinge"]
    sub_target.save()
    assess(sub_target, datetime.date(2026, 3, 1))
    client.force_login(make_staff("coordinator", "huddinge"))
    response = client.get(reverse("admin:indicators_subtarget_change", args=[sub_target.pk]))
    inline = next(
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is Assessment
    )
    assert not inline.has_add_permission and not inline.has_change_permission


@pytest.fixture
def make_report_plan(programme):
    from actionplan.models import ActionPlan

    def make():
        return ActionPlan.objects.create(
            programme=programme,
            year=2026,
            title="Handlingsplan 2026",
            status="adopted",
            decision=coordination_decision(datetime.date(2025, 12, 10)),
        )

    return make


def test_status_reasons_for_values_without_a_baseline(visitor, programme, measure):
    doubled = SubTarget.objects.get(slug="delmal-2")
    doubled.kind = SubTarget.Kind.MULTIPLE
    doubled.target_value = 2
    doubled.indicator_unit = "forskningscentrum"
    doubled.save()
    measure(doubled, 2018, 10)
    measure(doubled, 2020, 12)
    html = visitor.get(doubled.get_absolute_url()).content.decode()
    assert "Senaste värde" in html and "12\xa0forskningscentrum (2020)" in html
    assert "Ingen status: målet är en multipel av utgångsvärdet" in html
