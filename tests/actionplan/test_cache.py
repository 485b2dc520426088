"""The action plan pages in the public-page cache: hits cost no query, every change that a
visitor could see invalidates at once, filters are cached per URL, staff bypass the cache."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actionplan.models import ActionPlan
from actionplan.resources import COLUMNS
from actionplan.services import plan_roll_forward
from flemingsberg.cache import content_version
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


def _url(name: str, language: str = "sv", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def adopted(make_plan, make_action):
    plan = make_plan(year=2026, status=ActionPlan.Status.ADOPTED)
    make_action(plan, "2026:01", lead="huddinge", title="Huddinges åtgärd")
    make_action(plan, "2026:02", lead="botkyrka", title="Botkyrkas åtgärd")
    return plan


def test_second_visit_of_the_plan_page_makes_no_query(visitor, adopted, django_assert_num_queries):
    url = _url("actionplan:index")
    first = visitor.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = visitor.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("actionplan:year", {"year": 2026}),
        ("actionplan:communication", {"year": 2026}),
        ("actionplan:compare", {}),
    ],
)
def test_every_plan_page_is_cached(visitor, adopted, django_assert_num_queries, name, kwargs):
    url = _url(name, **kwargs)
    assert visitor.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert visitor.get(url).status_code == 200


def test_a_page_reads_its_declared_parameters_and_nothing_else(
    visitor, adopted, django_assert_num_queries
):
    url = _url("actionplan:year", year=2026)
    everything = visitor.get(url)
    botkyrka = visitor.get(url + "?party=botkyrka")
    assert botkyrka.content != everything.content  # a declared filter is its own entry
    with django_assert_num_queries(0):
        again = visitor.get(url + "?utm_source=news&party=botkyrka&fbclid=1")
    assert again.content == botkyrka.content
    # A pager link never carries what was dropped.
    assert b"utm_source" not in again.content and b"fbclid" not in again.content


def test_action_page_is_cached(visitor, adopted, django_assert_num_queries):
    action = adopted.actions.get(number="2026:01")
    url = _url("actionplan:action", year=2026, pk=action.pk)
    assert visitor.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert "Huddinges åtgärd" in visitor.get(url).content.decode()


def test_filtered_lists_are_cached_per_full_url(visitor, adopted, django_assert_num_queries):
    url = _url("actionplan:index")
    unfiltered = visitor.get(url).content.decode()
    huddinge = visitor.get(url, {"party": "huddinge"}).content.decode()
    botkyrka = visitor.get(url, {"party": "botkyrka"}).content.decode()
    assert "Huddinges åtgärd" in unfiltered and "Botkyrkas åtgärd" in unfiltered
    assert "Huddinges åtgärd" in huddinge and "Botkyrkas åtgärd" not in huddinge
    assert "Botkyrkas åtgärd" in botkyrka and "Huddinges åtgärd" not in botkyrka
    with django_assert_num_queries(0):
        assert visitor.get(url, {"party": "huddinge"}).content.decode() == huddinge
        assert visitor.get(url, {"party": "botkyrka"}).content.decode() == botkyrka
        assert visitor.get(url).content.decode() == unfiltered


def test_languages_are_cached_apart(visitor, adopted, django_assert_num_queries):
    swedish_url, english_url = _url("actionplan:index", "sv"), _url("actionplan:index", "en")
    swedish, english = visitor.get(swedish_url), visitor.get(english_url)
    assert b'<html lang="sv">' in swedish.content and b'<html lang="en">' in english.content
    assert "Huddinges åtgärd" in swedish.content.decode()
    assert b"Action 2026:01" in english.content
    with django_assert_num_queries(0):
        assert visitor.get(english_url).content == english.content
        assert visitor.get(swedish_url).content == swedish.content


def test_adopting_a_plan_in_the_admin_shows_at_once(
    visitor, adopted, make_plan, make_action, make_staff
):
    new = make_plan(year=2027, status=ActionPlan.Status.PROPOSED, title="Handlingsplan 2027")
    make_action(new, "2027:01", title="Ny åtgärd 2027")
    index = _url("actionplan:index")
    assert "Ny åtgärd 2027" not in visitor.get(index).content.decode()
    assert visitor.get(_url("actionplan:year", year=2027)).status_code == 404
    response = _client(make_staff("editor")).post(
        reverse("admin:actionplan_actionplan_transition", args=[new.pk]),
        {
            "to_status": "adopted",
            "decision": coordination_decision("2026-12-01").pk,
        },
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.status == "adopted"
    # The index now shows the new plan, and the old one is marked superseded.
    assert "Ny åtgärd 2027" in visitor.get(index).content.decode()
    assert visitor.get(_url("actionplan:year", year=2027)).status_code == 200
    adopted.refresh_from_db()
    assert adopted.status == "superseded"


@pytest.mark.django_db(transaction=True)  # each bump waits for its transaction's commit
def test_an_import_and_a_roll_forward_invalidate_once_each(
    adopted, make_staff, parties, run_import
):
    editor = make_staff("editor")
    before = content_version()
    new_plan, carried = plan_roll_forward(plan=adopted, by=editor)
    assert carried == 2
    assert content_version() == before + 1
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerow(
        {"number": "2027:09", "title_sv": "Importerad", "lead_party": "huddinge", "goals": "mal-1"}
    )
    url = reverse("admin:actionplan_actionplan_import", args=[new_plan.pk])
    before = content_version()
    run = run_import(editor, url, out.getvalue().encode(), confirm=True)
    assert run.job.state == "imported", run.problems
    assert content_version() == before + 1


def test_an_imported_plan_shows_once_adopted(visitor, make_plan, make_staff, parties, run_import):
    editor = make_staff("editor")
    plan = make_plan(year=2026, status=ActionPlan.Status.PROPOSED)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerow(
        {"number": "2026:07", "title_sv": "Importerad", "lead_party": "huddinge", "goals": "mal-1"}
    )
    assert visitor.get(_url("actionplan:index")).status_code == 404
    url = reverse("admin:actionplan_actionplan_import", args=[plan.pk])
    run = run_import(editor, url, out.getvalue().encode(), confirm=True)
    assert run.job.state == "imported", run.problems
    _client(editor).post(
        reverse("admin:actionplan_actionplan_transition", args=[plan.pk]),
        {"to_status": "adopted", "decision": coordination_decision("2025-12-01").pk},
    )
    assert "Importerad" in visitor.get(_url("actionplan:index")).content.decode()


def test_a_generated_demo_plan_shows_at_once(visitor, programme_content):
    assert visitor.get(_url("actionplan:year", year=2090)).status_code == 404
    call_command("generate_demo_plan", actions=3, year=2090, stdout=io.StringIO())
    page = visitor.get(_url("actionplan:year", year=2090))
    assert page.status_code == 200
    assert "[DEMO] Åtgärd 3" in page.content.decode()


def test_staff_never_get_a_cached_page(visitor, adopted, make_plan, make_staff):
    make_plan(year=2027, status=ActionPlan.Status.DRAFT, title="Hemligt utkast 2027")
    url = _url("actionplan:year", year=2027)
    editor = _client(make_staff("editor"))
    assert visitor.get(url).status_code == 404
    assert "Hemligt utkast 2027" in editor.get(url).content.decode()
    assert visitor.get(url).status_code == 404
    # A page staff saw (with drafts and the staff bar) is not given to visitors, nor back.
    index = _url("actionplan:index")
    assert b"staff-bar" in editor.get(index).content
    assert b"staff-bar" not in visitor.get(index).content
    assert b"staff-bar" in editor.get(index).content
