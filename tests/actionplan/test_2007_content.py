"""The 2007 content, honestly (issue 15, item 6): the memo of 2007-07-06 reports that a
*proposal* for a Handlingsprogram was drawn up and that the steering group approved the
*programme* on 27 June 2007 and recommended 2.5 MSEK for 2008; it does not record the
Handlingsprogram's adoption, nor the councils' decisions it proposes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from actionplan.models import Action, ActionPlan, FundingContribution
from programme.models import Decision, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2007(programme_content):
    return ActionPlan.objects.select_related("decision").get(
        programme__slug="utvecklingsprogram-2007", year=2007
    )


def _page(visitor, language: str, year: int = 2007) -> str:
    """The plan page's main content (the footer names the parties as they are today)."""
    with translation.override(language):
        url = reverse("actionplan:year", kwargs={"year": year})
    html = visitor.get(url).content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_2007_plan_rests_on_the_steering_groups_decision_on_the_programme(plan_2007):
    decision = plan_2007.decision
    assert decision.body == Decision.Body.STEERING_GROUP
    assert decision.kind == Decision.Kind.DECISION
    assert decision.date == datetime.date(2007, 6, 27)
    assert decision.programme.slug == "utvecklingsprogram-2007"
    assert plan_2007.decision_is_on_programme
    assert "godkände den Politiska Styrgruppen förslaget" in decision.text_sv
    # No paragraph or reference number: the memo gives none, none is invented.
    assert (decision.minutes_paragraph, decision.reference_number) == ("", "")
    assert plan_2007.status_as_of == datetime.date(2007, 7, 6)


def test_the_councils_decisions_are_recorded_as_the_proposal_the_memo_makes(programme_content):
    programme = programme_content.replaces
    proposals = Decision.objects.filter(programme=programme, body=Decision.Body.PARTY)
    assert {(d.organisation.slug, d.body_name_sv, d.kind) for d in proposals} == {
        ("region-stockholm", "Landstingsfullmäktige", "proposal"),
        ("huddinge", "Kommunfullmäktige", "proposal"),
        ("botkyrka", "Kommunfullmäktige", "proposal"),
    }
    for proposal in proposals:
        assert proposal.date == datetime.date(2007, 7, 6)
        assert "att anslå 2,5 MKr för 2008" in proposal.text_sv
        assert "källorna redovisar inte fullmäktiges beslut" in proposal.text_sv
    # Nothing the sources do not state: no council decision, no coordination-group decision.
    assert not Decision.objects.filter(
        programme=programme, body=Decision.Body.PARTY, kind=Decision.Kind.DECISION
    ).exists()
    assert not Decision.objects.of_coordination_group().exists()


def test_the_2007_funding_is_the_steering_groups_recommendation(plan_2007):
    kinds = set(plan_2007.funding.values_list("kind", flat=True))
    assert kinds == {FundingContribution.Kind.RECOMMENDED}
    assert sum(plan_2007.funding.values_list("amount_sek", flat=True)) == 2_500_000


def test_the_2007_plan_page_in_swedish(plan_2007, visitor):
    html = _page(visitor, "sv")
    assert (
        "<strong>Beslut om utvecklingsprogrammet:</strong> Politiska styrgruppen 27 juni 2007"
    ) in html
    assert "Källorna redovisar inte att själva handlingsplanen antogs" in html
    assert "Åtgärdernas status avser läget per juli 2007." in html
    assert "(rekommendation)" in html
    assert "Beloppen är en rekommendation" in html
    assert "Stockholms läns landsting" in html
    assert "Region Stockholm" not in html
    assert "Ingen handlingsplan under Flemingsberg 2050 har antagits ännu." in html


def test_the_2007_plan_page_in_english(plan_2007, visitor):
    html = _page(visitor, "en")
    assert (
        "Decision on the development programme:</strong> Political steering group 27 June 2007"
        in (html)
    )
    assert "statuses are as of July 2007." in html
    assert "(recommendation)" in html
    assert "Stockholm County Council" in html
    assert "No action plan under Flemingsberg 2050 has been adopted yet." in html


def test_the_action_plan_index_says_no_plan_under_flemingsberg_2050_is_adopted(plan_2007, visitor):
    html = visitor.get(reverse("actionplan:index")).content.decode()
    assert "Ingen handlingsplan under Flemingsberg 2050 har antagits ännu." in html


def test_a_2026_plan_under_flemingsberg_2050_names_region_stockholm(programme_content, visitor):
    from tests.decisions import coordination_decision

    plan = ActionPlan.objects.create(
        programme=programme_content,
        year=2026,
        title_sv="Handlingsplan 2026",
        status=ActionPlan.Status.ADOPTED,
        decision=coordination_decision(datetime.date(2025, 12, 10), paragraph="§ 14"),
    )
    Action.objects.create(
        plan=plan,
        number="2026:01",
        title_sv="Cykelstråk",
        lead_organisation=Organisation.objects.get(slug="region-stockholm"),
    )
    html = _page(visitor, "sv", 2026)
    assert "Region Stockholm" in html and "Stockholms läns landsting" not in html
    assert "Politiska samordningsgruppen 10 december 2025, § 14" in html
    assert "har antagits ännu" not in html
    # The 2007 plan's page no longer says none is adopted.
    assert "har antagits ännu" not in _page(visitor, "sv", 2007)


def test_organisations_keep_their_earlier_name_with_its_date(parties):
    region = Organisation.objects.get(slug="region-stockholm")
    assert region.name_on(datetime.date(2007, 7, 6)) == "Stockholms läns landsting"
    assert region.name_on(datetime.date(2018, 12, 31)) == "Stockholms läns landsting"
    assert region.name_on(datetime.date(2019, 1, 1)) == "Region Stockholm"
    assert region.name_on(None) == "Region Stockholm"
    with translation.override("en"):
        assert region.name_on(datetime.date(2007, 7, 6)) == "Stockholm County Council"
    huddinge = parties["huddinge"]
    assert huddinge.name_on(datetime.date(2007, 7, 6)) == "Huddinge kommun"


def test_the_programme_history_lists_the_decision_and_the_proposals(programme_content, visitor):
    html = visitor.get(reverse("programme:history")).content.decode()
    assert "<dt>Beslut</dt><dd>Politiska styrgruppen 27 juni 2007" in html
    for body in (
        "Landstingsfullmäktige, Stockholms läns landsting",
        "Kommunfullmäktige, Huddinge kommun",
        "Kommunfullmäktige, Botkyrka kommun",
    ):
        assert f"<dt>Förslag till beslut</dt><dd>{body} 6 juli 2007" in html


def test_the_api_gives_the_2007_programmes_decision_and_proposals(programme_content, visitor):
    data = visitor.get("/api/v1/programmes/utvecklingsprogram-2007/?lang=en").json()
    decisions = [(d["body"], d["kind"], d["date"], d["organisation"]) for d in data["decisions"]]
    assert decisions == [
        ("steering_group", "decision", "2007-06-27", None),
        ("party", "proposal", "2007-07-06", "region-stockholm"),
        ("party", "proposal", "2007-07-06", "huddinge"),
        ("party", "proposal", "2007-07-06", "botkyrka"),
    ]
    assert data["decisions"][1]["body_label"] == "County council assembly, Stockholm County Council"
