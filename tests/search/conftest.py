"""A small published programme with Swedish and English text, drafts beside it."""

import datetime

import pytest

from actionplan.models import Action, ActionPartner, ActionPlan
from indicators.models import SubTarget
from programme.models import (
    Chapter,
    ChapterSection,
    DevelopmentGoal,
    Programme,
    Strategy,
    SubStrategy,
)
from tests.decisions import coordination_decision


@pytest.fixture
def searchable(db, parties):
    programme = Programme.objects.create(
        slug="flemingsberg-2050",
        title="Flemingsberg 2050",
        status=Programme.Status.ADOPTED,
        version_date=datetime.date(2017, 5, 15),
        is_published=True,
    )
    housing = DevelopmentGoal.objects.create(
        programme=programme,
        order=1,
        slug="stad",
        title_sv="En levande stad",
        title_en="A living city",
        description_sv="Flemingsberg får fler bostäder och arbetsplatser nära stationen.",
        description_en="Flemingsberg gets more homes and workplaces near the station.",
        is_published=True,
    )
    DevelopmentGoal.objects.create(
        programme=programme,
        order=9,
        slug="utkast",
        title_sv="Hemligt utkast om bostäder",
        title_en="Secret draft about homes",
        description_sv="Zebrakorsning",
        description_en="Zebra crossing",
        is_published=False,
    )
    sub_target = SubTarget.objects.create(
        goal=housing,
        order=1,
        slug="bostader-2030",
        statement_sv="Antalet bostäder i Flemingsberg har fördubblats till 2030.",
        statement_en="The number of homes in Flemingsberg has doubled by 2030.",
        is_published=True,
    )
    strategy = Strategy.objects.create(
        programme=programme,
        order=1,
        slug="urban",
        title_sv="Urban och grönskande",
        title_en="Urban and green",
        introduction_sv="Parker och stråk knyter ihop stadsdelarna.",
        introduction_en="Parks and paths tie the districts together.",
        is_published=True,
    )
    SubStrategy.objects.create(
        strategy=strategy,
        order=1,
        slug="stationen",
        title_sv="Den nya stationen",
        title_en="The new station",
        text_sv="Pendeltågsstationen blir en knutpunkt för regionen.",
        text_en="The commuter train station becomes a hub for the region.",
        is_published=True,
    )
    chapter = Chapter.objects.create(
        programme=programme,
        number=1,
        slug="bakgrund",
        title_sv="Bakgrund",
        title_en="Background",
        introduction_sv="Flemingsberg är en regional stadskärna.",
        introduction_en="Flemingsberg is a regional city core.",
        is_published=True,
    )
    ChapterSection.objects.create(
        chapter=chapter,
        order=1,
        slug="kunskap",
        title_sv="Kunskapsstaden",
        title_en="The city of knowledge",
        body_sv="Karolinska institutet och Södertörns högskola forskar här.",
        body_en="Karolinska Institutet and Södertörn University do research here.",
        is_published=True,
    )
    adopted = ActionPlan.objects.create(
        programme=programme,
        year=2026,
        title="Handlingsplan 2026",
        status=ActionPlan.Status.ADOPTED,
        decision=coordination_decision(datetime.date(2026, 2, 1)),
    )
    draft = ActionPlan.objects.create(
        programme=programme, year=2027, title="Handlingsplan 2027 (utkast)"
    )
    huddinge_action = Action.objects.create(
        plan=adopted,
        number="2026:01",
        title_sv="Planera fler bostäder vid stationen",
        title_en="Plan more homes at the station",
        description_sv="Detaljplaner för bostäder i centrala Flemingsberg.",
        description_en="Local plans for homes in central Flemingsberg.",
        lead_organisation=parties["huddinge"],
    )
    huddinge_action.goals.add(housing)
    botkyrka_action = Action.objects.create(
        plan=adopted,
        number="2026:02",
        title_sv="Cykelstråk till Riksten",
        title_en="Cycle path to Riksten",
        description_sv="Ett tryggt cykelstråk med belysning och bostäder längs vägen.",
        description_en="A safe lit cycle path with homes along the way.",
        lead_organisation=parties["botkyrka"],
    )
    ActionPartner.objects.create(action=botkyrka_action, organisation=parties["region-stockholm"])
    Action.objects.create(
        plan=draft,
        number="2027:01",
        title_sv="Hemlig åtgärd om bostäder",
        title_en="Secret action about homes",
        description_sv="Zebrakorsning vid stationen.",
        description_en="Zebra crossing at the station.",
        lead_organisation=parties["huddinge"],
    )
    return {
        "programme": programme,
        "goal": housing,
        "sub_target": sub_target,
        "strategy": strategy,
        "adopted_plan": adopted,
        "draft_plan": draft,
        "huddinge_action": huddinge_action,
        "botkyrka_action": botkyrka_action,
    }
