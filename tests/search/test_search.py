import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from search import engine

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="tests the SQLite icontains fallback"
)
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stemming needs PostgreSQL full-text search; SQLite only has icontains (CI runs PG)",
)


def _url(language: str = "sv") -> str:
    with translation.override(language):
        return reverse("search:search")


def _titles(response) -> list[str]:
    return [hit.title for group in response.context["results"].groups for hit in group.hits]


def _kinds(response) -> set[str]:
    return {group.kind.key for group in response.context["results"].groups}


def test_swedish_query_finds_published_content_of_every_kind(visitor, searchable):
    response = visitor.get(_url(), {"q": "bostäder"})
    assert response.status_code == 200
    titles = _titles(response)
    assert "En levande stad" in titles
    assert searchable["sub_target"].statement_sv in titles
    assert "Planera fler bostäder vid stationen" in titles
    assert "Cykelstråk till Riksten" in titles  # found by its description
    html = response.content.decode()
    assert "<mark>bostäder</mark>" in html
    assert html.count("<h1") == 1
    assert 'role="search"' in html


def test_other_kinds_are_found(visitor, searchable):
    assert "Den nya stationen" in _titles(visitor.get(_url(), {"q": "pendeltågsstationen"}))
    assert "Kunskapsstaden" in _titles(visitor.get(_url(), {"q": "Karolinska"}))
    assert "Bakgrund" in _titles(visitor.get(_url(), {"q": "stadskärna"}))
    assert "Urban och grönskande" in _titles(visitor.get(_url(), {"q": "parker"}))


def test_drafts_are_never_found(visitor, searchable):
    for query in ["zebrakorsning", "hemligt", "hemlig åtgärd", "bostäder"]:
        html = visitor.get(_url(), {"q": query}).content.decode()
        assert "Hemlig" not in html, query
        assert "Zebra" not in html, query


def test_draft_goal_is_not_found_even_by_staff(editor_client, searchable):
    # Search is the public view of the content: staff preview drafts on the pages themselves.
    html = editor_client.get(_url(), {"q": "zebrakorsning"}).content.decode()
    assert "Hemligt utkast" not in html


def test_english_query_finds_english_text(visitor, searchable):
    response = visitor.get(_url("en"), {"q": "homes"})
    assert response.status_code == 200
    titles = _titles(response)
    assert "A living city" in titles
    assert "Plan more homes at the station" in titles
    assert "Secret draft about homes" not in titles


def test_languages_are_kept_apart(visitor, searchable):
    # A Swedish word does not match the English text, nor an English word the Swedish.
    assert _titles(visitor.get(_url("en"), {"q": "bostäder"})) == []
    assert _titles(visitor.get(_url("sv"), {"q": "homes"})) == []
    assert _titles(visitor.get(_url("en"), {"q": "pendeltågsstationen"})) == []
    assert _titles(visitor.get(_url("sv"), {"q": "commuter"})) == []


@needs_postgresql
def test_swedish_stemming_finds_plural_from_singular(visitor, searchable):
    titles = _titles(visitor.get(_url(), {"q": "bostad"}))
    assert searchable["sub_target"].statement_sv in titles


@needs_postgresql
def test_english_stemming(visitor, searchable):
    assert "A living city" in _titles(visitor.get(_url("en"), {"q": "home"}))


@needs_postgresql
def test_ranking_puts_title_matches_first(visitor, searchable):
    response = visitor.get(_url(), {"q": "bostäder", "kind": "action"})
    assert _titles(response)[0] == "Planera fler bostäder vid stationen"


def test_kind_filter(visitor, searchable):
    response = visitor.get(_url(), {"q": "bostäder", "kind": "sub_target"})
    assert _kinds(response) == {"sub_target"}


def test_party_filter_applies_to_actions(visitor, searchable):
    response = visitor.get(_url(), {"q": "bostäder", "party": "huddinge"})
    assert _kinds(response) == {"action"}
    assert _titles(response) == ["Planera fler bostäder vid stationen"]
    # Co-responsible counts as involved, as on the action plan's list.
    response = visitor.get(_url(), {"q": "bostäder", "party": "region-stockholm"})
    assert _titles(response) == ["Cykelstråk till Riksten"]


def test_unknown_filters_are_ignored(visitor, searchable):
    response = visitor.get(_url(), {"q": "bostäder", "kind": "nonsense", "party": "nobody"})
    assert response.status_code == 200
    assert "En levande stad" in _titles(response)


def test_empty_query_gets_a_calm_page(visitor, searchable, django_assert_num_queries):
    # Only the parties for the filter.
    with django_assert_num_queries(1):
        response = visitor.get(_url(), {"q": "   "})
    assert response.status_code == 200
    assert response.context["results"].groups == []
    assert visitor.get(_url()).status_code == 200


ODD_QUERIES = [
    '"',
    "'",
    "\\",
    "&|!:*()<>",
    "a & b | !c",
    "bostäder:*",
    "'bostäder' & !",
    "(((",
    "-",
    "or",
    "\x00",
    "bo\x00städer",
    "🏠 bostäder 🚆",
    "🏠",
    "<script>alert(1)</script>",
    "%",
    "_",
    "x" * 1000,
    "bostäder " * 200,
]


