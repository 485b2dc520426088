import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actionplan.models import (
    Action,
    ActionPartner,
    ActionPlan,
    CommunicationActivity,
    FollowUpUpdate,
)
from programme.models import DevelopmentGoal

pytestmark = pytest.mark.django_db


def _url(name: str, language: str = "sv", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def plans(make_plan, make_action, programme, parties):
    adopted = make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    draft = make_plan(year=2027, status=ActionPlan.Status.DRAFT, title="Hemligt utkast 2027")
    proposed = make_plan(year=2028, status=ActionPlan.Status.PROPOSED, title="Förslag 2028")
    goals = list(programme.goals.all())
    strategies = list(programme.strategies.all())
    a1 = make_action(adopted, "2026:01", lead="huddinge", status="ongoing", progress=50)
    a2 = make_action(adopted, "2026:02", lead="botkyrka", partners=["huddinge"])
    a3 = make_action(adopted, "2026:03", lead="region-stockholm", status="postponed")
    a2.goals.set([goals[1]])
    a3.goals.set([goals[2]])
    a1.strategies.add(strategies[0])
    a3.sub_strategies.add(strategies[1].sub_strategies.first())
    make_action(draft, "2027:01", title="Hemlig åtgärd")
    make_action(proposed, "2028:01", title="Föreslagen åtgärd")
    return {"adopted": adopted, "draft": draft, "proposed": proposed, "a1": a1, "a2": a2, "a3": a3}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_index_shows_latest_adopted_plan(visitor, plans, language):
    response = visitor.get(_url("actionplan:index", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1
    assert plans["a1"].title in html and plans["a2"].title in html
    assert "<caption>" in html and 'scope="col"' in html and "<legend>" in html
    assert "style=" not in html and "<script" not in html


def test_drafts_and_proposals_never_reach_visitors(visitor, plans):
    assert visitor.get(_url("actionplan:year", year=2027)).status_code == 404
    assert visitor.get(_url("actionplan:year", year=2028)).status_code == 404
    assert visitor.get(_url("actionplan:communication", year=2027)).status_code == 404
    hidden = Action.objects.get(number="2027:01")
    assert visitor.get(_url("actionplan:action", year=2027, pk=hidden.pk)).status_code == 404
    # Not by guessing the pk under a public year either.
    assert visitor.get(_url("actionplan:action", year=2026, pk=hidden.pk)).status_code == 404
    for url in [
        _url("actionplan:index"),
        _url("actionplan:year", year=2026),
        _url("actionplan:compare") + "?from=2026&to=2027",
    ]:
        html = visitor.get(url).content.decode()
        assert "Hemlig" not in html and "Föreslagen" not in html and "Förslag 2028" not in html


def test_staff_preview_drafts_marked(plans, make_staff, client):
    client.force_login(make_staff("steering"))
    response = client.get(_url("actionplan:year", "en", year=2027))
    assert response.status_code == 200
    assert "Draft – not public" in response.content.decode()


def test_index_404_when_nothing_adopted(visitor, make_plan):
    make_plan(year=2026)
    assert visitor.get(_url("actionplan:index")).status_code == 404


def test_status_counts(visitor, plans):
    response = visitor.get(_url("actionplan:index", "en"))
    counts = {label: n for label, value, n in response.context["status_counts"]}
    assert counts == {"Planned": 1, "Ongoing": 1, "Completed": 0, "Postponed": 1, "Cancelled": 0}
    assert response.context["total"] == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("party=huddinge", {"2026:01", "2026:02"}),  # lead or co-responsible
        ("party=region-stockholm", {"2026:03"}),
        ("status=ongoing", {"2026:01"}),
        ("goal=mal-2", {"2026:02"}),
        ("strategy=strategi-1", {"2026:01"}),
        ("strategy=strategi-2", {"2026:03"}),  # through a sub-strategy
        ("party=huddinge&status=planned", {"2026:02"}),
        ("party=huddinge&goal=mal-1", {"2026:01"}),
        ("party=huddinge&goal=mal-3", set()),
    ],
)
def test_filters_combine_in_shareable_urls(visitor, plans, query, expected):
    response = visitor.get(_url("actionplan:year", year=2026) + "?" + query)
    assert response.status_code == 200
    listed = Action.objects.filter(pk__in=response.context["page"].object_list)
    assert set(listed.values_list("number", flat=True)) == expected
    assert sum(n for _label, _value, n in response.context["status_counts"]) == len(expected)


def test_unknown_filter_value_is_ignored_not_an_error(visitor, plans):
    response = visitor.get(_url("actionplan:index") + "?party=nowhere")
    assert response.status_code == 200


def _dangling_descriptions(html: str) -> list[str]:
    """The ids a select's aria-describedby names that nothing on the page has."""
    refs = re.findall(r'<select[^>]*aria-describedby="([^"]*)"', html)
    return [ref for refs_of in refs for ref in refs_of.split() if f'id="{ref}"' not in html]


@pytest.mark.parametrize("page_cache_seconds", [0, 300])
def test_unknown_filter_value_says_so_by_its_field_and_keeps_the_others(
    visitor, plans, settings, page_cache_seconds
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = page_cache_seconds
    url = _url("actionplan:year", year=2026)
    for query in ("goal=nowhere&party=huddinge", "goal=elsewhere&party=huddinge"):
        response = visitor.get(f"{url}?{query}")
        html = response.content.decode()
        goal = html[html.index('<select name="goal"') : html.index('name="strategy"')]
        # The message is by the goal's select, which it describes; no other field has one.
        assert 'aria-invalid="true"' in goal and 'id="id_goal_error"' in goal
        assert "Välj ett giltigt alternativ" in goal
        assert html.count('class="errorlist"') == 1
        # The valid party stays chosen and still filters.
        assert '<option value="huddinge" selected>' in html
        assert "2026:01" in html and "2026:02" in html and "2026:03" not in html
        assert _dangling_descriptions(html) == []
    # A valid choice shows no error; nothing points at a help text the page does not show.
    html = visitor.get(f"{url}?goal=mal-2").content.decode()
    assert "errorlist" not in html and "_helptext" not in html
    assert '<option value="mal-2" selected>' in html
    assert _dangling_descriptions(html) == []


def test_action_page_shows_follow_up_history_and_predecessor(
    visitor, plans, make_plan, make_action
):
    a1 = plans["a1"]
    FollowUpUpdate.objects.create(
        action=a1, date=datetime.date(2026, 2, 1), status="ongoing", progress=20, text="Start"
    )
    FollowUpUpdate.objects.create(
        action=a1, date=datetime.date(2026, 6, 1), status="ongoing", progress=50, text="Halvvägs"
    )
    old_plan = make_plan(year=2025, status=ActionPlan.Status.SUPERSEDED)
    old = make_action(old_plan, "2025:04", title="Föregångaren")
    Action.objects.filter(pk=a1.pk).update(predecessor=old)
    html = visitor.get(_url("actionplan:action", year=2026, pk=a1.pk)).content.decode()
    assert html.index("Halvvägs") < html.index("Start")  # newest first
    assert "Föregångaren" in html
    assert html.count("<h1") == 1
    # Earlier years stay browsable.
    assert visitor.get(_url("actionplan:year", year=2025)).status_code == 200
    assert visitor.get(old.get_absolute_url()).status_code == 200


def test_communication_plan_page(visitor, plans, parties):
    activity = CommunicationActivity.objects.create(
        plan=plans["adopted"],
        title="Nyhetsbrev",
        title_en="Newsletter",
        channel="E-post",
        responsible_organisation=parties["huddinge"],
    )
    activity.actions.add(plans["a1"])
    html = visitor.get(_url("actionplan:communication", "en", year=2026)).content.decode()
    assert "Newsletter" in html and "<caption>" in html


def test_goal_and_strategy_pages_list_their_public_actions(visitor, plans, programme):
    goal = programme.goals.get(slug="mal-1")
    html = visitor.get(_url("programme:goal", "sv", slug=goal.slug)).content.decode()
    assert plans["a1"].title in html
    assert "Hemlig" not in html  # the draft plan's action
    assert plans["a2"].title not in html
    strategy = programme.strategies.get(slug="strategi-2")
    html = visitor.get(_url("programme:strategy", "sv", slug=strategy.slug)).content.decode()
    assert plans["a3"].title in html and plans["a1"].title not in html


def test_demo_plan_carries_a_banner(visitor, make_plan, make_action):
    plan = make_plan(year=2030, status=ActionPlan.Status.ADOPTED, is_demo=True)
    make_action(plan, "2030:01")
    html = visitor.get(_url("actionplan:year", year=2030)).content.decode()
    assert "demo-banner" in html and "[DEMO]" in html


def test_real_plan_is_preferred_over_demo_as_latest(visitor, make_plan):
    make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    make_plan(year=2030, status=ActionPlan.Status.ADOPTED, is_demo=True)
    assert visitor.get(_url("actionplan:index")).context["plan"].year == 2026


def _bulk_actions(plan, count, parties, goals):
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            number=f"{plan.year}:{n:04d}",
            title=f"Åtgärd {n}",
            title_sv=f"Åtgärd {n}",
            lead_organisation=parties[("huddinge", "botkyrka", "region-stockholm")[n % 3]],
            status=Action.Status.values[n % 2],
            progress=n % 100,
        )
        for n in range(count)
    )
    through = Action.goals.through
    through.objects.bulk_create(
        through(action_id=a.pk, developmentgoal_id=goals[n % len(goals)].pk)
        for n, a in enumerate(actions)
    )
    ActionPartner.objects.bulk_create(
        ActionPartner(action=a, organisation=parties["huddinge"]) for a in actions[::2]
    )


