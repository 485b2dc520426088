"""Content and helpers for the PDF tests.

WeasyPrint takes about a second per document, so each document is rendered once per
language in a module-scoped fixture (inside a transaction that is rolled back) and the
tests of a module read the same bytes.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader

from indicators.models import SubTarget
from programme.models import (
    Chapter,
    ChapterSection,
    DevelopmentGoal,
    Organisation,
    Programme,
    RegionalCityCore,
    Strategy,
    SubStrategy,
    Vision,
)
from tests.decisions import coordination_decision

LANGUAGES = ("sv", "en")

GOALS = [
    ("En urban och variationsrik stadskärna", "An urban and varied city core"),
    ("En attraktiv etableringsort för näringsliv", "An attractive location for business"),
    ("Ett levande och mångvetenskapligt campus", "A lively multidisciplinary campus"),
    ("En tillgänglig och hållbar nod för resande", "An accessible, sustainable travel hub"),
    ("En inkluderande plats för människor i rörelse", "An inclusive place for people"),
]
STRATEGIES = [
    ("Urban och grönskande", "Urban and green"),
    ("En tillgänglig och inkluderande stad", "An accessible and inclusive city"),
    ("En innovativ och mångvetenskaplig stad", "An innovative multidisciplinary city"),
]
CORES = [
    "Arlanda-Märsta",
    "Barkarby-Jakobsberg",
    "Flemingsberg",
    "Haninge centrum",
    "Kista-Sollentuna-Häggvik",
    "Skavsta",
    "Södertälje",
    "Täby centrum-Arninge",
]


def build_rich_programme() -> Programme:
    """A published programme with every part the PDF shows, in Swedish and English."""
    # modeltranslation writes ``title=`` to the active language's column: make it Swedish.
    with translation.override("sv"):
        return _build_rich_programme()


def _build_rich_programme() -> Programme:
    parties = [
        Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_sv": name, "is_party": True, "order": i}
        )[0]
        for i, (slug, name) in enumerate(
            [
                ("region-stockholm", "Region Stockholm"),
                ("huddinge", "Huddinge kommun"),
                ("botkyrka", "Botkyrka kommun"),
            ]
        )
    ]
    programme = Programme.objects.create(
        slug="pdf-test-programme",
        title="Flemingsberg 2050",
        title_en="Flemingsberg 2050",
        subtitle="Där kunskap och kreativitet möts i södra Stockholm",
        subtitle_en="Where knowledge and creativity meet in southern Stockholm",
        description="Förordet: programmet ersätter 2007 års program.",
        description_en="Preface: the programme replaces the programme of 2007.",
        status=Programme.Status.ADOPTED,
        version_date=datetime.date(2017, 5, 15),
        adopted_on=datetime.date(2018, 2, 1),
        is_published=True,
    )
    programme.owners.set(parties)
    Vision.objects.create(
        programme=programme,
        heading="Flemingsberg – där kunskap och kreativitet möts",
        heading_en="Flemingsberg – where knowledge and creativity meet",
        text="År 2050 är Flemingsberg ett av Sveriges mest betydelsefulla centrum.",
        text_en="In 2050 Flemingsberg is one of Sweden's most important centres.",
        is_published=True,
    )
    goals = []
    for number, (sv, en) in enumerate(GOALS, start=1):
        goal = DevelopmentGoal.objects.create(
            programme=programme,
            order=number,
            slug=f"mal-{number}",
            title=sv,
            title_en=en,
            description=f"Beskrivning av mål {number}.",
            description_en=f"Description of goal {number}.",
            is_published=True,
        )
        SubTarget.objects.create(
            goal=goal,
            order=1,
            slug=f"pdf-delmal-{number}",
            statement=f"Delmål {number}: minst {number * 1000} nya arbetstillfällen",
            statement_en=f"Sub-target {number}: at least {number * 1000} new jobs",
            is_published=True,
        )
        goals.append(goal)
    DevelopmentGoal.objects.create(
        programme=programme, order=9, slug="utkast", title="Opublicerat mål", is_published=False
    )
    for number, (sv, en) in enumerate(STRATEGIES, start=1):
        strategy = Strategy.objects.create(
            programme=programme,
            order=number,
            slug=f"strategi-{number}",
            title=sv,
            title_en=en,
            introduction="Inledning till strategin.",
            introduction_en="Introduction to the strategy.",
            is_published=True,
        )
        strategy.goals.set(goals[:2])
        for sub in range(1, 3):
            SubStrategy.objects.create(
                strategy=strategy,
                order=sub,
                slug=f"del-{sub}",
                title=f"Delstrategi {number}.{sub} – öppna stråk",
                title_en=f"Sub-strategy {number}.{sub} – open links",
                text="Text om gröna stråk och mötesplatser.",
                text_en="Text about green links and meeting places.",
                is_published=True,
            )
    for number, sv, en in [
        (1, "Den regionala stadskärnan", "The regional city core"),
        (2, "Utgångspunkt för fortsatt utveckling", "Starting point for further development"),
        (5, "Uppföljning och genomförande", "Follow-up and implementation"),
    ]:
        chapter = Chapter.objects.create(
            programme=programme,
            number=number,
            slug=f"kapitel-{number}",
            title=sv,
            title_en=en,
            introduction=f"Inledning till kapitel {number}.",
            introduction_en=f"Introduction to chapter {number}.",
            is_published=True,
        )
        for order, kind in enumerate(["text", "trend", "challenge"]):
            ChapterSection.objects.create(
                chapter=chapter,
                order=order,
                kind=kind,
                slug=f"avsnitt-{order}",
                title=f"Avsnitt {number}.{order} om tillväxt",
                title_en=f"Section {number}.{order} on growth",
                body="Första stycket.\n\nAndra stycket.",
                body_en="First paragraph.\n\nSecond paragraph.",
                is_published=True,
            )
    for number, name in enumerate(CORES, start=1):
        RegionalCityCore.objects.create(
            programme=programme, number=number, name=name, is_published=True
        )
    return programme


@pytest.fixture(scope="module")
def rolled_back(django_db_setup, django_db_blocker):
    """Run a builder against the test database and roll everything back afterwards."""

    def run(build):
        with django_db_blocker.unblock(), transaction.atomic():
            result = build()
            transaction.set_rollback(True)
        return result

    return run


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, pages joined, whitespace normalised."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def outline_titles(pdf: bytes) -> list[str]:
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(pdf_reader(pdf).outline)
    return titles


def build_plan(
    programme: Programme,
    *,
    actions: int = 12,
    status: str = "draft",
    year: int = 2026,
    measurements: int = 4,
):
    """A plan of ``programme`` with actions on every goal, partners, follow-ups, a
    communication plan, funding, and measured sub-targets (bulk-created, fast)."""
    with translation.override("sv"):
        return _build_plan(programme, actions, status, year, measurements)


def _build_plan(programme, actions, status, year, measurements):
    from actionplan.models import (
        Action,
        ActionPartner,
        ActionPlan,
        CommunicationActivity,
        FollowUpUpdate,
        FundingContribution,
    )
    from indicators.models import Measurement

    parties = list(Organisation.objects.filter(is_party=True).order_by("order"))
    goals = list(programme.goals.filter(is_published=True).order_by("order"))
    frozen = status in ("adopted", "superseded")
    plan = ActionPlan.objects.create(
        programme=programme,
        year=year,
        title=f"Handlingsplan {year} för Flemingsberg",
        title_en=f"Action plan {year} for Flemingsberg",
        status=status,
        decision=coordination_decision(datetime.date(year - 1, 12, 10), paragraph="§ 7")
        if frozen
        else None,
    )
    statuses = ["planned", "ongoing", "ongoing", "postponed", "cancelled"]
    created = Action.objects.bulk_create(
        Action(
            plan=plan,
            number=f"{year}:{number:03d}",
            title=f"Åtgärd {number}: gång- och cykelstråk över spåren",
            title_en=f"Action {number}: walking and cycling link across the tracks",
            description="Beskrivning av åtgärden.",
            description_en="Description of the action.",
            lead_organisation=parties[number % len(parties)],
            status=statuses[number % len(statuses)],
            progress=(number * 7) % 100,
            start_year=year,
            end_year=year + 1,
            budget_sek=100_000 * number,
        )
        for number in range(1, actions + 1)
    )
    through = Action.goals.through
    through.objects.bulk_create(
        through(action=action, developmentgoal=goals[index % len(goals)])
        for index, action in enumerate(created)
    )
    ActionPartner.objects.bulk_create(
        ActionPartner(action=action, organisation=parties[(index + 1) % len(parties)])
        for index, action in enumerate(created)
    )
    FollowUpUpdate.objects.bulk_create(
        FollowUpUpdate(
            action=action,
            date=datetime.date(year, month, 1),
            status=action.status,
            progress=action.progress,
            text=f"Uppföljning {month}: arbetet går framåt för åtgärd {action.number}.",
            text_en=f"Follow-up {month}: work on action {action.number} moves on.",
        )
        for action in created
        for month in (3, 9)
    )
    for order, party in enumerate(parties):
        CommunicationActivity.objects.create(
            plan=plan,
            order=order,
            title=f"Dialogmöte om stråken {order + 1}",
            title_en=f"Dialogue meeting on the links {order + 1}",
            target_audience="Boende",
            target_audience_en="Residents",
            responsible_organisation=party,
            status="ongoing" if order else "completed",
        )
        for offset in range(3):
            FundingContribution.objects.create(
                plan=plan, organisation=party, year=year + offset, amount_sek=1_000_000 + order
            )
    sub_targets = list(SubTarget.objects.filter(goal__programme=programme))
    for sub_target in sub_targets:
        sub_target.indicator_unit = "arbetstillfällen"
        sub_target.baseline_value = 1000
        sub_target.baseline_year = 2017
        sub_target.target_value = 5000
        sub_target.save()
    Measurement.objects.bulk_create(
        Measurement(
            sub_target=sub_target,
            period_year=2017 + offset,
            value=1000 + 250 * offset,
            is_published=True,
        )
        for sub_target in sub_targets
        for offset in range(measurements)
    )
    return plan
