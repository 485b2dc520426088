"""axe-core (WCAG 2.1 A and AA rules) on every public page type, in Swedish and English."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Page type -> how to find its URL in the loaded programme content (in the active language).
PAGE_TYPES = {
    "home": lambda programme: reverse("programme:home"),
    "goal": lambda programme: programme.goals.order_by("order").first().get_absolute_url(),
    "strategy": lambda programme: programme.strategies.order_by("order").first().get_absolute_url(),
    "about": lambda programme: reverse("programme:about"),
    "history": lambda programme: reverse("programme:history"),
    "indicators": lambda programme: reverse("indicators:overview"),
    "sub-target": lambda programme: _first_sub_target(programme).get_absolute_url(),
    "action-plan": lambda programme: reverse("actionplan:index"),
    "action": lambda programme: _first_action().get_absolute_url(),
    "coverage": lambda programme: reverse("actionplan:coverage", kwargs={"year": 2007}),
    "communication-plan": lambda programme: reverse(
        "actionplan:communication", kwargs={"year": 2007}
    ),
    "accessibility-statement": lambda programme: reverse("accessibility"),
    "search": lambda programme: reverse("search:search") + "?q=stad",
    "not-found": lambda programme: reverse("programme:home") + "finns-inte/",
}


def _first_action():
    from actionplan.models import Action

    return Action.objects.order_by("plan__year", "pk").first()


def _first_sub_target(programme):
    from indicators.models import SubTarget

    return SubTarget.objects.filter(goal__programme=programme).order_by("goal__order", "order")[0]


@pytest.fixture(scope="session")
def axe() -> Axe:
    # The package ships axe.min.js: nothing is fetched.
    return Axe()


def _report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_wcag_21_aa_violations(page, live_url, programme_content, axe, language):
    # One test per language, every page type in it: the content loads once, not 11 times.
    failures = []
    for page_type, find_path in PAGE_TYPES.items():
        with translation.override(language):
            path = find_path(programme_content)
        response = page.goto(live_url(path))
        assert response.status == (404 if page_type == "not-found" else 200), path
        assert page.locator("html").get_attribute("lang") == language, path
        violations = axe.run(page, options=WCAG_21_AA).response["violations"]
        if violations:
            failures.append(f"{page_type} {path}\n{_report(violations)}")
    assert failures == [], "\n\n".join(failures)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_wcag_21_aa_violations_with_demo_data_on_a_phone_and_a_desktop(
    page, live_url, programme_content, axe, language
):
    """The pages that show status, with a plan in force, values and an assessment: the
    status band and its bar, the coverage tables and cards, the action cards, charts."""
    import datetime

    from django.core.management import call_command

    from indicators.models import Assessment, SubTarget
    from programme.models import Organisation

    call_command("generate_demo_plan", "--actions", "40", "--year", "2026", verbosity=0)
    call_command("generate_demo_measurements", verbosity=0)
    sub_target = SubTarget.objects.get(slug="nya-bostader")
    Assessment.objects.create(
        sub_target=sub_target,
        assessed_on=datetime.date(2026, 3, 1),
        verdict="close",
        trend="positive",
        what_is_done_sv="Detaljplaner antas.",
        what_is_needed_sv="Snabbare bygglov.",
        author_organisation=Organisation.objects.get(slug="huddinge"),
        is_published=True,
    )
    # A closed follow-up round of the demo plan: its page, and its block in the status band.
    from django.utils import timezone

    from actionplan.models import ActionPlan, FollowUpRound
    from actionplan.rounds import take_snapshot

    round = FollowUpRound.objects.create(
        plan=ActionPlan.objects.get(year=2026, is_demo=True),
        title="Uppföljning tertial 1 2026",
        title_en="Follow-up, first four months 2026",
        reports_on=datetime.date(2026, 4, 30),
        deadline=datetime.date(2026, 5, 15),
        status=FollowUpRound.Status.CLOSED,
        closed_at=timezone.now(),
    )
    take_snapshot(round)
    from django.core.cache import cache

    cache.clear()
    with translation.override(language):
        paths = [
            reverse("programme:home"),
            round.get_absolute_url(),
            programme_content.goals.get(order=4).get_absolute_url(),
            reverse("actionplan:year", kwargs={"year": 2026}),
            reverse("actionplan:coverage", kwargs={"year": 2026}),
            reverse("indicators:overview"),
            sub_target.get_absolute_url(),
        ]
    failures = []
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            assert page.goto(live_url(path)).status == 200, path
            violations = axe.run(page, options=WCAG_21_AA).response["violations"]
            if violations:
                failures.append(f"{width} px {path}\n{_report(violations)}")
    assert failures == [], "\n\n".join(failures)


def test_axe_runs_offline_and_finds_a_planted_violation(page, live_url, axe):
    # Guards the test above against passing vacuously (no rules run, script not loaded).
    page.goto(live_url("/finns-inte/"))
    page.evaluate(
        """() => {
            const link = document.createElement('a');
            link.href = '/';
            link.appendChild(document.createElement('img'));
            document.querySelector('main').appendChild(link);
        }"""
    )
    results = axe.run(page, options=WCAG_21_AA).response
    assert results["testEngine"]["name"] == "axe-core"
    assert {"image-alt", "link-name"} <= {violation["id"] for violation in results["violations"]}
