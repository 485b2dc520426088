"""A visitor filters the action plan, opens an indicator chart and downloads the PDFs."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from indicators.models import Measurement, SubTarget
from tests.browser.builders import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2026


@pytest.fixture(autouse=True)
def _no_stale_pages():
    # The page cache lives in the live server's process, which is this one: a page cached by
    # an earlier test (with other data under the same URL) must not answer this one.
    cache.clear()


@pytest.fixture
def adopted_plan(programme_content):
    return build_plan(
        programme_content,
        year=YEAR,
        title_sv="Handlingsplan 2026–2028",
        title_en="Action plan 2026–2028",
        adopted=True,
    )


def _sv(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


def _listed_actions(page) -> list[str]:
    return page.locator(".action-table tbody th[scope=row]").all_inner_texts()


def test_visitor_filters_the_action_plan_by_party_and_goal_after_switching_to_english(
    page, live_url, adopted_plan, programme_content
):
    goal = programme_content.goals.get(order=2)
    page.goto(live_url("/"))
    page.locator(".main-nav").get_by_role("link", name=_sv("Action plan")).click()
    page.wait_for_url(live_url(reverse("actionplan:index")))
    assert page.locator("h1").inner_text() == "Handlingsplan 2026–2028"
    assert len(_listed_actions(page)) == 4

    # The same page in English.
    page.locator(".lang-switch").get_by_role("link", name="English").click()
    with translation.override("en"):
        page.wait_for_url(live_url(reverse("actionplan:index")))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Action plan 2026–2028"

    page.get_by_label("Party").select_option(label="Huddinge Municipality")
    page.get_by_label("Development goal").select_option(label=goal.title_en)
    page.get_by_role("button", name="Show actions").click()
    page.wait_for_url(re.compile(rf"\?goal={goal.slug}&.*party=huddinge"))

    # Huddinge leads one goal-2 action and is co-responsible for another; its goal-1
    # action and Botkyrka's goal-2 action are filtered out.
    assert _listed_actions(page) == ["Joint housing planning", "Safe lighting at the square"]
    assert page.locator(".action-table caption").inner_text() == "2 actions"
    assert page.locator(".status-counts tfoot td").inner_text() == "2"
    # The form keeps the choices, and offers to clear them.
    assert page.get_by_label("Party").input_value() == "huddinge"
    assert page.get_by_label("Development goal").input_value() == goal.slug
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(re.compile(r"/en/.*\?$"))
    assert len(_listed_actions(page)) == 4


def test_visitor_opens_an_indicator_chart_with_a_text_alternative_and_a_data_table(
    page, live_url, programme_content
):
    sub_target = SubTarget.objects.get(slug="nya-bostader")
    for year, value, published in [(2018, 800, True), (2022, 2600, True), (2024, 9999, False)]:
        Measurement.objects.create(
            sub_target=sub_target,
            period_year=year,
            value=Decimal(value),
            is_published=published,
            source_note="Huddinge kommun, bostadsbyggande",
        )

    page.goto(live_url("/en/"))
    page.locator(".main-nav").get_by_role("link", name="Indicators").click()
    page.get_by_role("link", name=sub_target.statement_en).click()
    with translation.override("en"):
        page.wait_for_url(live_url(sub_target.get_absolute_url()))

    # The wide drawing at this width; the phone one is hidden (display: none).
    chart = page.locator("figure.chart svg[role=img]").locator("visible=true")
    assert chart.count() == 1 and chart.is_visible()
    # aria-labelledby names the <title> and <desc>: the chart's text alternative.
    title_id, desc_id = chart.get_attribute("aria-labelledby").split()
    assert page.locator(f"[id='{title_id}']").text_content() == "Chart: New homes"
    assert "2022" in page.locator(f"[id='{desc_id}']").text_content()
    assert page.get_by_role("img", name=re.compile(r"^Chart: New homes")).count() == 1

    table = page.get_by_role("table", name="Published values: New homes")
    assert table.is_visible()
    # Only the published values; the 2024 draft value shows nowhere.
    assert table.locator("tbody th[scope=row]").all_inner_texts() == ["2018", "2022"]
    assert "9,999" not in page.locator("main").inner_text()


def _assert_pdf(response) -> None:
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


def test_visitor_downloads_the_programme_and_the_action_plan_as_pdf(page, live_url, adopted_plan):
    page.goto(live_url("/"))
    link = page.get_by_role("link", name=_sv("The whole programme as a PDF for printing"))
    _assert_pdf(page.request.get(live_url(link.get_attribute("href"))))

    page.goto(live_url(adopted_plan.get_absolute_url()))
    link = page.locator("main").get_by_role("link", name=re.compile(r"PDF$"))
    with translation.override("sv"):
        assert link.get_attribute("href") == reverse("actionplan:pdf", args=[YEAR])
    _assert_pdf(page.request.get(live_url(link.get_attribute("href"))))


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has focus; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            focus = page.evaluate(
                """() => {
                    const style = getComputedStyle(document.activeElement);
                    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                        || style.boxShadow !== 'none';
                }"""
            )
            assert focus, f"{selector} has focus but no visible focus indicator"
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_keyboard_only_visitor_filters_the_action_plan(page, live_url, adopted_plan):
    page.goto(live_url(adopted_plan.get_absolute_url()))
    # The first filter, from the top of the page, by Tab alone.
    _tab_to(page, "select[name=goal]")
    # On a closed select the arrow keys change the choice: the second goal.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "select[name=party]", limit=3)
    page.keyboard.type("Hu")  # type-ahead: "Huddinge kommun"
    assert page.locator("select[name=party]").input_value() == "huddinge"
    _tab_to(page, "form.action-filters button[type=submit]", limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    goal = adopted_plan.programme.goals.get(order=2)
    assert f"goal={goal.slug}" in page.url and "party=huddinge" in page.url
    assert _listed_actions(page) == ["Gemensam bostadsplanering", "Trygg belysning vid torget"]
    assert page.locator("select[name=goal]").input_value() == goal.slug
