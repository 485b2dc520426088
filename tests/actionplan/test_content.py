import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from actionplan.models import Action, ActionPartner, ActionPlan

pytestmark = pytest.mark.django_db


def test_2007_action_plan_fixture_carries_the_memo(programme_content, visitor):
    plan = ActionPlan.objects.get(programme__slug="utvecklingsprogram-2007", year=2007)
    assert not plan.is_demo
    titles = " ".join(Action.objects.in_plan(plan).values_list("title_sv", flat=True))
    for words in [
        "Fokus Flemingsberg",
        "nyhetsbrev",
        "grafisk profil",
        "www.flemingsberg.se",
        "fördjupad översiktsplan",
        "Mål 2",
    ]:
        assert words in titles
    funding = {(f.organisation.slug, f.year): f.amount_sek for f in plan.funding.all()}
    assert funding == {
        ("region-stockholm", 2008): 1_000_000,
        ("huddinge", 2008): 1_000_000,
        ("botkyrka", 2008): 500_000,
    }
    assert sum(funding.values()) == 2_500_000
    op = Action.objects.get(plan=plan, title_sv__contains="översiktsplan")
    assert {p.organisation.slug for p in op.partners.all()} == {"huddinge", "botkyrka"}
    # Nothing the memo does not give: no numbers, progress or timeframes invented.
    assert not Action.objects.in_plan(plan).exclude(number="").exists()
    assert not Action.objects.in_plan(plan).filter(progress__isnull=False).exists()
    assert plan.communication_activities.count() == 4
    html = visitor.get("/handlingsplan/2007/").content.decode()
    # Amounts through the one formatter: grouped with no-break spaces, "kr" after them.
    assert "Fokus Flemingsberg" in html and "1\xa0000\xa0000\xa0kr" in html
    assert "1000000" not in html


def test_generate_demo_plan_is_marked_and_loaded_only_when_asked(programme_content):
    assert not ActionPlan.objects.filter(is_demo=True).exists()
    call_command("generate_demo_plan", "--actions", "40", "--year", "2031", verbosity=0)
    plan = ActionPlan.objects.get(is_demo=True)
    assert plan.actions.count() == 40
    assert all(t.startswith("[DEMO]") for t in plan.actions.values_list("title_sv", flat=True))
    assert plan.title_sv.startswith("[DEMO]")
    # Marked once, not twice, where the flag and the title both say it.
    assert plan.display_title.count("[DEMO]") == 1
    assert str(plan).count("[DEMO]") == 1
    html = Client().get(plan.get_absolute_url()).content.decode()
    assert "[DEMO] [DEMO]" not in html
    # A co-responsible party is never the lead party itself.
    assert not ActionPartner.objects.filter(
        action__plan=plan, organisation=F("action__lead_organisation")
    ).exists()
