"""English pages carry no Swedish text unmarked: what exists only in Swedish has lang="sv"
(screen readers switch voice) and a note; organisation names, decision bodies and the footer
are in English.

A word is taken for Swedish when it has å, ä or ö, or is one of a few common Swedish words
that have none; proper names of places, which English text keeps, are allowed.
"""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from indicators.models import SubTarget

pytestmark = pytest.mark.django_db

PLACE_NAMES = {
    "Södertörn",
    "Mälaren",
    "Täby",
    "Märsta",
    "Häggvik",
    "Skärholmen",
    "Södertälje",
    "Strängnäs",
    "Gävleborg",
    "Västmanland",
    "Örebro",
    "Södermanland",
    "Östergötland",
    "Bostäder",  # Huge Bostäder, a company's name
}
SWEDISH_WORDS = {"och", "kommun", "för", "handlingsplan", "styrgruppen", "politiska", "delmål"}
VOID = {
    "br",
    "meta",
    "link",
    "img",
    "input",
    "hr",
    "source",
    "rect",
    "line",
    "circle",
    "polygon",
    "polyline",
}


class _SwedishText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if any(tag in ("script", "style") for tag, _ in self.stack):
            return
        if any(lang and lang.startswith("sv") for _, lang in self.stack):
            return
        for word in data.replace("–", " ").replace("-", " ").split():
            word = word.strip(".,:;()”“\"'!?[]·")
            swedish = any(c in word for c in "åäöÅÄÖ") or word.casefold() in SWEDISH_WORDS
            if swedish and word not in PLACE_NAMES:
                self.found.append(f"{word!r} in {data.strip()[:70]!r}")


def swedish_words(html: str) -> list[str]:
    parser = _SwedishText()
    parser.feed(html)
    return parser.found


def _english_urls(programme) -> list[str]:
    with translation.override("en"):
        urls = [
            reverse("programme:home"),
            reverse("programme:about"),
            reverse("programme:history"),
            reverse("indicators:overview"),
            reverse("actionplan:index"),
            reverse("actionplan:year", kwargs={"year": 2007}),
            reverse("actionplan:coverage", kwargs={"year": 2007}),
            reverse("actionplan:communication", kwargs={"year": 2007}),
            reverse("actionplan:compare"),
            reverse("accessibility"),
            reverse("search:search") + "?q=city",
        ]
        urls += [goal.get_absolute_url() for goal in programme.goals.all()]
        urls += [strategy.get_absolute_url() for strategy in programme.strategies.all()]
        urls += [target.get_absolute_url() for target in SubTarget.objects.all()]
        from actionplan.models import Action

        urls += [action.get_absolute_url() for action in Action.objects.filter(plan__year=2007)]
    return urls


def test_english_pages_of_the_real_content_have_no_unmarked_swedish(visitor, programme_content):
    failures = {}
    for url in _english_urls(programme_content):
        response = visitor.get(url)
        assert response.status_code == 200, url
        found = swedish_words(response.content.decode())
        if found:
            failures[url] = found[:5]
    assert failures == {}


def test_english_pages_with_demo_data_have_no_unmarked_swedish(visitor, programme_content):
    call_command("generate_demo_plan", "--actions", "30", "--year", "2026", verbosity=0)
    call_command("generate_demo_measurements", verbosity=0)
    with translation.override("en"):
        urls = [
            "/en/",
            reverse("actionplan:year", kwargs={"year": 2026}),
            reverse("actionplan:coverage", kwargs={"year": 2026}),
            reverse("indicators:overview"),
            SubTarget.objects.get(slug="nya-bostader").get_absolute_url(),
        ]
    failures = {url: swedish_words(visitor.get(url).content.decode())[:5] for url in urls}
    assert {url: found for url, found in failures.items() if found} == {}


def test_the_detector_finds_unmarked_swedish():
    assert swedish_words('<p>Huddinge kommun och <span lang="sv">Botkyrka kommun</span></p>') == [
        "'kommun' in 'Huddinge kommun och'",
        "'och' in 'Huddinge kommun och'",
    ]
