"""Staff sign in through the real form and work in the admin under the strict CSP."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_signs_in_and_edits_a_goal_without_breaking_the_csp(
    page, live_url, sign_in, editor, programme_content
):
    # `page` fails the test on any CSP violation in the console: admin pages, their scripts
    # (prepopulated slugs, inlines, related-object widgets) and styles all load under it.
    sign_in(page, editor)
    page.wait_for_url("**/admin/")
    goal = programme_content.goals.order_by("order").first()
    page.goto(live_url(reverse("admin:programme_developmentgoal_change", args=[goal.pk])))
    page.fill("#id_title_en", "Edited in the browser")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/programme/developmentgoal/")
    for name in ["admin:programme_strategy_add", "admin:actionplan_action_changelist"]:
        page.goto(live_url(reverse(name)))
    # The public page shows the edit at once (the page cache was invalidated).
    page.goto(live_url(f"/en/goals/{goal.slug}/"))
    assert page.locator("h1").inner_text() == "Edited in the browser"


def test_lockout_page_after_five_failures(page, live_url, sign_in, editor):
    for _ in range(5):
        sign_in(page, editor, password="wrong password")
    assert page.locator("h1").inner_text() == "Inloggningen är tillfälligt spärrad"
