"""The content fixture carries the programme's own words.

``fixtures/programme.json`` holds Flemingsberg 2050 (consultation version of 15 May 2017)
verbatim in Swedish, with an English translation, and the 2007 programme it replaces. These
tests parse the source document itself (the seed) rather than repeating its sentences here,
so a change to either side shows up.
"""

import json
import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from modeltranslation.translator import translator

from indicators.models import SubTarget
from programme.models import (
    Chapter,
    ChapterSection,
    DevelopmentGoal,
    MainTask,
    Organisation,
    Programme,
    RegionalCityCore,
    Strategy,
    SubStrategy,
    Vision,
)

pytestmark = pytest.mark.django_db

SEED_NAME = "002_22af08feab162fe4.txt"
MEMO_NAME = "000_0c13cd18091f4e51.txt"


def _source_corrections() -> dict[str, str]:
    """The only changes the fixture makes to the seed's wording: obvious typos of the source.

    Read from the content itself (``programme.sourcecorrection`` rows of the fixture, which
    the history page lists publicly), longest first so that "stads kärnans" is replaced
    before "stads kärna".
    """
    path = Path(settings.BASE_DIR) / "fixtures" / "programme.json"
    rows = [
        row["fields"]
        for row in json.loads(path.read_text(encoding="utf-8"))
        if row["model"] == "programme.sourcecorrection"
    ]
    rows.sort(key=lambda fields: -len(fields["original"]))
    return {fields["original"]: fields["corrected"] for fields in rows}


TYPO_FIXES = _source_corrections()
SUB_TARGET_PREFIX = "Mätbart delmål 2030:"

HEADING = re.compile(r"^(#+)\s+(.*?)\s*$")
LIST_ITEM = re.compile(r"^(?:-|\d+\.)\s+(.+)$")
TRIPLE = re.compile(r"^\*\*\*(.+?)\*\*\*$")  # ***heading***: sub-headings
BOLD = re.compile(r"^\*\*(?!\*)(.+?)\*\*$")  # **heading**: main strategies
ITALIC_LINE = re.compile(r"^\*(?!\*)(.+?)\*$")


def fix(text: str) -> str:
    for wrong, right in TYPO_FIXES.items():
        text = text.replace(wrong, right)
    return text


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def strip_markup(text: str) -> str:
    return text.strip().strip("*").strip()


# --- parsing the seed -----------------------------------------------------------------------


@cache
def seed_text(name: str = SEED_NAME) -> str:
    # In the repository (sources/), so a plain clone runs the test with nothing beside it.
    path = Path(settings.BASE_DIR) / "sources" / name
    assert path.exists(), f"seed document missing: {path}"
    return path.read_text(encoding="utf-8")


@cache
def seed_lines() -> tuple[str, ...]:
    return tuple(seed_text().splitlines())


def chapter_lines(number: int) -> list[str]:
    """The lines of chapter `number` (from its `## N.` heading to the next chapter)."""
    lines = seed_lines()
    start_pattern = re.compile(rf"^##\s+\**{number}\.\s")
    next_pattern = re.compile(r"^##\s+\**\d\.\s")
    start = next(i for i, line in enumerate(lines) if start_pattern.match(line))
    end = next(
        (i for i in range(start + 1, len(lines)) if next_pattern.match(lines[i])), len(lines)
    )
    return list(lines[start + 1 : end])


