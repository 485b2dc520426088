"""The status band of the home and goal pages: the plan in force, its actions by status, the
sub-targets' status and "last updated", with the real content alone and with demo data."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from actionplan.models import Action, ActionPlan, FollowUpUpdate
from actionplan.status import programme_status
from indicators.models import Measurement, SubTarget
from programme.models import DevelopmentGoal
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


def _band(html: str) -> str:
    start = html.index('<section class="status-band"')
    return html[start : html.index("</section>", start)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _goals(programme):
    return DevelopmentGoal.objects.published().for_programme(programme).with_sub_targets()


def test_real_content_says_plainly_that_no_plan_is_adopted_under_flemingsberg_2050(
    visitor, programme_content
):
    band = _band(visitor.get("/").content.decode())
    text = _text(band)
    assert "Ingen handlingsplan under Flemingsberg 2050 har antagits ännu." in text
    # The only adopted plan of the real content, under the replaced 2007 programme.
    assert "Den senast antagna planen är från 2007" in text
    assert "Utvecklingsprogram för den regionala kärnan Flemingsberg" in text
    assert 'href="/handlingsplan/2007/"' in band
    assert band.count("status-not_enough_data") == 7  # every sub-target, none with a value
    assert "DEMO" not in band
    # Nothing of the programme's status changed since the consultation version.
    assert '<time datetime="2017-05-15">15 maj 2017</time>' in band


def test_english_band_with_the_real_content(visitor, programme_content):
    text = _text(_band(visitor.get("/en/").content.decode()))
    assert "No action plan under Flemingsberg 2050 has been adopted yet." in text
    assert "Last updated: 15 May 2017" in text


def test_demo_data_fills_the_band_and_says_demo(visitor, programme_content):
    call_command("generate_demo_plan", "--actions", "40", "--year", "2026", verbosity=0)
    call_command("generate_demo_measurements", verbosity=0)
    plan = ActionPlan.objects.get(is_demo=True)
    counts = Action.objects.in_plan(plan).status_counts()
    band = _band(visitor.get("/").content.decode())
    text = _text(band)
    assert "[DEMO] Handlingsplan 2026" in text
    assert 'class="demo-banner"' in band
    assert "40 åtgärder" in text
    for label, value in (("Planerad", "planned"), ("Pågående", "ongoing")):
        assert f"{label}: {counts[value]}" in text  # the numbers, in words, not only a bar
    assert band.count('<rect class="segment') == sum(1 for n in counts.values() if n)
    assert band.count('class="badge badge-demo"') == 7  # every sub-target has demo values
    today = timezone.localdate()
    assert f'<time datetime="{today:%Y-%m-%d}">' in band


def test_a_real_plan_is_in_force_before_a_demo_one(visitor, programme_content, make_real_plan):
    call_command("generate_demo_plan", "--actions", "5", "--year", "2026", verbosity=0)
    make_real_plan(year=2025)
    text = _text(_band(visitor.get("/").content.decode()))
    assert "Handlingsplan 2025" in text and "DEMO" not in text


def test_goal_page_counts_the_actions_serving_the_goal(visitor, programme_content):
    call_command("generate_demo_plan", "--actions", "30", "--year", "2026", verbosity=0)
    goal = programme_content.goals.get(order=1)
    serving = Action.objects.filter(goals=goal).count()
    assert 0 < serving < 30
    text = _text(_band(visitor.get(goal.get_absolute_url()).content.decode()))
    assert f"{serving} åtgärder bidrar till målet" in text
    assert (
        f"/handlingsplan/2026/?goal={goal.slug}"
        in visitor.get(goal.get_absolute_url()).content.decode()
    )


def test_last_updated_is_the_newest_published_change(programme_content, make_real_plan):
    plan = make_real_plan(year=2026)
    action = plan.actions.get()
    stamp = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)
    for model in (ActionPlan, Action):
        model.objects.update(updated_at=stamp)
    update = FollowUpUpdate.objects.create(
        action=action, date=datetime.date(2026, 4, 1), status="ongoing"
    )
    FollowUpUpdate.objects.filter(pk=update.pk).update(
        updated_at=datetime.datetime(2026, 4, 3, 9, tzinfo=datetime.UTC)
    )
    sub_target = SubTarget.objects.get(slug="nya-bostader")
    value = Measurement.objects.create(
        sub_target=sub_target, period_year=2025, value=Decimal(800), is_published=True
    )
    Measurement.objects.filter(pk=value.pk).update(
        updated_at=datetime.datetime(2026, 5, 7, 9, tzinfo=datetime.UTC)
    )
    # A draft value changed later does not count: it is not published.
    draft = Measurement.objects.create(
        sub_target=sub_target, period_year=2026, value=Decimal(900), is_published=False
    )
    Measurement.objects.filter(pk=draft.pk).update(
        updated_at=datetime.datetime(2026, 8, 1, 9, tzinfo=datetime.UTC)
    )
    status = programme_status(programme_content, goals=_goals(programme_content))
    assert status.last_updated == datetime.date(2026, 5, 7)
    Measurement.objects.filter(pk=value.pk).update(is_published=False)
    status = programme_status(programme_content, goals=_goals(programme_content))
    assert status.last_updated == datetime.date(2026, 4, 3)  # the follow-up


def test_status_takes_a_fixed_number_of_queries(programme_content, make_real_plan):
    plan = make_real_plan(year=2026)
    goals = list(_goals(programme_content))  # fetched by the page already
    with CaptureQueriesContext(connection) as queries:
        status = programme_status(programme_content, goals=goals)
    # 1 the plan in force, with two subqueries: when its actions and follow-ups last
    # changed; 2 its actions by status; 3 its latest closed public follow-up round, with
    # an EXISTS for its stored report in the page's language.
    assert len(queries) == 3, [q["sql"] for q in queries]
    assert status.plan == plan
    ActionPlan.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        status = programme_status(programme_content, goals=goals)
    # 1 no plan in force; 2 the newest plan of an earlier programme.
    assert len(queries) == 2
    assert status.plan is None and status.earlier_plan is None


def test_status_band_leaves_a_place_for_the_latest_follow_up_round(programme_content):
    status = programme_status(programme_content, goals=_goals(programme_content))
    assert status.latest_round is None
    with translation.override("sv"):
        from django.template.loader import render_to_string

        html = render_to_string("actionplan/includes/status_band.html", {"status": status})
    assert "status-round" not in html  # nothing while no round has been closed


@pytest.fixture
def make_real_plan(programme_content, parties):
    def make(year: int) -> ActionPlan:
        plan = ActionPlan.objects.create(
            programme=programme_content,
            year=year,
            title_sv=f"Handlingsplan {year}",
            title_en=f"Action plan {year}",
            status=ActionPlan.Status.ADOPTED,
            decision=coordination_decision(datetime.date(year - 1, 12, 10)),
        )
        action = Action.objects.create(
            plan=plan,
            number=f"{year}:01",
            title_sv="Cykelstråk",
            lead_organisation=parties["huddinge"],
        )
        action.goals.add(programme_content.goals.get(order=1))
        return plan

    return make


# The band's HTML is memoised per content version and language for anonymous visitors
# (flemingsberg.cache.memoised); the page cache is off here so that each request renders.


@pytest.fixture
def no_page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def test_band_is_worked_out_once_per_content_version_for_visitors(
    visitor, programme_content, make_real_plan, no_page_cache
):
    plan = make_real_plan(year=2026)
    goal_url = programme_content.goals.get(order=1).get_absolute_url()
    for url in ("/", goal_url):
        with CaptureQueriesContext(connection) as first:
            html = visitor.get(url).content.decode()
        with CaptureQueriesContext(connection) as again:
            assert visitor.get(url).content.decode() == html
        # The band's three queries (plan in force, its status counts, its latest round)
        # are not run again; the home page and each goal page have their own band. What
        # else these pages read is memoised too (the programme with its vision, the goals'
        # and strategies' lists, the goal's actions): nothing is left to query.
        assert any("actionplan_followupround" in query["sql"] for query in first), url
        assert len(again) == 0, [query["sql"] for query in again]
    assert "segment-ongoing" not in _band(visitor.get("/").content.decode())
    # A saved change retires it: the next render shows the new state.
    plan.actions.update(status="ongoing", progress=40)  # no signal …
    assert "segment-ongoing" not in _band(visitor.get("/").content.decode())
    plan.actions.get().save()  # … a save sends one
    assert "segment-ongoing" in _band(visitor.get("/").content.decode())


def test_band_is_memoised_per_language(visitor, programme_content, no_page_cache):
    assert "Ingen handlingsplan" in _band(visitor.get("/").content.decode())
    assert "No action plan" in _band(visitor.get("/en/").content.decode())
    assert "Ingen handlingsplan" in _band(visitor.get("/").content.decode())


def test_staff_band_is_never_memoised_nor_shown_to_visitors(
    visitor, editor_client, programme_content, no_page_cache
):
    # A draft sub-target shows in the editor's band (a preview) and never in a visitor's:
    # had the editor's band been memoised, the visitor would be served it.
    sub_target = SubTarget.objects.filter(goal__programme=programme_content).first()
    sub_target.statement_sv = "Utkast till delmål"
    sub_target.is_published = False
    sub_target.save()
    assert "Utkast till delmål" in _band(editor_client.get("/").content.decode())
    assert "Utkast till delmål" not in _band(visitor.get("/").content.decode())
    # And the other way round: the editor's band is worked out, not the visitor's memo.
    SubTarget.objects.filter(pk=sub_target.pk).update(statement_sv="Nytt utkast")  # no signal
    assert "Nytt utkast" in _band(editor_client.get("/").content.decode())


def test_memo_off_works_it_out_each_time(visitor, programme_content, no_page_cache, settings):
    settings.PUBLIC_MEMO_ENTRIES = 0
    visitor.get("/")
    with CaptureQueriesContext(connection) as queries:
        visitor.get("/")
    assert any("actionplan_actionplan" in query["sql"] for query in queries)
