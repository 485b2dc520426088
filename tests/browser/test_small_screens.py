"""Every public page type is usable at 320 px (WCAG 1.4.10 Reflow): no sideways scrolling.

Wide data tables may scroll inside their own `.table-scroll` container; the page may not.
"""

import pytest
from django.utils import translation

from tests.browser.test_accessibility import PAGE_TYPES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_page_scrolls_sideways_at_320_px(page, live_url, programme_content, language):
    page.set_viewport_size({"width": 320, "height": 800})
    failures = []
    for page_type, find_path in PAGE_TYPES.items():
        with translation.override(language):
            path = find_path(programme_content)
        page.goto(live_url(path))
        layout = page.evaluate(OVERFLOWING_ELEMENTS)
        if layout["scrollWidth"] > layout["width"] or layout["wide"]:
            failures.append(f"{page_type} {path}: {layout}")
    assert failures == []