@pytest.mark.parametrize("query", ODD_QUERIES)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_odd_queries_get_a_calm_answer(visitor, searchable, query, language):
    response = visitor.get(_url(language), {"q": query, "kind": query, "party": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "\x00" not in html


def test_long_query_is_shortened_and_said_so(visitor, searchable):
    response = visitor.get(_url(), {"q": "bostäder " * 200})
    results = response.context["results"]
    assert results.shortened
    assert len(results.query) <= engine.MAX_QUERY_LENGTH


def test_percent_and_underscore_are_not_wildcards(visitor, searchable):
    assert _titles(visitor.get(_url(), {"q": "%"})) == []
    assert _titles(visitor.get(_url(), {"q": "_"})) == []


def test_query_count_is_one_per_kind(visitor, searchable, django_assert_max_num_queries):
    # The parties for the filter, then one query per kind (goals, sub-targets, strategies,
    # sub-strategies, chapters, sections, actions), each with its joins: no N+1 from hits.
    with django_assert_max_num_queries(1 + len(engine.KINDS)):
        response = visitor.get(_url(), {"q": "Flemingsberg stationen"})
    assert response.status_code == 200


def test_excerpt_is_escaped_and_marked():
    text = "Före <b>fet</b> & bostäder efter"
    html = engine.excerpt(text, ["bostäder"])
    assert "&lt;b&gt;fet&lt;/b&gt; &amp; <mark>bostäder</mark>" in html


def test_excerpt_does_not_mark_inside_escaped_entities():
    assert engine.excerpt("a & b", ["amp"]) == "a &amp; b"


def test_hit_links_point_to_the_pages(visitor, searchable):
    response = visitor.get(_url(), {"q": "pendeltågsstationen"})
    hit = response.context["results"].groups[0].hits[0]
    assert hit.url.endswith("#sub-stationen")
    assert visitor.get(hit.url.split("#")[0]).status_code == 200


def test_header_has_a_labelled_search_form(visitor, searchable):
    html = visitor.get(_url()).content.decode()
    assert 'id="site-search-q"' in html and 'for="site-search-q"' in html


@on_sqlite
def test_sqlite_fallback_matches_every_word(visitor, searchable):
    assert _titles(visitor.get(_url(), {"q": "cykelstråk riksten"})) == ["Cykelstråk till Riksten"]
    assert _titles(visitor.get(_url(), {"q": "cykelstråk zebra"})) == []


def test_excerpt_is_cut_at_word_boundaries():
    words = [f"ord{number}" for number in range(100)]
    text = " ".join(words[:50]) + " bostäder " + " ".join(words[50:])
    html = engine.excerpt(text, ["bostäder"], width=120)
    assert html.startswith("… ") and html.endswith(" …")
    inner = html[2:-2].replace("<mark>", "").replace("</mark>", "")
    assert all(word in words or word == "bostäder" for word in inner.split())
    short = engine.excerpt(text, [], width=50)
    assert all(word in words for word in short.removesuffix(" …").split())


# --- actions: a stored, indexed vector on PostgreSQL ----------------------------------------


def _stored_vectors(action_id: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_sv::text, search_en::text FROM actionplan_action WHERE id = %s",
            [action_id],
        )
        return cursor.fetchone()


@needs_postgresql
def test_an_action_keeps_its_search_vectors_whatever_writes_it(searchable):
    from actionplan.models import Action

    action = Action.objects.filter(title_sv="Cykelstråk till Riksten").get()
    swedish, english = _stored_vectors(action.pk)
    assert "'cykelstråk':1A" in swedish and "'rikst':3A" in swedish
    # An update() (no save, no signal) and a bulk_create keep them too: a trigger does it.
    Action.objects.filter(pk=action.pk).update(title_sv="Gångväg", title_en="Footpath")
    swedish, english = _stored_vectors(action.pk)
    assert "'gångväg':1A" in swedish and "'cykelstråk':1A" not in swedish and "footpath" in english
    (new,) = Action.objects.bulk_create(
        [Action(plan=action.plan, number="2026:99", title_sv="Solceller", title_en="Solar")]
    )
    assert "solcell" in _stored_vectors(new.pk)[0]


@needs_postgresql
def test_the_action_search_reads_the_stored_vector_through_its_index(searchable):
    from django.contrib.postgres.search import SearchQuery

    from actionplan.models import Action

    queryset = engine.KINDS["action"].queryset()
    query = SearchQuery("cykel:*", search_type="raw", config="swedish")
    sql = str(queryset.annotate(v=engine.StoredVector("search_sv")).filter(v=query).query)
    assert '"actionplan_action"."search_sv" @@' in sql and "to_tsvector" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM actionplan_action "
            "WHERE search_sv @@ to_tsquery('swedish', 'cykel:*')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "search_action_sv_gin" in plan
    assert Action.objects.count() > 0
