import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _get(client: Client, path: str, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def _titles(page) -> list[str]:
    return [row["title"] for row in page["results"]]


# --- content and drafts -------------------------------------------------------------------


def test_goals_are_published_only(visitor, open_data):
    page = _get(visitor, "/goals/")
    assert _titles(page) == ["En levande stad"]
    assert page["results"][0]["sub_targets"] == ["bostader-2030"]


def test_unpublished_goal_is_a_404(visitor, open_data):
    from programme.models import DevelopmentGoal

    draft = DevelopmentGoal.objects.get(slug="utkast")
    assert visitor.get(f"{API}/goals/{draft.pk}/").status_code == 404


def test_strategies_with_sub_strategies(visitor, open_data):
    strategy = _get(visitor, "/strategies/")["results"][0]
    assert strategy["title"] == "Urban och grönskande"
    assert [sub["slug"] for sub in strategy["sub_strategies"]] == ["stationen"]


def test_sub_targets_carry_published_measurements_only(visitor, open_data):
    sub_target = _get(visitor, "/sub-targets/bostader-2030/")
    assert sub_target["measurements"] == [
        {"year": 2020, "date": None, "value": 1200.0, "source_note": ""}
    ]
    assert sub_target["url"].startswith("http://testserver/")


def test_only_public_plans_and_their_actions(visitor, open_data):
    plans = _get(visitor, "/action-plans/")
    assert [plan["year"] for plan in plans["results"]] == [2026]
    actions = _get(visitor, "/actions/")
    assert sorted(_titles(actions)) == [
        "Cykelstråk till Riksten",
        "Planera fler bostäder vid stationen",
    ]
    draft_plan = open_data["draft_plan"]
    assert visitor.get(f"{API}/action-plans/{draft_plan.pk}/").status_code == 404
    draft_action = draft_plan.actions.get()
    assert visitor.get(f"{API}/actions/{draft_action.pk}/").status_code == 404


def test_action_has_status_and_follow_ups(visitor, open_data):
    action = _get(visitor, f"/actions/{open_data['huddinge_action'].pk}/")
    assert action["plan_year"] == 2026
    assert action["lead_organisation"] == "huddinge"
    assert action["goals"] == ["stad"]
    assert action["status"] == "planned"
    assert action["follow_ups"] == [
        {
            "date": "2026-06-01",
            "status": "ongoing",
            "progress": 40,
            "text": "Två detaljplaner är på samråd.",
        }
    ]


def test_links_to_drafts_are_left_out(visitor, open_data):
    from programme.models import DevelopmentGoal

    action = open_data["huddinge_action"]
    action.goals.add(DevelopmentGoal.objects.get(slug="utkast"))
    assert _get(visitor, f"/actions/{action.pk}/")["goals"] == ["stad"]


# --- languages ----------------------------------------------------------------------------


def test_swedish_by_default(visitor, open_data):
    response = visitor.get(f"{API}/goals/")
    assert response["Content-Language"] == "sv"
    assert _titles(response.json()) == ["En levande stad"]


def test_lang_parameter_chooses_english(visitor, open_data):
    response = visitor.get(f"{API}/goals/", {"lang": "en"})
    assert response["Content-Language"] == "en"
    goal = response.json()["results"][0]
    assert goal["title"] == "A living city"
    assert "bostäder" not in goal["description"]


def test_accept_language_chooses_english(open_data):
    client = Client(headers={"accept-language": "en-GB,en;q=0.9"})
    assert _titles(_get(client, "/goals/")) == ["A living city"]
    # ?lang= wins over the header.
    assert _titles(_get(client, "/goals/", lang="sv")) == ["En levande stad"]


def test_unknown_lang_falls_back_to_swedish(visitor, open_data):
    assert _titles(_get(visitor, "/goals/", lang="xx")) == ["En levande stad"]


def test_untranslated_text_is_empty_not_swedish(visitor, open_data):
    from programme.models import Strategy

    Strategy.objects.filter(slug="urban").update(introduction_en="")
    strategy = _get(visitor, "/strategies/", lang="en")["results"][0]
    assert strategy["introduction"] == ""


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"party": "huddinge"}, ["Planera fler bostäder vid stationen"]),
        ({"party": "region-stockholm"}, ["Cykelstråk till Riksten"]),  # co-responsible
        ({"goal": "stad"}, ["Planera fler bostäder vid stationen"]),
        (
            {"year": "2026", "status": "planned"},
            ["Cykelstråk till Riksten", "Planera fler bostäder vid stationen"],
        ),
        ({"year": "2027"}, []),
        ({"status": "completed"}, []),
        ({"strategy": "urban"}, []),
    ],
)
def test_action_filters(visitor, open_data, params, expected):
    assert sorted(_titles(_get(visitor, "/actions/", **params))) == expected


