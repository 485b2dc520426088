"""A visitor reads the programme in Swedish, switches to English, and uses only the keyboard."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_in_swedish_and_switches_to_english_on_the_same_page(
    page, live_url, programme_content
):
    goal = programme_content.goals.order_by("order").first()
    page.goto(live_url("/"))
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").first.inner_text() == programme_content.title_sv
    page.get_by_role("link", name=goal.title_sv, exact=True).first.click()
    page.wait_for_url(f"**/mal/{goal.slug}/")
    assert page.locator("h1").inner_text() == goal.title_sv

    page.locator(".lang-switch").get_by_role("link", name="English").click()
    page.wait_for_url(f"**/en/goals/{goal.slug}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == goal.title_en
    # And back: the Swedish link leads to the same goal in Swedish.
    page.locator(".lang-switch").get_by_role("link", name="Svenska").click()
    page.wait_for_url(f"**/mal/{goal.slug}/")
    assert page.locator("h1").inner_text() == goal.title_sv


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {
                id: el.id, cls: el.className, href: el.getAttribute('href'),
                inMainNav: !!el.closest('.main-nav'),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                shadow: style.boxShadow !== 'none',
                visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
            };
        }"""
    )


def test_the_first_tab_reaches_the_skip_link_and_it_moves_focus_to_main(
    page, live_url, programme_content
):
    page.goto(live_url("/"))
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert "skip-link" in focused["cls"]
    assert focused["visible"] and focused["outline"]
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"
    # The next Tab continues inside main, not back at the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_tab_reaches_every_main_menu_item_with_a_visible_focus_indicator(
    page, live_url, programme_content, language
):
    page.goto(live_url("/" if language == "sv" else "/en/"))
    menu = page.locator(".main-nav a")
    expected = {menu.nth(i).get_attribute("href") for i in range(menu.count())}
    assert len(expected) == 5
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["inMainNav"]:
            assert focused["visible"] and focused["outline"], focused
            reached.add(focused["href"])
        if reached == expected:
            break
    assert reached == expected
