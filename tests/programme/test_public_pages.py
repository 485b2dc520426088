import pytest
from django.urls import reverse
from django.utils import translation

from programme.models import DevelopmentGoal, Strategy

pytestmark = pytest.mark.django_db


def _url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_public_page_renders_the_real_programme(visitor, programme_content, language):
    goal = programme_content.goals.first()
    strategy = programme_content.strategies.first()
    pages = [
        _url("programme:home", language),
        _url("programme:goal", language, slug=goal.slug),
        _url("programme:strategy", language, slug=strategy.slug),
        _url("programme:about", language),
        _url("programme:history", language),
    ]
    for url in pages:
        response = visitor.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        assert html.count("<h1") == 1, url
        assert 'href="#main"' in html  # skip link
        assert "<main" in html and "<nav" in html and "<footer" in html


def test_english_pages_live_under_en_prefix_and_swedish_unprefixed(programme_content):
    assert _url("programme:home", "sv") == "/"
    assert _url("programme:home", "en") == "/en/"
    goal = programme_content.goals.first()
    assert _url("programme:goal", "en", slug=goal.slug).startswith("/en/goals/")
    assert _url("programme:goal", "sv", slug=goal.slug).startswith("/mal/")


def test_home_shows_vision_goals_and_strategies_in_swedish(visitor, programme_content):
    html = visitor.get("/").content.decode()
    assert programme_content.vision.text_sv[:60] in html
    for goal in programme_content.goals.all():
        assert goal.title_sv in html
    for strategy in programme_content.strategies.all():
        assert strategy.title_sv in html


def test_home_in_english_shows_english_text(visitor, programme_content):
    html = visitor.get("/en/").content.decode()
    for goal in programme_content.goals.all():
        assert goal.title_en in html
        assert goal.title_sv not in html
    assert "Skip to main content" in html


def test_language_switcher_keeps_the_page(visitor, programme_content):
    goal = programme_content.goals.first()
    sv_url = _url("programme:goal", "sv", slug=goal.slug)
    en_url = _url("programme:goal", "en", slug=goal.slug)
    assert f'href="{en_url}"' in visitor.get(sv_url).content.decode()
    assert f'href="{sv_url}"' in visitor.get(en_url).content.decode()


def test_strategy_page_lists_its_four_sub_strategies(visitor, programme_content):
    strategy = programme_content.strategies.first()
    html = visitor.get(strategy.get_absolute_url()).content.decode()
    subs = list(strategy.sub_strategies.all())
    assert len(subs) == 4
    for sub in subs:
        assert sub.title_sv in html


def test_about_page_has_chapters_trends_challenges_and_regional_cores(visitor, programme_content):
    html = visitor.get(_url("programme:about", "sv")).content.decode()
    for chapter in programme_content.chapters.all():
        assert chapter.title_sv in html
        for section in chapter.sections.all():
            assert section.title_sv in html
    for core in programme_content.regional_cores.all():
        assert core.name_sv in html


def test_history_shows_both_programmes_and_the_2007_main_tasks(visitor, programme_content):
    html = visitor.get(_url("programme:history", "sv")).content.decode()
    assert "Flemingsberg 2050" in html
    assert programme_content.replaces.title_sv in html
    for task in programme_content.replaces.main_tasks.all():
        assert task.title_sv in html


def test_unknown_goal_is_404(visitor, programme_content):
    assert visitor.get(_url("programme:goal", "sv", slug="finns-inte")).status_code == 404


# --- publishing -----------------------------------------------------------------------------


def test_draft_goal_is_invisible_to_visitors_but_previewed_by_staff(
    visitor, editor_client, build_programme
):
    build_programme(goals=2)
    draft = DevelopmentGoal.objects.get(slug="mal-2")
    draft.title = "Hemligt utkast"
    draft.is_published = False
    draft.save()

    assert "Hemligt utkast" not in visitor.get("/").content.decode()
    assert visitor.get(draft.get_absolute_url()).status_code == 404

    staff_html = editor_client.get(draft.get_absolute_url()).content.decode()
    assert "Hemligt utkast" in staff_html
    assert "Utkast – inte publicerat" in staff_html or "Draft" in staff_html


def test_draft_strategy_and_unpublished_programme_are_invisible(visitor, build_programme):
    programme = build_programme(published=True)
    Strategy.objects.filter(slug="strategi-1").update(is_published=False)
    assert visitor.get(_url("programme:strategy", "sv", slug="strategi-1")).status_code == 404
    programme.is_published = False
    programme.save()
    assert visitor.get("/").status_code == 404


# --- query counts ---------------------------------------------------------------------------


