"""Where the programme stands, on any screen: the status band (real content alone, and with
demo data), the coverage page, the action cards on phones, and an empty and a filled
sub-target – in Swedish and English, at 320, 390 and 1280 px."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from actionplan.models import Action, ActionPlan
from indicators.models import SubTarget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390, 1280)
PHONE = 48 * 16  # the cards' breakpoint (48rem), in px


@pytest.fixture(autouse=True)
def _no_stale_pages():
    # The live server runs in this process: a page cached by an earlier test must not answer.
    cache.clear()


@pytest.fixture
def demo_content(programme_content):
    call_command("generate_demo_plan", "--actions", "60", "--year", "2026", verbosity=0)
    call_command("generate_demo_measurements", verbosity=0)
    return programme_content


def _url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _sideways(page) -> int:
    """How far the page reaches beyond the screen's width (0: no sideways scrolling)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _words(language: str, sv: str, en: str) -> str:
    return sv if language == "sv" else en


@pytest.mark.parametrize("language", ["sv", "en"])
def test_status_band_with_the_real_content_only(page, live_url, programme_content, language):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_url(_url("programme:home", language)))
        band = page.locator("section.status-band")
        assert band.is_visible()
        # The band comes first in the main content, before the vision.
        assert band.bounding_box()["y"] < page.locator("section.vision").bounding_box()["y"]
        text = band.inner_text()
        assert (
            _words(
                language,
                "Ingen handlingsplan under Flemingsberg 2050 har antagits ännu.",
                "No action plan under Flemingsberg 2050 has been adopted yet.",
            )
            in text
        )
        assert band.get_by_role(
            "link", name="Handlingsprogram" if language == "sv" else "Action programme", exact=False
        ).is_visible()
        assert band.locator(".status-targets-list li").count() == 7
        assert _words(language, "Senast uppdaterad", "Last updated") in text
        assert "DEMO" not in text
        assert _sideways(page) == 0, width


@pytest.mark.parametrize("language", ["sv", "en"])
def test_status_band_with_demo_data(page, live_url, demo_content, language):
    plan = ActionPlan.objects.get(is_demo=True)
    counts = Action.objects.in_plan(plan).status_counts()
    goal = demo_content.goals.get(order=1)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_url(_url("programme:home", language)))
        band = page.locator("section.status-band")
        assert band.locator(".demo-banner").is_visible()
        assert "[DEMO]" in band.locator(".status-plan").inner_text()
        bar = band.locator("svg.status-bar")
        assert bar.is_visible() and bar.bounding_box()["width"] <= width
        legend = band.locator(".status-legend li").all_inner_texts()
        assert [item.split(":")[1].strip() for item in legend] == [str(n) for n in counts.values()]
        assert band.locator(".badge-demo").count() == 7
        assert _sideways(page) == 0, width

        page.goto(
            live_url(
                goal.get_absolute_url()
                if language == "sv"
                else _url("programme:goal", "en", slug=goal.slug)
            )
        )
        band = page.locator("section.status-band")
        serving = Action.objects.filter(goals=goal).count()
        assert band.locator(".status-total").inner_text().startswith(str(serving))
        assert _sideways(page) == 0, width


@pytest.mark.parametrize("language", ["sv", "en"])
def test_coverage_page(page, live_url, demo_content, language):
    url = _url("actionplan:coverage", language, year=2026)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_url(url))
        tables = page.locator("table.coverage-table")
        cards = page.locator(".coverage-cards")
        if width < PHONE:
            assert cards.is_visible() and not tables.first.is_visible()
            assert page.locator(".coverage-card").count() == 6  # five goals and the plan
        else:
            assert tables.count() == 2 and tables.first.is_visible() and not cards.is_visible()
            assert tables.first.locator("caption").is_visible()
        assert page.locator(".coverage-gaps").is_visible()
        assert _sideways(page) == 0, width
    # Reached from the plan and from the status band.
    page.goto(live_url(_url("actionplan:year", language, year=2026)))
    assert page.locator(f"a[href='{url}']").count() >= 1


@pytest.mark.parametrize("language", ["sv", "en"])
def test_action_list_is_cards_on_phones_and_a_table_on_wide_screens(
    page, live_url, demo_content, language
):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_url(_url("actionplan:year", language, year=2026)))
        cards = page.locator("ol.action-cards")
        table = page.locator("table.action-table")
        if width < PHONE:
            assert cards.is_visible() and not table.is_visible()
            assert cards.locator("li.action-card").count() == 25  # one page
        else:
            assert table.is_visible() and not cards.is_visible()
        for select in page.locator(".action-filters select").all():
            box = select.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, width
        assert _sideways(page) == 0, width


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_empty_sub_target(page, live_url, programme_content, language):
    sub_target = SubTarget.objects.get(slug="nya-bostader")
    url = _url("indicators:sub_target", language, slug=sub_target.slug)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_url(url))
        panel = page.locator(".status-panel")
        assert (
            _words(
                language,
                "Inget värde har publicerats för delmålet ännu",
                "No value has been published for this sub-target yet",
            )
            in panel.inner_text()
        )
        figure = panel.locator(".target-figure-value")
        assert figure.is_visible() and figure.inner_text().replace("\xa0", " ") in (
            "10 000",
            "10,000",
        )
        assert page.locator("main svg").count() == 0  # no empty chart
        assert _sideways(page) == 0, width


FONT_SIZES = """() => {
    const sizes = [];
    for (const svg of document.querySelectorAll('figure.chart svg')) {
        if (!svg.getClientRects().length) continue;  // the hidden layout
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        for (const text of svg.querySelectorAll('text')) {
            const own = text.getAttribute('font-size');
            const size = parseFloat(own || svg.getAttribute('font-size'));
            sizes.push(size * scale);
        }
    }
    return sizes;
}"""


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_filled_sub_target(page, live_url, demo_content, language):
    sub_target = SubTarget.objects.get(slug="nya-bostader")
    url = _url("indicators:sub_target", language, slug=sub_target.slug)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_url(url))
        assert page.locator(".demo-banner").is_visible()
        charts = page.locator("figure.chart svg[role=img]").locator("visible=true")
        assert charts.count() == 1
        sizes = page.evaluate(FONT_SIZES)
        assert sizes and min(sizes) >= 12, (width, min(sizes))
        chart_box = charts.bounding_box()
        table_box = page.locator("table.data-table").bounding_box()
        if width < PHONE:
            # Below the chart, as wide as it.
            assert table_box["y"] >= chart_box["y"] + chart_box["height"] - 1
            assert abs(table_box["width"] - chart_box["width"]) <= 2
        assert _sideways(page) == 0, width