def blocks(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, text) per heading, list item or paragraph; kind is the heading markup or 'p'.

    A list item is a block of its own, without its marker.
    """
    result, paragraph = [], []

    def flush():
        if paragraph:
            result.append(("p", norm(" ".join(paragraph))))
            paragraph.clear()

    for line in lines:
        heading = HEADING.match(line)
        if heading:
            flush()
            result.append((heading.group(1), heading.group(2)))
        elif LIST_ITEM.match(line.strip()):
            flush()
            result.append(("p", LIST_ITEM.match(line.strip()).group(1).strip()))
        elif line.strip():
            paragraph.append(line.strip())
        else:
            flush()
    flush()
    return result


def headed(lines: list[str], pattern: re.Pattern) -> list[tuple[str, list[str]]]:
    """(heading, its paragraphs) for the headings matching `pattern`."""
    found, current = [], None
    for kind, text in blocks(lines):
        if kind != "p":
            match = pattern.match(text)
            current = [match.group(1).strip(), []] if match else None
            if current:
                found.append(current)
        elif current is not None:
            current[1].append(text)
    return [(title, paragraphs) for title, paragraphs in found]


def seed_goal_titles() -> list[str]:
    lines = chapter_lines(3)
    start = next(i for i, line in enumerate(lines) if "Övergripande utvecklingsmål" in line)
    titles = []
    for line in lines[start + 1 :]:
        if line.startswith("- "):
            titles.append(line[2:].strip())
        elif titles and line.strip():
            break
    return titles


def seed_goal_paragraphs() -> list[tuple[str, str]]:
    """(heading, paragraph) of each goal; the italic sub-target lines are not part of it."""
    lines = chapter_lines(3)
    start = next(i for i, line in enumerate(lines) if "Övergripande utvecklingsmål" in line)
    return [(title, paragraphs[0]) for title, paragraphs in headed(lines[start + 1 :], TRIPLE)]


def seed_sub_targets() -> list[str]:
    """Every sentence of the italic 'Mätbart delmål 2030' lines (and their continuations)."""
    lines = chapter_lines(3)
    start = next(i for i, line in enumerate(lines) if line.strip().endswith("Utvecklingsmål"))
    sentences = []
    for line in lines[start + 1 :]:
        match = ITALIC_LINE.match(line.strip())
        if not match:
            continue
        text = match.group(1).strip()
        if text.startswith(SUB_TARGET_PREFIX):
            text = text[len(SUB_TARGET_PREFIX) :].strip()
        sentences += [s.strip() for s in re.split(r"(?<=\.)\s+", text) if s.strip()]
    return sentences


def seed_strategies() -> list[tuple[str, str]]:
    return [(title, "\n\n".join(paras)) for title, paras in headed(chapter_lines(4), BOLD)]


def seed_sub_strategies() -> list[tuple[str, str]]:
    return [(title, "\n\n".join(paras)) for title, paras in headed(chapter_lines(4), TRIPLE)]


def seed_trends_and_challenges() -> tuple[list[str], list[str]]:
    lines = chapter_lines(2)
    split = next(i for i, line in enumerate(lines) if "Utmaningar att hantera" in line)
    trends = [title for title, _ in headed(lines[:split], TRIPLE)]
    challenges = [title for title, _ in headed(lines[split:], TRIPLE)]
    return trends, challenges


def seed_regional_cores() -> list[str]:
    return [
        m.group(1).strip() for line in chapter_lines(1) if (m := re.match(r"^\d+\.\s+(.+)$", line))
    ]


def seed_body_sentences() -> list[str]:
    """Every sentence of the preface and of chapters 1 to 5 outside headings.

    Chapter 4's opening paragraphs live in Programme.strategy_introduction.
    """
    lines = seed_lines()
    preface_start = next(i for i, line in enumerate(lines) if line.startswith("## FÖRORD"))
    toc_start = next(i for i, line in enumerate(lines) if line.startswith("## INNEHÅLL"))
    parts = list(lines[preface_start + 1 : toc_start])
    for number in (1, 2, 3, 5):
        parts += chapter_lines(number)
    parts += chapter_lines(4)
    sentences = []
    for kind, text in blocks(parts):
        if kind != "p":
            continue
        text = strip_markup(text)
        text = text.replace(SUB_TARGET_PREFIX, "")
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", fix(text)) if s.strip()]
    return sentences


# --- the fixture ----------------------------------------------------------------------------


@pytest.fixture
def content(db):
    call_command("load_programme_content", verbosity=0)
    return Programme.objects.get(slug="flemingsberg-2050")


def swedish_corpus() -> str:
    """All Swedish text of the fixture, whitespace-normalised and case-folded."""
    pieces = []
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).fields
        for obj in model.objects.all():
            pieces += [getattr(obj, f"{field}_sv") or "" for field in fields]
    return norm(" \n ".join(pieces)).casefold()


# --- tests ----------------------------------------------------------------------------------


def test_counts(content):
    assert content.goals.count() == 5
    assert SubTarget.objects.filter(goal__programme=content).count() == 7
    assert content.strategies.count() == 3
    assert SubStrategy.objects.filter(strategy__programme=content).count() == 12
    assert content.regional_cores.count() == 8
    # The source's five chapters; 3 and 4 hold the vision, goals and strategies.
    assert list(content.chapters.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert content.replaces.main_tasks.count() == 5


def test_seed_parses_as_expected():
    assert len(seed_goal_titles()) == 5
    assert len(seed_sub_targets()) == 7
    assert len(seed_strategies()) == 3
    assert len(seed_sub_strategies()) == 12
    trends, challenges = seed_trends_and_challenges()
    assert (len(trends), len(challenges)) == (4, 4)
    assert len(seed_regional_cores()) == 8


def test_goal_titles_are_the_list_wording_in_order(content):
    titles = list(content.goals.order_by("order").values_list("title_sv", flat=True))
    assert titles == seed_goal_titles()


def test_goal_descriptions_are_the_goal_paragraphs(content):
    descriptions = {norm(goal.description_sv) for goal in content.goals.all()}
    paragraphs = seed_goal_paragraphs()
    assert len(paragraphs) == 5
    for _heading, paragraph in paragraphs:
        assert norm(paragraph) in descriptions


def test_every_sub_target_sentence_is_a_statement(content):
    statements = [
        t.statement_sv for t in SubTarget.objects.filter(goal__programme=content).order_by()
    ]
    assert sorted(statements) == sorted(seed_sub_targets())
    assert SubTarget.objects.get(statement_sv__contains="100 000").goal.order == 1


def test_sub_target_values_are_the_statements_numbers(content):
    for target in SubTarget.objects.filter(goal__programme=content):
        assert target.target_year == 2030
        if target.statement_sv.startswith("Dubblera"):
            assert (target.kind, target.target_value) == ("multiple", 2)
            continue
        numbers = _numbers(target.statement_sv)
        assert f"{target.target_value:f}".rstrip("0").rstrip(".") in numbers
        if "%" in target.statement_sv:
            assert target.kind == "share"
        elif " nya " in f" {target.statement_sv} ":
            # "Minst 15 000 nya arbetstillfällen": new things, counted from zero.
            assert target.kind == "new_count"
        else:
            assert target.kind == "absolute"


def test_strategies_and_their_introductions(content):
    strategies = {s.title_sv: s for s in content.strategies.all()}
    for title, introduction in seed_strategies():
        assert title in strategies
        assert norm(strategies[title].introduction_sv) == norm(introduction)
    for strategy in strategies.values():
        assert strategy.goals.count() == 5
        assert strategy.short_title_sv.casefold() in strategy.title_sv.casefold()


def test_every_sub_strategy_heading_and_text(content):
    subs = {s.title_sv: s for s in SubStrategy.objects.filter(strategy__programme=content)}
    for title, text in seed_sub_strategies():
        assert fix(title) in subs, title
        assert norm(subs[fix(title)].text_sv) == norm(fix(text)), title


def test_trend_and_challenge_headings(content):
    trends, challenges = seed_trends_and_challenges()
    sections = ChapterSection.objects.filter(chapter__programme=content)
    assert sorted(sections.filter(kind="trend").values_list("title_sv", flat=True)) == sorted(
        trends
    )
    assert sorted(sections.filter(kind="challenge").values_list("title_sv", flat=True)) == sorted(
        challenges
    )


def test_chapter_titles_and_section_headings_in_order(content):
    lines = seed_lines()
    for number in (1, 2, 3, 4, 5):
        chapter = content.chapters.get(number=number)
        heading = next(
            strip_markup(m.group(2))
            for line in lines
            if (m := HEADING.match(line)) and re.match(rf"\**{number}\.\s", m.group(2))
        )
        assert f"{number}. {chapter.title_sv}".casefold() == heading.casefold()
        assert not chapter.title_sv.isupper()  # sentence case, not the seed's capitals
        if chapter.holds_goals or chapter.holds_strategies:
            continue  # their headings are the vision, the goals and the strategies
        headings = [
            fix(strip_markup(text)) for kind, text in blocks(chapter_lines(number)) if kind == "###"
        ]
        titles = list(chapter.sections.order_by("order").values_list("title_sv", flat=True))
        assert titles == headings


def test_regional_cores_in_order(content):
    names = list(content.regional_cores.order_by("number").values_list("name_sv", flat=True))
    assert names == seed_regional_cores()


def test_vision(content):
    vision = Vision.objects.get(programme=content)
    lines = chapter_lines(3)
    vision_lines = [strip_markup(line) for line in lines if ITALIC_LINE.match(line.strip())]
    assert vision.heading_sv.upper() == vision_lines[0]
    assert vision.heading_sv[0].isupper() and not vision.heading_sv.isupper()
    assert vision.text_sv == vision_lines[1]


def test_every_sentence_of_the_seed_is_in_the_fixture(content):
    corpus = swedish_corpus()
    missing = [s for s in seed_body_sentences() if norm(s).casefold() not in corpus]
    assert not missing


def test_typos_of_the_source_are_not_carried_over(content):
    corpus = swedish_corpus()
    for wrong in TYPO_FIXES:
        assert wrong.casefold() not in corpus, wrong
    assert "det samlade centrumet" in corpus  # correct Swedish, kept


def test_each_listed_correction_is_a_typo_of_the_source(content):
    # Six typos in eight rows (three forms of "stads kärna"): each is in the source as it
    # is quoted, and its correction is what the content says instead.
    assert len(TYPO_FIXES) == 8
    source = seed_text()
    corpus = swedish_corpus()
    for wrong, right in TYPO_FIXES.items():
        assert wrong in source, wrong
        assert right.casefold() in corpus, right
    assert content.source_corrections.count() == len(TYPO_FIXES)


def test_every_translated_field_has_english(content):
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).fields
        for obj in model.objects.all():
            for field in fields:
                swedish = getattr(obj, f"{field}_sv")
                english = getattr(obj, f"{field}_en")
                if swedish:
                    assert english and english.strip(), (model.__name__, obj.pk, field)
                    if len(swedish) > 80:
                        assert english != swedish, (model.__name__, obj.pk, field)
                        assert swedish.count("\n\n") == english.count("\n\n"), (
                            model.__name__,
                            obj.pk,
                            field,
                        )


def _numbers(text: str) -> set[str]:
    text = re.sub(r"(?<=\d)[ \u00a0,](?=\d{3}\b)", "", text)  # thousands separators
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)  # decimal comma
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def test_english_keeps_every_number(content):
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).fields
        for obj in model.objects.all():
            for field in fields:
                swedish = getattr(obj, f"{field}_sv") or ""
                english = getattr(obj, f"{field}_en") or ""
                english_numbers = _numbers(english)
                flat = " ".join(english_numbers)  # "60" (60-talet) is in "1960" (1960s)
                missing = {n for n in _numbers(swedish) if n not in english_numbers}
                assert not {n for n in missing if n not in flat}, (model.__name__, obj.pk, field)


def test_the_three_parties(content):
    parties = Organisation.objects.filter(is_party=True)
    assert set(parties.values_list("slug", flat=True)) == {
        "region-stockholm",
        "huddinge",
        "botkyrka",
    }
    region = Organisation.objects.get(slug="region-stockholm")
    assert region.name_sv == "Region Stockholm"
    assert region.former_name_sv == "Stockholms läns landsting"
    assert region.former_name_until == 2019
    assert set(content.owners.values_list("slug", flat=True)) == set(
        parties.values_list("slug", flat=True)
    )


def test_2007_programme_and_its_main_tasks(content):
    old = content.replaces
    assert old.slug == "utvecklingsprogram-2007"
    assert old.status == Programme.Status.REPLACED
    assert str(old.adopted_on) == "2007-06-27"
    memo_text = seed_text(MEMO_NAME)
    start = memo_text.index("huvuduppgifter identifieras:")
    tasks = re.findall(r"^- (.+)$", memo_text[start:], flags=re.M)[:5]
    assert list(old.main_tasks.values_list("title_sv", flat=True)) == tasks
    assert Programme.objects.current() == content


def test_everything_is_published_and_valid(content):
    for model in (
        Programme,
        MainTask,
        Vision,
        DevelopmentGoal,
        SubTarget,
        Strategy,
        SubStrategy,
        Chapter,
        ChapterSection,
        RegionalCityCore,
    ):
        assert model.objects.exists(), model.__name__
        assert not model.objects.filter(is_published=False).exists(), model.__name__
    # Field lengths, choices and slugs hold (PostgreSQL enforces lengths).
    for model in [*translator.get_registered_models(), SubTarget]:
        for obj in model.objects.all():
            obj.full_clean()
    assert Organisation.objects.filter(is_party=False).count() >= 10
