"""Coverage of a plan: actions per goal × strategy and goal × party, and the gaps."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actionplan.coverage import plan_coverage
from actionplan.models import ActionPlan
from actionplan.pdf import Kind, plan_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(make_plan, make_action, programme):
    """Three goals and two strategies (of build_programme); actions serving some of them."""
    plan = make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    goals = list(programme.goals.order_by("order"))
    first, _second = list(programme.strategies.order_by("order"))
    # 01: goal 1, strategy 1 directly and through its sub-strategy (counted once).
    a1 = make_action(plan, "2026:01", lead="huddinge")
    a1.strategies.add(first)
    a1.sub_strategies.add(first.sub_strategies.first())
    # 02: goals 1 and 2, strategy 1 through a sub-strategy only; Botkyrka with Huddinge.
    a2 = make_action(plan, "2026:02", lead="botkyrka", partners=["huddinge"])
    a2.goals.add(goals[1])
    a2.sub_strategies.add(first.sub_strategies.last())
    # 03: no goal, no strategy.
    a3 = make_action(plan, "2026:03", lead="region-stockholm")
    a3.goals.clear()
    return plan


def test_counts_goals_by_strategy_and_party(plan, programme, parties):
    coverage = plan_coverage(plan)
    assert [row.goal.order for row in coverage.rows] == [1, 2, 3]
    one, two, three = coverage.rows
    assert (one.by_strategy, one.total) == ([2, 0], 2)
    assert (two.by_strategy, two.total) == ([1, 0], 1)
    assert (three.by_strategy, three.total) == ([0, 0], 0)
    order = [party.slug for party in coverage.parties]
    by_party = dict(zip(order, one.by_party, strict=True))
    assert by_party == {"region-stockholm": 0, "huddinge": 2, "botkyrka": 1}
    assert coverage.strategy_totals == [2, 0]
    assert dict(zip(order, coverage.party_totals, strict=True)) == {
        "region-stockholm": 1,
        "huddinge": 2,
        "botkyrka": 1,
    }
    assert coverage.action_count == 3
    assert (coverage.without_goal, coverage.without_strategy) == (1, 1)
    assert [goal.order for goal in coverage.uncovered_goals] == [3]
    assert [s.order for s in coverage.uncovered_strategies] == [2]


def test_counting_takes_the_same_queries_for_3_and_30_actions(plan, make_action):
    with CaptureQueriesContext(connection) as small:
        plan_coverage(plan)
    for number in range(4, 31):
        make_action(plan, f"2026:{number:02d}")
    with CaptureQueriesContext(connection) as large:
        assert plan_coverage(plan).action_count == 30
    # goals, strategies, parties, the plan's actions, their goals, strategies,
    # sub-strategies and partners
    assert len(small) == len(large) == 8


def _url(plan, language="sv"):
    with translation.override(language):
        return reverse("actionplan:coverage", kwargs={"year": plan.year})


@pytest.mark.parametrize("language", ["sv", "en"])
def test_coverage_page_is_public_accessible_and_linked(visitor, plan, language):
    url = _url(plan, language)
    assert (
        url
        == {"sv": "/handlingsplan/2026/tackning/", "en": "/en/action-plan/2026/coverage/"}[language]
    )
    html = visitor.get(url).content.decode()
    assert html.count("<caption") >= 2 and 'scope="col"' in html and 'scope="row"' in html
    assert 'role="region" tabindex="0"' in html  # the table scrolls inside, never the page
    flag = {"sv": "ingen åtgärd", "en": "no action"}[language]
    assert html.count(f'<span class="flag">{flag}</span>') >= 3  # goal 3 and strategy 2
    with translation.override(language):
        plan_url = reverse("actionplan:year", kwargs={"year": plan.year})
    assert url in visitor.get(plan_url).content.decode()


def test_coverage_page_of_a_draft_is_hidden(visitor, make_plan):
    draft = make_plan(year=2027)
    assert visitor.get(_url(draft)).status_code == 404


def test_2007_plan_has_no_goals_to_count(visitor, programme_content):
    html = visitor.get("/handlingsplan/2007/tackning/").content.decode()
    assert "har inga utvecklingsmål eller huvudstrategier" in html
    assert "<table" not in html


@pytest.mark.parametrize("kind", [Kind.ACTION_PLAN, Kind.FOLLOW_UP])
def test_the_same_table_is_in_the_plan_and_follow_up_pdfs(plan, kind):
    html = plan_document(plan, kind, "en").html()
    assert "Actions per development goal and main strategy" in html
    assert "Actions per development goal and party (lead or co-responsible)" in html
    table = html[html.index("Actions per development goal and main strategy") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    cells = [re.findall(r'<td class="num">(\d+)', row) for row in rows]
    assert ["2", "0", "2"] in cells and ["0", "0", "0"] in cells


def test_coverage_page_counts_once_per_content_version_and_follows_a_change(
    visitor, plan, programme, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    goal_3 = programme.goals.get(order=3)
    flags = '<span class="flag">ingen åtgärd</span>'
    first = visitor.get(_url(plan)).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert visitor.get(_url(plan)).content.decode() == first
    # The plan, its years and its counts are memoised: no query of the actions' links.
    assert not any("actionplan_action_goals" in query["sql"] for query in again)
    # Linking an action to goal 3 (a saved change) shows at once: goal 3 is flagged no more.
    plan.actions.get(number="2026:03").goals.add(goal_3)
    assert visitor.get(_url(plan)).content.decode().count(flags) < first.count(flags)