def test_list_queries_do_not_grow_with_1000_actions(
    visitor, make_plan, parties, programme, django_assert_num_queries
):
    plan = make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    goals = list(programme.goals.all())
    _bulk_actions(plan, 30, parties, goals)
    url = _url("actionplan:index") + "?party=huddinge&status=planned&goal=mal-1&page=2"
    # Queries: plan; filter choices validated (goal, party); status counts (their total is
    # the paginator's count); the page's action pks; those actions, their goals, their
    # partners (rows not yet memoised); funding; years; the form's choice lists rendered
    # (goals, strategies, parties); the plan's closed follow-up rounds; session/user none
    # for a visitor.
    with CaptureQueriesContext(connection) as small:
        assert visitor.get(url).status_code == 200
    _bulk_actions(make_plan(year=2025, status=ActionPlan.Status.SUPERSEDED), 10, parties, goals)
    Action.objects.filter(plan=plan).delete()
    _bulk_actions(plan, 1000, parties, goals)
    with django_assert_num_queries(len(small.captured_queries)):
        response = visitor.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    print("queries per page:", len(small.captured_queries))
    assert len(small.captured_queries) <= 15


def test_filter_choices_are_listed_once_per_content_version(
    visitor, make_plan, parties, programme, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every request renders
    plan = make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    _bulk_actions(plan, 3, parties, list(programme.goals.all()))
    url = _url("actionplan:index")
    with CaptureQueriesContext(connection) as first:
        visitor.get(url)
    with CaptureQueriesContext(connection) as again:
        html = visitor.get(url + "?party=botkyrka").content.decode()

    # The goals, strategies and parties offered are not queried again (a chosen party is
    # still looked up to validate it: one query), and the choice shows as selected.
    def tables(queries, table):
        return [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]

    assert tables(first, "programme_strategy") and tables(first, "programme_developmentgoal")
    assert not tables(again, "programme_strategy")
    (party,) = tables(again, "programme_organisation")  # the chosen party, validated
    assert '"slug" = ' in party
    assert '<option value="botkyrka" selected>Botkyrka kommun</option>' in html
    assert html.count('<option value="mal-') == programme.goals.count()


# Each action's row (table row and card) is memoised per content version and language for
# visitors (actionplan.views._action_rows); the page cache is off here so that each request
# renders.


@pytest.fixture
def no_page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def _rows_fetched(queries) -> list[str]:
    """The queries that fetch actions for their rows (the page's own query reads pks only)."""
    return [
        query["sql"]
        for query in queries
        if 'FROM "actionplan_action"' in query["sql"] and '"title_sv"' in query["sql"]
    ]


def test_action_rows_are_memoised_per_action_for_visitors(visitor, plans, no_page_cache):
    url = _url("actionplan:year", year=2026)
    with CaptureQueriesContext(connection) as first:
        html = visitor.get(url).content.decode()
    assert _rows_fetched(first)
    with CaptureQueriesContext(connection) as again:
        assert visitor.get(url).content.decode() == html
    # Queries: the status counts and the page's action pks – nothing else (the plan, the
    # rows, the funding, years and rounds are memoised; the counts' total is the page count).
    assert len(again) == 2, [query["sql"] for query in again]
    assert not any('FROM "actionplan_actionplan"' in query["sql"] for query in again)
    # Another filter that lists some of the same actions fetches none of them again.
    with CaptureQueriesContext(connection) as filtered:
        assert plans["a2"].title in visitor.get(url + "?party=huddinge").content.decode()
    assert not _rows_fetched(filtered)
    # A saved change retires the rows: the next render shows it.
    Action.objects.filter(pk=plans["a1"].pk).update(title_sv="Utan signal")
    assert "Utan signal" not in visitor.get(url).content.decode()
    action = Action.objects.get(pk=plans["a1"].pk)
    action.save()
    assert "Utan signal" in visitor.get(url).content.decode()


def test_action_rows_are_memoised_per_language(visitor, plans, no_page_cache):
    sv = visitor.get(_url("actionplan:year", year=2026)).content.decode()
    en = visitor.get(_url("actionplan:year", "en", year=2026)).content.decode()
    again = visitor.get(_url("actionplan:year", year=2026)).content.decode()
    for html, status in ((sv, "Pågående"), (en, "Ongoing"), (again, "Pågående")):
        assert f'<span class="status status-ongoing">{status}</span></td>' in html
    with translation.override("en"):
        english_link = plans["a1"].get_absolute_url()
    assert f'href="{english_link}"' in en and f'href="{english_link}"' not in again


def test_staff_rows_are_never_memoised_nor_shown_to_visitors(
    visitor, editor_client, plans, no_page_cache
):
    # A draft goal shows in the editor's rows (a preview) and never in a visitor's: had the
    # editor's rows been memoised, the visitor would be served them.
    goal = plans["a2"].goals.get()
    goal.is_published = False
    goal.save()
    url = _url("actionplan:year", year=2026)
    goal_link = f'<a href="{goal.get_absolute_url()}" title="'
    with CaptureQueriesContext(connection) as queries:
        assert goal_link in editor_client.get(url).content.decode()
    # All of the page's actions in one query, not one per action.
    assert len(_rows_fetched(queries)) == 1
    assert goal_link not in visitor.get(url).content.decode()
    # And the other way round: the editor's rows are worked out, not the visitor's memo.
    Action.objects.filter(pk=plans["a2"].pk).update(title_sv="Nytt utkast")  # no signal
    assert "Nytt utkast" in editor_client.get(url).content.decode()
    assert "Nytt utkast" not in visitor.get(url).content.decode()


def test_action_rows_memo_off_fetches_them_each_time(visitor, plans, no_page_cache, settings):
    settings.PUBLIC_MEMO_ENTRIES = 0
    url = _url("actionplan:year", year=2026)
    visitor.get(url)
    with CaptureQueriesContext(connection) as again:
        visitor.get(url)
    assert _rows_fetched(again)


def _served_list(html: str) -> str:
    facts = html[html.index('<dl class="facts">') :]
    return facts[: facts.index("</dl>")]


def test_action_page_lists_what_it_serves_in_the_programmes_order(
    visitor, editor_client, plans, programme, earlier_programme
):
    a3 = plans["a3"]
    goals = list(programme.goals.order_by("order"))
    sub = programme.strategies.order_by("order")[1].sub_strategies.first()
    a3.goals.add(goals[0])  # linked after goal 3, listed before it
    facts = _served_list(visitor.get(a3.get_absolute_url()).content.decode())
    assert facts.index(goals[0].title) < facts.index(goals[2].title)
    assert goals[1].title not in facts
    assert f"<li>{sub.title}</li>" in facts
    # A goal outside the plan's programme (linked by hand) still shows, as it did …
    other = DevelopmentGoal.objects.create(
        programme=earlier_programme,
        order=1,
        slug="annat",
        title="Mål i ett annat program",
        is_published=True,
    )
    a3.goals.add(other)
    assert other.title in _served_list(visitor.get(a3.get_absolute_url()).content.decode())
    # … and an unpublished one only in a preview.
    goals[2].is_published = False
    goals[2].save()
    assert goals[2].title not in _served_list(visitor.get(a3.get_absolute_url()).content.decode())
    preview = _served_list(editor_client.get(a3.get_absolute_url()).content.decode())
    assert goals[2].title in preview


def test_action_page_links_the_actions_continuing_it(visitor, plans, make_plan, make_action):
    a1 = plans["a1"]
    later = make_plan(year=2029, status=ActionPlan.Status.ADOPTED)
    assert (
        "Continued in"
        not in visitor.get(_url("actionplan:action", "en", year=2026, pk=a1.pk)).content.decode()
    )
    # Continued in a draft: not for visitors.
    make_action(plans["draft"], "2027:09", title="Hemlig fortsättning", predecessor=a1)
    html = visitor.get(_url("actionplan:action", "en", year=2026, pk=a1.pk)).content.decode()
    assert "Continued in" not in html and "Hemlig fortsättning" not in html
    # Continued in an adopted plan: shown at once after the change.
    make_action(later, "2029:01", title="Fortsättningen", predecessor=a1)
    html = visitor.get(_url("actionplan:action", "en", year=2026, pk=a1.pk)).content.decode()
    assert "Continued in" in html and "2029:01" in html and "Hemlig fortsättning" not in html


def test_action_page_queries(visitor, plans, no_page_cache):
    url = plans["a3"].get_absolute_url()
    visitor.get(url)  # the plans, the programme's goals and strategies and the continued
    with CaptureQueriesContext(connection) as queries:  # actions are memoised from here
        assert visitor.get(url).status_code == 200
    # The action with its predecessor; follow-ups; partners (their organisations, the lead
    # party and the funder from the memoised organisations); its links to goals, strategies
    # and sub-strategies (one union). No query of goals, strategies or organisations.
    tables = [re.search(r'FROM "?\(?"?(\w+)', query["sql"]).group(1) for query in queries]
    assert tables == [
        "actionplan_action",
        "actionplan_followupupdate",
        "actionplan_actionpartner",
        "actionplan_action_goals",
    ]


def test_action_page_names_its_parties_in_order_and_follows_a_rename(visitor, plans, parties):
    a2 = plans["a2"]  # led by Botkyrka, Huddinge co-responsible
    ActionPartner.objects.create(action=a2, organisation=parties["region-stockholm"], role="")
    a2.funder = parties["huddinge"]
    a2.budget_sek = 100_000
    a2.save()
    html = visitor.get(a2.get_absolute_url()).content.decode()
    partners = html[html.index("Medansvarig") :]
    partners = partners[: partners.index("</ul>")]
    expected = sorted(
        (parties[slug] for slug in ("huddinge", "region-stockholm")),
        key=lambda organisation: (organisation.order, organisation.name),
    )
    shown = re.findall(r"<li>([^<–]+?)(?: –|</li>)", partners)
    assert [name.strip() for name in shown] == [organisation.name for organisation in expected]
    budget = html[html.index("<dt>Budget</dt>") :]
    assert "Huddinge kommun" in budget[: budget.index("</dd>")]  # the funder
    botkyrka = parties["botkyrka"]
    botkyrka.name = botkyrka.name_sv = "Botkyrka kommun (nytt namn)"
    botkyrka.save()
    assert "Botkyrka kommun (nytt namn)" in visitor.get(a2.get_absolute_url()).content.decode()