def test_strategy_filter_includes_sub_strategies(visitor, open_data):
    from programme.models import SubStrategy

    open_data["botkyrka_action"].sub_strategies.add(SubStrategy.objects.get(slug="stationen"))
    assert _titles(_get(visitor, "/actions/", strategy="urban")) == ["Cykelstråk till Riksten"]


def test_other_filters(visitor, open_data):
    assert _titles(_get(visitor, "/action-plans/", year="2026")) == ["Handlingsplan 2026"]
    assert _get(visitor, "/sub-targets/", goal="stad")["count"] == 1
    assert _get(visitor, "/sub-targets/", goal="utkast")["count"] == 0
    assert _get(visitor, "/strategies/", goal="stad")["count"] == 0
    assert _get(visitor, "/goals/", programme="flemingsberg-2050")["count"] == 1
    assert _get(visitor, "/organisations/", is_party="true")["count"] == 3


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/actions/", {"status": "nonsense"}),
        ("/actions/", {"year": "abc"}),
        ("/actions/", {"year": "2026.5"}),
        ("/action-plans/", {"status": "draft"}),  # drafts are not a choice
        ("/actions/", {"party": "nobody"}),
        ("/actions/", {"goal": "nonsense"}),
    ],
)
def test_invalid_filter_is_a_400_naming_it(visitor, open_data, path, params):
    response = visitor.get(f"{API}{path}", params)
    assert response.status_code == 400
    assert set(params) & set(response.json())


def test_huge_year_is_no_error(visitor, open_data):
    assert _get(visitor, "/actions/", year="9" * 30)["count"] == 0


# --- pagination, query counts -------------------------------------------------------------


def test_pagination(visitor, open_data):
    first = _get(visitor, "/actions/", page_size="1")
    assert first["count"] == 2 and len(first["results"]) == 1
    assert "page=2" in first["next"]
    second = visitor.get(first["next"]).json()
    assert second["next"] is None and len(second["results"]) == 1
    assert visitor.get(f"{API}/actions/", {"page": "99"}).status_code == 404
    assert visitor.get(f"{API}/actions/", {"page": "abc"}).status_code == 404
    # Too large a page size is capped, not an error.
    assert len(_get(visitor, "/actions/", page_size="100000")["results"]) == 2


def test_action_list_query_count_does_not_grow(visitor, open_data, django_assert_num_queries):
    from actionplan.models import Action

    plan = open_data["adopted_plan"]
    for number in range(3, 13):
        Action.objects.create(plan=plan, number=f"2026:{number:02}", title=f"Åtgärd {number}")
    # count, actions (+ plan, lead party), co-responsible, goals, strategies, follow-ups
    with django_assert_num_queries(6):
        assert _get(visitor, "/actions/")["count"] == 12


def test_sub_target_list_query_count(visitor, open_data, django_assert_num_queries):
    # count, sub-targets (+ goal, measuring organisation), measurements
    with django_assert_num_queries(3):
        _get(visitor, "/sub-targets/")


# --- read only, CORS, throttling ----------------------------------------------------------


def test_read_only(visitor, open_data):
    assert visitor.post(f"{API}/goals/", {}).status_code == 405
    assert visitor.delete(f"{API}/actions/{open_data['huddinge_action'].pk}/").status_code == 405


def test_cors_open_for_reading(open_data):
    client = Client(headers={"origin": "https://example.org"})
    response = client.get(f"{API}/goals/")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(f"{API}/goals/", headers={"access-control-request-method": "GET"})
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    # The portal's pages send no CORS headers.
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_anonymous_clients_are_throttled(visitor, open_data, settings):
    settings.API_ANON_THROTTLE_RATE = "2/minute"
    assert visitor.get(f"{API}/goals/").status_code == 200
    assert visitor.get(f"{API}/goals/").status_code == 200
    response = visitor.get(f"{API}/goals/")
    assert response.status_code == 429
    assert "Retry-After" in response


# --- schema and docs ----------------------------------------------------------------------


def test_schema_is_openapi_3_and_documents_lang(visitor, db):
    response = visitor.get(f"{API}/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    parameters = schema["paths"]["/api/v1/actions/"]["get"]["parameters"]
    names = {parameter["name"] for parameter in parameters}
    assert {"lang", "page", "page_size", "year", "goal", "strategy", "party", "status"} <= names


def test_docs_are_served_by_the_portal_without_inline_script(visitor, db):
    response = visitor.get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style>" not in html and "style=" not in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert 'src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in html
    script = visitor.get(f"{API}/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
