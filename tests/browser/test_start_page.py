"""A Huddinge coordinator's cycle in the browser (issue 15): signs in, the start page shows
what the open round needs from Huddinge, they follow up one action, mark the other "no
change since last round", sign off, and see the sign-off recorded."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from actionplan import rounds
from actionplan.models import FollowUpUpdate, RoundSignOff
from tests.browser.builders import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_stale_pages():
    cache.clear()


@pytest.fixture
def open_round(programme_content, editor):
    plan = build_plan(
        programme_content,
        year=2026,
        title_sv="Handlingsplan 2026–2028",
        title_en="Action plan 2026–2028",
        adopted=True,
    )
    return rounds.open_round(
        plan=plan,
        by=editor,
        title="Uppföljning tertial 2 2026",
        reports_on=datetime.date.today(),
        deadline=datetime.date.today() + datetime.timedelta(days=14),
        message="Ange genomförandegrad för varje åtgärd.",
    )


def test_a_huddinge_coordinator_goes_from_the_start_page_to_sign_off(
    page, live_url, sign_in, coordinator_huddinge, open_round
):
    sign_in(page, coordinator_huddinge)
    page.wait_for_url("**/admin/")

    # The start page: the open round and the two actions Huddinge leads, both missing.
    round_section = page.locator(f"section[aria-labelledby='start-round-{open_round.pk}']")
    assert "Uppföljning tertial 2 2026" in round_section.locator("h2").inner_text()
    assert "Ange genomförandegrad för varje åtgärd." in round_section.inner_text()
    missing = round_section.locator(".start-missing li")
    assert missing.count() == 2
    assert "Cykelstråk till stationen" in missing.nth(0).inner_text()
    assert "Trygg belysning vid torget" in missing.nth(1).inner_text()
    assert "Gemensam bostadsplanering" not in round_section.inner_text()  # Region leads it
    # Signing off before every action is covered is refused, with the actions named.
    round_section.get_by_role("button", name="Signera för Huddinge").click()
    page.locator(".messagelist .error").wait_for()
    assert "2026:01" in page.locator(".messagelist .error").inner_text()
    assert not RoundSignOff.objects.exists()

    # A follow-up update for the first one, through the admin's form.
    round_section = page.locator(f"section[aria-labelledby='start-round-{open_round.pk}']")
    round_section.locator(".start-missing li").nth(0).get_by_role(
        "link", name="Lägg till en uppföljning"
    ).click()
    page.locator("#id_date").fill(datetime.date.today().isoformat())
    page.locator("#id_status").select_option("ongoing")
    page.locator("#id_progress").fill("30")
    page.locator("#id_text_sv").fill("Upphandling pågår.")
    page.locator("input[name=_save]").click()
    page.locator(".messagelist .success").wait_for()

    # Back on the start page: one left, marked "no change since last round".
    page.goto(live_url(reverse("admin:index")))
    round_section = page.locator(f"section[aria-labelledby='start-round-{open_round.pk}']")
    missing = round_section.locator(".start-missing li")
    assert missing.count() == 1
    assert "Trygg belysning vid torget" in missing.inner_text()
    missing.get_by_role("button", name="Ingen förändring sedan förra omgången").click()
    page.locator(".messagelist .success").wait_for()
    round_section = page.locator(f"section[aria-labelledby='start-round-{open_round.pk}']")
    assert round_section.locator(".start-missing li").count() == 0
    assert "2 av de 2 åtgärder din organisation leder" in round_section.inner_text()

    # The sign-off, recorded with who and when.
    round_section.get_by_role("button", name="Signera för Huddinge").click()
    page.locator(".messagelist .success").wait_for()
    round_section = page.locator(f"section[aria-labelledby='start-round-{open_round.pk}']")
    assert "Signerad av coordinator-huddinge" in round_section.inner_text()
    sign_off = RoundSignOff.objects.get()
    assert (sign_off.organisation.slug, sign_off.signed_by) == ("huddinge", coordinator_huddinge)
    assert sign_off.withdrawn_at is None
    updates = FollowUpUpdate.objects.filter(action__plan=open_round.plan).order_by("pk")
    assert [(u.action.number, u.no_change, u.author) for u in updates] == [
        ("2026:01", False, coordinator_huddinge),
        ("2026:04", True, coordinator_huddinge),
    ]


def test_the_start_pages_have_no_wcag_21_aa_violations(
    browser, live_url, sign_in, open_round, coordinator_huddinge, editor, steering_member
):
    """Each role's start page, on a phone and a desktop, with something in every part."""
    from axe_playwright_python.sync_playwright import Axe
    from django.utils import timezone

    from actionplan.models import FollowUpRound
    from actionplan.rounds import take_snapshot
    from indicators.models import SubTarget

    SubTarget.objects.filter(slug="nya-bostader").update(
        measuring_organisation=coordinator_huddinge.membership.organisation,
        next_value_due=datetime.date.today(),
    )
    closed = FollowUpRound.objects.create(
        plan=open_round.plan,
        title="Uppföljning tertial 1 2026",
        reports_on=datetime.date.today(),
        deadline=datetime.date.today(),
        status=FollowUpRound.Status.CLOSED,
        opened_at=timezone.now() - datetime.timedelta(days=30),
        closed_at=timezone.now() - datetime.timedelta(days=20),
    )
    take_snapshot(closed)
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    failures = []
    for user in (coordinator_huddinge, editor, steering_member):
        context = browser.new_context(locale="sv-SE")
        page = context.new_page()
        sign_in(page, user)
        page.wait_for_url("**/admin/")
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_url(reverse("admin:index")))
            assert page.locator(".start-page").count() == 1
            violations = axe.run(page, options=options).response["violations"]
            failures += [
                f"{user} {width} px {v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
                for v in violations
            ]
        context.close()
    assert failures == [], "\n".join(failures)
