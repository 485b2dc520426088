"""Every public page type is usable at 320 and 390 px (WCAG 1.4.10 Reflow): no sideways
scrolling – with the real content, and with a plan of many actions whose filters carry the
real goal names (the longest words the pages show).

Wide data tables may scroll inside their own `.table-scroll` container; the page may not.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from actionplan.models import Action
from indicators.models import SubTarget
from tests.browser.test_accessibility import PAGE_TYPES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390)

OVERFLOWING_ELEMENTS = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const element of document.querySelectorAll('body *')) {
        if (element.closest('.table-scroll')) continue;
        if (element.getBoundingClientRect().right > width + 1) {
            wide.push(element.tagName.toLowerCase() + '.' + element.className);
        }
    }
    return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


@pytest.fixture(autouse=True)
def _no_stale_pages():
    cache.clear()


def _failures(page, live_url, paths: dict[str, str]) -> list[str]:
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for page_type, path in paths.items():
            page.goto(live_url(path))
            layout = page.evaluate(OVERFLOWING_ELEMENTS)
            if layout["scrollWidth"] > layout["width"] or layout["wide"]:
                failures.append(f"{width} px {page_type} {path}: {layout}")
    return failures


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_page_scrolls_sideways_on_a_phone(page, live_url, programme_content, language):
    with translation.override(language):
        paths = {name: find_path(programme_content) for name, find_path in PAGE_TYPES.items()}
    assert _failures(page, live_url, paths) == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_plan_of_many_actions_with_the_real_goal_names_fits_a_phone(
    page, live_url, programme_content, language
):
    # 60 actions: three pages of cards; the filters list the five goals by their real names.
    call_command("generate_demo_plan", "--actions", "60", "--year", "2026", verbosity=0)
    call_command("generate_demo_measurements", verbosity=0)
    goal = programme_content.goals.get(order=2)  # the longest name
    action = Action.objects.filter(plan__year=2026).first()
    with translation.override(language):
        plan = reverse("actionplan:year", kwargs={"year": 2026})
        paths = {
            "plan": plan,
            "plan, filtered": f"{plan}?goal={goal.slug}",
            "plan, page 2": f"{plan}?page=2",
            "coverage": reverse("actionplan:coverage", kwargs={"year": 2026}),
            "action": action.get_absolute_url(),
            "communication plan": reverse("actionplan:communication", kwargs={"year": 2026}),
            "compare": reverse("actionplan:compare") + "?from=2007&to=2026",
            "home with demo data": reverse("programme:home"),
            "goal with demo data": goal.get_absolute_url(),
            "indicators with demo data": reverse("indicators:overview"),
            "sub-target with demo data": SubTarget.objects.get(
                slug="stadskvaliteter-100000-invanare"
            ).get_absolute_url(),
        }
    assert _failures(page, live_url, paths) == []
