"""What every page shares: the language switcher's links to the same page and the main
menu marking the page's own item."""

import re

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from flemingsberg.context_processors import site


def _language_link(html: str, code: str) -> str:
    switch = html[html.index('<nav class="lang-switch"') :]
    return re.search(rf'<a href="([^"]*)" lang="{code}"', switch).group(1).replace("&amp;", "&")


def _menu(html: str) -> str:
    menu = html[html.index('<nav class="main-nav"') :]
    return menu[: menu.index("</nav>")]


def test_the_language_links_name_the_same_page_with_its_arguments(visitor, programme_content):
    goal = programme_content.goals.get(order=2)
    html = visitor.get(goal.get_absolute_url()).content.decode()
    with translation.override("en"):
        assert _language_link(html, "en") == goal.get_absolute_url()
    html = visitor.get(_language_link(html, "en")).content.decode()
    with translation.override("sv"):
        assert _language_link(html, "sv") == goal.get_absolute_url()


def test_the_language_links_keep_the_filters_and_drop_tracking(visitor, programme_content):
    html = visitor.get("/handlingsplan/2007/?status=ongoing&utm_source=news").content.decode()
    assert _language_link(html, "en") == "/en/action-plan/2007/?status=ongoing"


def test_without_a_resolved_view_the_links_are_translated_from_the_path(programme_content):
    # A page rendered before or outside URL resolution (a handler of its own) still links to
    # itself in each language, as translate_url does.
    request = RequestFactory().get("/handlingsplan/2007/", {"status": "ongoing"})
    links = {link["code"]: link["url"] for link in site(request)["language_links"]}
    assert links == {
        "sv": "/handlingsplan/2007/?status=ongoing",
        "en": "/en/action-plan/2007/?status=ongoing",
    }
    request.resolver_match = resolve("/handlingsplan/2007/")
    assert {link["code"]: link["url"] for link in site(request)["language_links"]} == links


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_menu_marks_the_page_itself_and_nothing_else(visitor, programme_content, language):
    with translation.override(language):
        home, about = reverse("programme:home"), reverse("programme:about")
        goal = programme_content.goals.get(order=1).get_absolute_url()
    for url, marked in ((about, about), (home, home), (goal, None)):
        menu = _menu(visitor.get(url).content.decode())
        assert menu.count('aria-current="page"') == (1 if marked else 0), url
        if marked:
            assert f'<a href="{marked}" aria-current="page">' in menu
        assert menu.count("<li>") == 5
