"""Staff at work in the admin: a coordinator follows up their party's action and is refused
another party's; a programme editor adopts a plan, which then appears to visitors."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from actionplan.models import Action, ActionPlan, FollowUpUpdate
from tests.browser.builders import build_plan
from tests.decisions import coordination_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_stale_pages():
    # The page cache lives in the live server's process, which is this one: a page cached by
    # an earlier test (with other data under the same URL) must not answer this one.
    cache.clear()


@pytest.fixture
def adopted_plan(programme_content):
    return build_plan(
        programme_content,
        year=2026,
        title_sv="Handlingsplan 2026–2028",
        title_en="Action plan 2026–2028",
        adopted=True,
    )


@pytest.fixture
def draft_plan(programme_content):
    return build_plan(
        programme_content,
        year=2027,
        title_sv="Handlingsplan 2027–2029",
        title_en="Action plan 2027–2029",
        adopted=False,
    )


def _action(plan, lead: str) -> Action:
    return plan.actions.filter(lead_organisation__slug=lead).order_by("number").first()


def _change_url(live_url, obj) -> str:
    meta = obj._meta
    return live_url(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))


def _public_path(obj, language: str = "sv") -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def test_huddinge_coordinator_follows_up_an_own_action_and_is_refused_on_botkyrkas(
    browser, page, live_url, sign_in, coordinator_huddinge, adopted_plan
):
    own, other = _action(adopted_plan, "huddinge"), _action(adopted_plan, "botkyrka")
    # A visitor reads the action first (so an anonymous copy of the page may be cached).
    visitor = browser.new_context(locale="sv-SE")
    visitor_page = visitor.new_page()
    visitor_page.goto(live_url(_public_path(own)))
    assert "Projektering klar." not in visitor_page.locator("main").inner_text()

    sign_in(page, coordinator_huddinge)
    page.wait_for_url("**/admin/")

    # Their own action: the adopted content is read-only, the follow-up is not.
    page.goto(_change_url(live_url, own))
    assert page.locator(".messagelist .info").count() == 1  # "the plan is adopted" note
    assert page.locator("#id_title_sv").count() == 0
    page.locator("#id_contact_person").fill("Anna Andersson, Huddinge kommun")
    updates = page.locator("#updates-group")
    updates.locator(".add-row a").click()
    row = updates.locator("tr.dynamic-updates").last
    row.locator("input[name$='-date']").fill("2026-03-31")
    row.locator("select[name$='-status']").select_option("ongoing")
    row.locator("input[name$='-progress']").fill("40")
    row.locator("textarea[name$='-text_sv'], input[name$='-text_sv']").fill("Projektering klar.")
    page.locator("input[name=_save]").click()
    page.wait_for_url(live_url(reverse("admin:actionplan_action_changelist")))
    assert page.locator(".messagelist .success").count() == 1

    own.refresh_from_db()
    assert (own.contact_person, own.status, own.progress) == (
        "Anna Andersson, Huddinge kommun",
        "ongoing",
        40,
    )
    update = FollowUpUpdate.objects.get(action=own)
    assert (update.date, update.author) == (datetime.date(2026, 3, 31), coordinator_huddinge)
    # Visitors see the follow-up on the action's public page at once.
    visitor_page.goto(live_url(_public_path(own)))
    assert "40\xa0%" in visitor_page.locator("main").inner_text()  # a no-break space
    assert "Projektering klar." in visitor_page.locator("main").inner_text()
    visitor.close()

    # Botkyrka's action: readable, with a warning, and nothing to save.
    response = page.goto(_change_url(live_url, other))
    assert response.status == 200
    assert page.locator(".messagelist .warning").count() == 1
    assert page.locator("input[name=_save], input[name=_continue]").count() == 0
    assert page.locator("#id_contact_person").count() == 0
    assert page.locator("#updates-group .add-row").count() == 0
    # Posting the form anyway (as an edited page would) is refused with the 403 page.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    refused = page.request.post(
        _change_url(live_url, other),
        form={"csrfmiddlewaretoken": token, "contact_person": "Huddinge was here", "_save": "1"},
        headers={"Referer": _change_url(live_url, other)},
    )
    assert refused.status == 403
    # The permission refusal, not the expired-form page a bad CSRF token would get.
    assert "<h1>Åtkomst nekad</h1>" in refused.text()
    other.refresh_from_db()
    assert other.contact_person == ""


def test_programme_editor_adopts_a_plan_which_then_appears_publicly(
    browser, page, live_url, sign_in, editor, draft_plan
):
    # The coordination group's decision is recorded first; adopting the plan chooses it.
    decision = coordination_decision(datetime.date(2026, 12, 10), paragraph="§ 12")
    visitor = browser.new_context(locale="sv-SE")
    visitor_page = visitor.new_page()
    try:
        # A draft is not public.
        response = visitor_page.goto(live_url(_public_path(draft_plan)))
        assert response.status == 404

        sign_in(page, editor)
        page.wait_for_url("**/admin/")
        page.goto(_change_url(live_url, draft_plan))
        lifecycle = page.locator("section[aria-labelledby=plan-lifecycle-title]")

        propose = lifecycle.locator("form:has(input[name=to_status][value=proposed])")
        with page.expect_navigation():
            propose.get_by_role("button").click()
        assert page.locator(".messagelist .success").count() == 1
        draft_plan.refresh_from_db()
        assert draft_plan.status == ActionPlan.Status.PROPOSED

        adopt = lifecycle.locator("form:has(input[name=to_status][value=adopted])")
        adopt.get_by_label("Beslut av den politiska samordningsgruppen").select_option(
            str(decision.pk)
        )
        # Adopting renders the plan's two archival PDFs before the answer: give it time.
        with page.expect_navigation(timeout=60_000):
            adopt.get_by_role("button").click(no_wait_after=True)
        assert page.locator(".messagelist .success").count() == 1
        draft_plan.refresh_from_db()
        assert draft_plan.status == ActionPlan.Status.ADOPTED
        assert draft_plan.decision == decision
        # Adopted: no more moves back to draft, only forward.
        assert lifecycle.locator("input[name=to_status][value=draft]").count() == 0

        # A visitor (no session) now finds it, with its actions, in both languages.
        response = visitor_page.goto(live_url(_public_path(draft_plan)))
        assert response.status == 200
        assert visitor_page.locator("h1").inner_text() == "Handlingsplan 2027–2029"
        assert "Politiska samordningsgruppen" in visitor_page.locator(".plan-decision").inner_text()
        rows = visitor_page.locator(".action-table tbody th[scope=row]").all_inner_texts()
        assert rows == [action.title_sv for action in draft_plan.actions.order_by("number")]
        visitor_page.goto(live_url(_public_path(draft_plan, "en")))
        assert visitor_page.locator("h1").inner_text() == "Action plan 2027–2029"
        # As the newest adopted plan it is also the action plan the menu leads to.
        visitor_page.goto(live_url("/"))
        with translation.override("sv"):
            index = reverse("actionplan:index")
        visitor_page.locator(f".main-nav a[href='{index}']").click()
        visitor_page.wait_for_url(live_url(index))
        assert visitor_page.locator("h1").inner_text() == "Handlingsplan 2027–2029"
    finally:
        visitor.close()