# The queries of each page, fixed whatever the number of goals and strategies, when nothing
# is memoised yet (the first render after a change). The goals' and strategies' lists
# (``listed_for``) are the same on every page: goals, sub-targets (with the measuring
# organisation), their values, their assessments; strategies, sub-strategies, the goals
# each strategy leads to.
# home: programme, vision, the goals' list (4), the strategies' list (3), the plan in force
#   (with when its actions and follow-ups last changed), the earlier programme's plan when
#   none is in force (status band);
# goal: programme, the goals' list (4), the strategies' list (3), the goal's actions, the
#   plan in force, the earlier plan;
# strategy: programme, the strategies' list (3), the goals' list (4), the strategy's actions;
# about: programme, vision, chapters, the goals' list (4), the strategies' list (3) (this
#   programme has no chapters, so no sections or regional cores);
# history: programmes, main tasks, owners, decisions, the corrections of the source.
QUERIES = {"home": 11, "goal": 11, "strategy": 9, "about": 10, "history": 5}


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("programme:home", {}),
        ("programme:goal", {"slug": "mal-1"}),
        ("programme:strategy", {"slug": "strategi-1"}),
        ("programme:about", {}),
        ("programme:history", {}),
    ],
)
def test_query_count_does_not_grow_with_goals_or_strategies(
    visitor, build_programme, django_assert_num_queries, name, kwargs
):
    build_programme(goals=2, strategies=2)
    url = _url(name, "sv", **kwargs)
    expected = QUERIES[name.split(":")[1]]
    with django_assert_num_queries(expected):
        assert visitor.get(url).status_code == 200
    programme = DevelopmentGoal.objects.first().programme
    for number in range(3, 9):
        DevelopmentGoal.objects.create(
            programme=programme,
            order=number,
            slug=f"mal-{number}",
            title=f"Mål {number}",
            is_published=True,
        )
        Strategy.objects.create(
            programme=programme,
            order=number,
            slug=f"strategi-{number}",
            title=f"Strategi {number}",
            is_published=True,
        )
    with django_assert_num_queries(expected):
        assert visitor.get(url).status_code == 200


# --- the current programme, once per content version ------------------------------------------


def test_current_programme_is_found_once_per_content_version_for_visitors(
    visitor, build_programme, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every request renders
    programme = build_programme()
    url = _url("programme:goal", "sv", slug="mal-1")
    with CaptureQueriesContext(connection) as first:
        visitor.get(url)
    with CaptureQueriesContext(connection) as again:
        visitor.get(url)
    # The first: those of QUERIES["goal"]. Again: none – the programme, the goals' and the
    # strategies' lists, the goal's actions and the status band are all memoised.
    assert len(first) == QUERIES["goal"]
    assert len(again) == 0, [query["sql"] for query in again]
    # A saved change retires it at once: an unpublished programme is gone on the next render.
    programme.is_published = False
    programme.save()
    assert visitor.get(url).status_code == 404


def test_staff_flag_without_a_role_never_previews_a_draft_vision(
    client, editor_client, build_programme
):
    from django.contrib.auth import get_user_model

    programme = build_programme()
    programme.vision.text = "Utkast till vision"
    programme.vision.is_published = False
    programme.vision.save()
    # Staff flag, no role (a role withdrawn): a visitor to the public pages, like on home.
    no_role = get_user_model().objects.create_user("no-role", password="x", is_staff=True)
    client.force_login(no_role)
    for name in ("programme:home", "programme:about"):
        assert "Utkast till vision" not in client.get(_url(name, "sv")).content.decode(), name
        assert "Utkast till vision" in editor_client.get(_url(name, "sv")).content.decode(), name


# --- the goals' and strategies' lists, once per content version -------------------------------

LISTED_TABLES = (
    'FROM "programme_developmentgoal"',
    'FROM "indicators_subtarget"',
    'FROM "indicators_measurement"',
    'FROM "programme_strategy"',
    'FROM "programme_substrategy"',
)


def test_goals_and_strategies_are_listed_once_for_every_page_of_a_visitor(
    visitor, build_programme, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every request renders
    build_programme()
    assert visitor.get(_url("programme:home", "sv")).status_code == 200
    pages = [
        _url("programme:goal", "sv", slug="mal-2"),
        _url("programme:strategy", "sv", slug="strategi-1"),
        _url("programme:about", "sv"),
        _url("indicators:overview", "sv"),
        _url("indicators:sub_target", "sv", slug="delmal-1"),
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert visitor.get(url).status_code == 200, url
        listed = [q["sql"] for q in queries if any(t in q["sql"] for t in LISTED_TABLES)]
        assert listed == [], url
    # A saved change retires the lists at once, on every page.
    goal = DevelopmentGoal.objects.get(slug="mal-2")
    goal.title = "Nytt namn på mål 2"
    goal.save()
    for url in [_url("programme:home", "sv"), pages[0], pages[3]]:
        assert "Nytt namn på mål 2" in visitor.get(url).content.decode(), url


def test_a_goal_not_in_the_current_programme_is_a_404(visitor, build_programme):
    build_programme()
    assert visitor.get(_url("programme:goal", "sv", slug="mal-9")).status_code == 404
    assert visitor.get(_url("programme:strategy", "sv", slug="strategi-9")).status_code == 404


@pytest.mark.parametrize("staff_first", [True, False])
def test_an_editors_preview_of_a_draft_goal_never_reaches_visitors(
    visitor, editor_client, build_programme, settings, staff_first
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    build_programme()
    DevelopmentGoal.objects.filter(slug="mal-2").update(title="Utkastmål")
    goal = DevelopmentGoal.objects.get(slug="mal-2")
    goal.is_published = False
    goal.save()
    home = _url("programme:home", "sv")
    clients = [editor_client, visitor] if staff_first else [visitor, editor_client]
    pages = {client: client.get(home).content.decode() for client in clients}
    assert "Utkastmål" in pages[editor_client]
    assert "Utkastmål" not in pages[visitor]
    assert visitor.get(_url("programme:goal", "sv", slug="mal-2")).status_code == 404
    assert editor_client.get(_url("programme:goal", "sv", slug="mal-2")).status_code == 200
