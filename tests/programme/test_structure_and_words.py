"""The about page keeps the source's five chapters and every sentence; the history page lists
the corrections; menu, titles, pager and descriptions say what the pages are."""

import html as html_module
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.programme.test_fixture_fidelity import TYPO_FIXES, norm, seed_body_sentences

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return norm(html_module.unescape(re.sub(r"<[^>]+>", " ", html)))


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_about_page_holds_every_sentence_of_the_source(visitor, programme_content):
    text = _text(visitor.get(reverse("programme:about")).content.decode()).casefold()
    missing = [s for s in seed_body_sentences() if norm(s).casefold() not in text]
    assert missing == []


def test_about_page_keeps_the_chapter_numbers_1_to_5_in_order(visitor, programme_content):
    html = visitor.get(reverse("programme:about")).content.decode()
    numbers = re.findall(r'<span class="chapter-number">(\d)\.</span>', html)
    assert numbers == ["1", "2", "3", "4", "5"]
    text = _text(html)
    assert "4. Strategi för att nå Flemingsberg 2050" in text
    assert (
        "Strategier som tillsammans leder till vart och ett av de fem övergripande målen." in text
    )
    assert "<li>Urban och grönskande</li>" in html  # the priority list, as a list


def test_maps_of_the_source_are_said_not_to_be_reproduced(visitor, programme_content):
    for language, words in (("sv", "Kartan återges inte på webbplatsen"), ("en", "not reproduced")):
        with translation.override(language):
            html = visitor.get(reverse("programme:about")).content.decode()
        assert html.count('class="map-note"') == 2
        assert words in html


def test_history_page_lists_the_corrections_of_the_source(visitor, programme_content):
    html = visitor.get(reverse("programme:history")).content.decode()
    assert "Rättelser av källans text" in html
    for wrong, right in TYPO_FIXES.items():
        assert f'<td lang="sv">{wrong}</td><td lang="sv">{right}</td>' in html


def test_goal_pager_names_each_goal_once_by_its_number(visitor, programme_content):
    html = visitor.get(programme_content.goals.get(order=2).get_absolute_url()).content.decode()
    pager = html[html.index('<nav class="pager"') :]
    pager = pager[: pager.index("</nav>")]
    assert "<ol" not in pager  # a numbered list would put "1." before "1."
    assert "Mål 1: En urban och variationsrik stadskärna med unik identitet" in _text(pager)
    assert not re.search(r"\b(\d)\. \1\.", _text(pager))


@pytest.mark.parametrize(
    ("language", "title"), [("sv", "Om programmet"), ("en", "About the programme")]
)
def test_menu_item_and_page_title_match(visitor, programme_content, language, title):
    with translation.override(language):
        url = reverse("programme:about")
    html = visitor.get(url).content.decode()
    menu = html[html.index('<nav class="main-nav"') :]
    menu = menu[: menu.index("</nav>")]
    assert f'<a href="{url}" aria-current="page">{title}</a>' in menu
    assert f"<h1>{title}</h1>" in html
    assert html.count(title) >= 3  # menu, heading, footer


def test_each_page_type_has_its_own_description(visitor, programme_content):
    goal = programme_content.goals.get(order=1)
    strategy = programme_content.strategies.first()
    from indicators.models import SubTarget

    urls = [
        "/",
        goal.get_absolute_url(),
        strategy.get_absolute_url(),
        reverse("programme:about"),
        reverse("programme:history"),
        reverse("indicators:overview"),
        SubTarget.objects.first().get_absolute_url(),
        reverse("actionplan:index"),
        reverse("actionplan:coverage", kwargs={"year": 2007}),
        reverse("accessibility"),
    ]
    descriptions = []
    for url in urls:
        html = visitor.get(url).content.decode()
        found = re.findall(r'<meta name="description" content="([^"]*)">', html)
        assert len(found) == 1 and len(found[0]) > 60, url
        descriptions.append(found[0])
    assert len(set(descriptions)) == len(urls)


def test_header_search_field_has_a_visible_label(visitor, programme_content):
    html = visitor.get("/").content.decode()
    assert '<label for="site-search-q">Sök på webbplatsen</label>' in html
    assert 'class="visually-hidden">Sök på webbplatsen' not in html
