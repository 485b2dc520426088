"""Public indicator pages: overview, sub-target page, goal page; drafts only for staff."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.models import SubTarget
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


def _url(name: str, language: str = "sv", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_overview_lists_every_sub_target_with_status_and_chart(
    visitor, sub_target, measure, language
):
    measure(sub_target, 2018, 1000)
    measure(sub_target, 2020, 3000)
    response = visitor.get(_url("indicators:overview", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1
    assert "css/indicators.css" in html
    for other in SubTarget.objects.all():
        assert other.get_absolute_url().split("/")[-2] in html
    # A chart only where there are values: the other sub-target shows its target instead.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1
    assert html.count('class="target-figure"') == 1
    assert "status-on_track" in html  # 1,000 a year → 2030: 13,000 ≥ 10,000
    assert "status-not_enough_data" in html  # the other sub-target has no value
    assert "style=" not in html and "<script" not in html


def test_overview_shows_no_data_yet_instead_of_a_value(visitor, programme):
    html = visitor.get(_url("indicators:overview")).content.decode()
    assert "Inget värde har publicerats ännu." in html
    assert "<svg" not in html  # no empty chart


def test_overview_query_count_does_not_grow_with_sub_targets(
    visitor, build_programme, django_assert_max_num_queries, measure
):
    build_programme(goals=5, strategies=1)
    for sub_target in SubTarget.objects.all():
        measure(sub_target, 2018, 10)
        measure(sub_target, 2020, 20)
    # 1 current programme, 2 goals, 3 their sub-targets, 4 those targets' published values,
    # 5 their published assessments with the assessing organisations.
    with django_assert_max_num_queries(5):
        response = visitor.get(_url("indicators:overview"))
    assert response.status_code == 200


def test_sub_target_page_has_chart_table_method_and_source(visitor, sub_target, measure):
    measure(sub_target, 2018, 1000, source_note="Huddinge bostadsbyggnadsstatistik")
    measure(sub_target, 2020, 3000)
    measure(sub_target, 2021, 7777, published=False)
    html = visitor.get(sub_target.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'id="method"' in html
    assert "Huddinge bostadsbyggnadsstatistik" in html
    assert "7\xa0777" not in html and "7777" not in html
    start = html.index("<svg")
    svg = ET.fromstring(html[start : html.index("</svg>", start) + 6])  # noqa: S314 – our page
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}circle")) == 2


def test_sub_target_page_without_baseline_shows_no_share_of_the_way(visitor, sub_target, measure):
    measure(sub_target, 2018, 1000)
    url = _url("indicators:sub_target", "en", slug=sub_target.slug)
    html = visitor.get(url).content.decode()
    assert "No baseline is known: no source gives one." in html
    assert "Not shown: no source gives a baseline to start from." in html


def test_sub_target_page_without_values_says_so_and_shows_the_target(visitor, sub_target):
    with translation.override("en"):
        html = visitor.get(_url("indicators:sub_target", "en", slug=sub_target.slug))
    html = html.content.decode()
    assert "No value has been published for this sub-target yet, so there is no status." in html
    # The target as a large figure, and no empty chart with a lone target line.
    assert '<span class="target-figure-value">10,000</span>' in html
    assert "<svg" not in html


def test_sub_target_page_query_count(visitor, sub_target, measure, django_assert_max_num_queries):
    measure(sub_target, 2018, 1000)
    measure(sub_target, 2020, 3000)
    # Nothing memoised yet: 1 the current programme; 2–5 its goals' list (goals, their
    # sub-targets with the measuring organisation, published values, published assessments
    # with their organisations, ``DevelopmentGoal.listed_for``); 6 the goal's public actions.
    with django_assert_max_num_queries(6):
        assert visitor.get(sub_target.get_absolute_url()).status_code == 200


def test_draft_sub_target_is_hidden_from_visitors_and_shown_to_staff(
    visitor, editor_client, sub_target
):
    sub_target.is_published = False
    sub_target.save()
    assert visitor.get(sub_target.get_absolute_url()).status_code == 404
    assert sub_target.statement not in visitor.get(_url("indicators:overview")).content.decode()
    response = editor_client.get(sub_target.get_absolute_url())
    assert response.status_code == 200
    assert "badge-draft" in response.content.decode()


def test_goal_page_shows_sub_targets_with_status_and_summary(visitor, sub_target, measure):
    measure(sub_target, 2018, 1000)
    measure(sub_target, 2020, 3000)
    html = visitor.get(sub_target.goal.get_absolute_url()).content.decode()
    assert sub_target.statement in html
    # The status band, the goal summary and the sub-target's card.
    assert html.count("status-on_track") == 3
    assert "1 av 1." in html


def test_sub_target_page_lists_actions_of_adopted_plans_only(visitor, sub_target, programme):
    from actionplan.models import Action, ActionPlan

    adopted = ActionPlan.objects.create(
        programme=programme,
        year=2026,
        title="Handlingsplan 2026",
        status="adopted",
        decision=coordination_decision(datetime.date(2025, 12, 10)),
    )
    draft = ActionPlan.objects.create(
        programme=programme, year=2027, title="Handlingsplan 2027", status="draft"
    )
    public = Action.objects.create(plan=adopted, number="2026:01", title="Bygg bostäder")
    hidden = Action.objects.create(plan=draft, number="2027:01", title="Utkastsåtgärd")
    for action in (public, hidden):
        action.goals.add(sub_target.goal)
    html = visitor.get(sub_target.get_absolute_url()).content.decode()
    assert "Bygg bostäder" in html
    assert public.get_absolute_url() in html
    assert "Utkastsåtgärd" not in html


def _plan_with_actions(programme, goal, year: int, count: int, **plan_fields):
    from actionplan.models import Action, ActionPlan

    plan = ActionPlan.objects.create(
        programme=programme,
        year=year,
        title=f"Handlingsplan {year}",
        status=ActionPlan.Status.ADOPTED,
        decision=coordination_decision(datetime.date(year - 1, 12, 1)),
        **plan_fields,
    )
    for number in range(1, count + 1):
        action = Action.objects.create(plan=plan, number=f"{number:02}", title=f"Åtgärd {number}")
        action.goals.add(goal)
    return plan


def test_sub_target_page_lists_ten_contributing_actions_and_links_to_the_rest(
    visitor, sub_target, django_assert_max_num_queries
):
    # A goal of a big plan can have hundreds of actions: the page lists ten, newest plan
    # first, and says how many each plan has, linking to that plan filtered by the goal.
    _plan_with_actions(sub_target.goal.programme, sub_target.goal, 2026, 12)
    _plan_with_actions(sub_target.goal.programme, sub_target.goal, 2025, 3, is_demo=True)
    # 1–5 as above; 6 the ten actions shown; 7 the number of actions per plan.
    with django_assert_max_num_queries(7):
        html = visitor.get(sub_target.get_absolute_url()).content.decode()
    section = html[html.index('id="actions-title"') : html.index('id="method"')]
    # The ten shown are the newest plan's.
    assert len(re.findall(r'href="/handlingsplan/2026/atgarder/\d+/"', section)) == 10
    assert not re.findall(r'href="/handlingsplan/2025/atgarder/\d+/"', section)
    assert "Åtgärd 10" in section and "Åtgärd 11" not in section
    goal = sub_target.goal.slug
    assert f'/2026/?goal={goal}">Alla 12 åtgärder i handlingsplan 2026 som bidrar' in section
    assert f'/2025/?goal={goal}">Alla 3 åtgärder i handlingsplan 2025 som bidrar' in section
    assert section.count("badge-demo") == 1  # the demo plan's link says DEMO


def test_sub_target_page_with_few_actions_lists_them_all_without_links(visitor, sub_target):
    _plan_with_actions(sub_target.goal.programme, sub_target.goal, 2026, 3)
    html = visitor.get(sub_target.get_absolute_url()).content.decode()
    section = html[html.index('id="actions-title"') : html.index('id="method"')]
    assert len(re.findall(r'href="/handlingsplan/2026/atgarder/\d+/"', section)) == 3
    assert "?goal=" not in section


def test_sub_target_of_a_replaced_programme_still_has_its_page(
    visitor, sub_target, earlier_programme
):
    # The current programme's sub-targets come from its goals' list; one of an earlier
    # programme's goals is not in that list and is fetched on its own.
    from programme.models import DevelopmentGoal

    goal = DevelopmentGoal.objects.create(
        programme=earlier_programme,
        order=1,
        slug="gammalt-mal",
        title="Gammalt mål",
        is_published=True,
    )
    old = SubTarget.objects.create(
        goal=goal, order=1, slug="gammalt-delmal", statement="Gammalt delmål", is_published=True
    )
    response = visitor.get(old.get_absolute_url())
    assert response.status_code == 200
    assert "Gammalt delmål" in response.content.decode()
    assert visitor.get(sub_target.get_absolute_url()).status_code == 200
    old.is_published = False
    old.save()
    assert visitor.get(old.get_absolute_url()).status_code == 404
