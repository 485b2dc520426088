"""The per-language cache of public pages: hits cost no query, edits invalidate, staff bypass."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from flemingsberg.cache import content_changed, content_version
from programme.models import DevelopmentGoal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


def test_second_visit_is_served_from_the_cache_without_a_query(
    visitor, programme_content, django_assert_num_queries
):
    goal = programme_content.goals.first()
    first = visitor.get(goal.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = visitor.get(goal.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    # Headers come from the middleware each time, not from the cached copy.
    assert "frame-ancestors 'none'" in second["Content-Security-Policy"]
    assert second["Content-Type"] == first["Content-Type"]


def test_an_edit_in_the_admin_invalidates_the_cached_page(
    editor_client, visitor, programme_content
):
    goal = programme_content.goals.first()
    assert goal.title_sv in visitor.get(goal.get_absolute_url()).content.decode()
    response = editor_client.post(
        reverse("admin:programme_developmentgoal_change", args=[goal.pk]),
        {
            "programme": goal.programme_id,
            "order": goal.order,
            "slug": goal.slug,
            "title_sv": "Ny svensk titel",
            "title_en": "New English title",
            "description_sv": goal.description_sv,
            "description_en": goal.description_en,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert "Ny svensk titel" in visitor.get(goal.get_absolute_url()).content.decode()
    # The home page lists the goal too: every page was invalidated, not only the goal's.
    assert "Ny svensk titel" in visitor.get(reverse("programme:home")).content.decode()


def test_unpublishing_removes_the_page_at_once(visitor, programme_content):
    goal = programme_content.goals.first()
    assert visitor.get(goal.get_absolute_url()).status_code == 200
    goal.is_published = False
    goal.save()
    assert visitor.get(goal.get_absolute_url()).status_code == 404


def test_staff_never_get_a_cached_page(editor_client, visitor, programme_content):
    goal = programme_content.goals.first()
    goal.is_published = False
    goal.save()
    # A draft: staff see it (a preview), visitors do not.
    assert visitor.get(goal.get_absolute_url()).status_code == 404
    staff_page = editor_client.get(goal.get_absolute_url())
    assert staff_page.status_code == 200
    assert b"staff-bar" in staff_page.content
    # The home page as staff saw it (drafts, staff bar) is not served to visitors, nor back.
    editor_client.get(reverse("programme:home"))
    assert b"staff-bar" not in visitor.get(reverse("programme:home")).content
    assert b"staff-bar" in editor_client.get(reverse("programme:home")).content


def test_languages_are_cached_apart(visitor, programme_content, django_assert_num_queries):
    goal = programme_content.goals.first()
    # Compute both URLs first: a test-client request leaves its language active in this thread.
    swedish_url = goal.get_absolute_url()
    with translation.override("en"):
        english_url = goal.get_absolute_url()
    swedish = visitor.get(swedish_url)
    english = visitor.get(english_url)
    assert swedish.content != english.content
    assert b'lang="sv"' in swedish.content and b'<html lang="en">' in english.content
    with django_assert_num_queries(0):
        assert visitor.get(english_url).content == english.content
        assert visitor.get(swedish_url).content == swedish.content


def test_post_is_never_cached(visitor, programme_content):
    url = reverse("programme:home")
    visitor.get(url)
    assert visitor.post(url).status_code in {403, 405, 200}
    assert visitor.head(url).status_code == 200


def test_not_found_is_not_cached(visitor, build_programme):
    assert visitor.get("/mal/finns-inte/").status_code == 404
    build_programme(goals=1)
    assert visitor.get(reverse("programme:goal", args=["mal-1"])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_content_changed_starts_a_new_version():
    before = content_version()
    content_changed()
    assert content_version() == before + 1


def test_caching_is_off_when_the_lifetime_is_zero(settings, visitor, programme_content):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    visitor.get(reverse("programme:home"))
    response = visitor.get(reverse("programme:home"))
    assert response.status_code == 200
    # Rendered again (a page from the cache renders no template). Not "it ran queries": what
    # the page reads is memoised per content version and needs none the second time.
    assert "programme/home.html" in [template.name for template in response.templates]


def test_publishing_with_the_admin_action_invalidates(editor_client, visitor, programme_content):
    goal = programme_content.goals.first()
    goal.is_published = False
    goal.save()
    assert visitor.get(goal.get_absolute_url()).status_code == 404
    # "Publish selected" is a QuerySet.update(): no signal, so the action says it itself.
    response = editor_client.post(
        reverse("admin:programme_developmentgoal_changelist"),
        {"action": "publish", "_selected_action": [goal.pk]},
    )
    assert response.status_code == 302
    assert visitor.get(goal.get_absolute_url()).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_transaction_bumps_the_shared_version_once_on_commit():
    # Other processes go on reading the old rows until the commit; one bump then retires
    # whatever they cached, however many rows the transaction wrote.
    before = content_version()
    with transaction.atomic():
        content_changed()
        content_changed()
        with transaction.atomic():  # a savepoint, as import-export makes per row
            content_changed()
        assert content_version() == before
    assert content_version() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_bumps_nothing():
    before = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        content_changed()
        raise RuntimeError("rolled back")
    assert content_version() == before


@pytest.mark.django_db(transaction=True)
def test_the_writing_process_never_serves_a_page_cached_before_its_change(visitor, build_programme):
    build_programme(goals=1)
    goal = DevelopmentGoal.objects.get()
    url = goal.get_absolute_url()
    assert visitor.get(url).status_code == 200
    with transaction.atomic():
        DevelopmentGoal.objects.filter(pk=goal.pk).update(title_sv="Ändrad, inte sparad än")
        content_changed()
        # Not yet committed: the shared version stands, yet this process shows its change ...
        assert "Ändrad, inte sparad än" in visitor.get(url).content.decode()
        # ... and leaves it in no shared entry that other processes would read.
        assert cache.get(_key_of(url), version=content_version()) is not None
        assert "Ändrad" not in cache.get(_key_of(url), version=content_version())[0].decode()
    assert "Ändrad, inte sparad än" in visitor.get(url).content.decode()


# --- the key: the parameters a page reads, nothing else -----------------------------------


def _key_of(path: str) -> str:
    from flemingsberg.cache import _page_key

    request = RequestFactory().get(path)
    with translation.override("sv"):
        return _page_key(request, request.META["QUERY_STRING"])


@pytest.mark.parametrize(
    "suffix", ["?utm_source=x", "?fbclid=IwAR0abc", "?utm_source=x&utm_medium=mail", "?x=1"]
)
def test_tracking_and_unknown_parameters_hit_the_same_entry(
    visitor, programme_content, django_assert_num_queries, suffix
):
    url = reverse("programme:home")
    first = visitor.get(url)
    with django_assert_num_queries(0):
        tracked = visitor.get(url + suffix)
    assert tracked.status_code == 200
    assert tracked.content == first.content


@pytest.mark.django_db(transaction=True)
def test_utm_source_adds_no_shared_entry(visitor, build_programme):
    build_programme(goals=1)
    url = reverse("programme:home")
    cache.clear()
    visitor.get(url)
    entries = len(cache._cache)  # LocMemCache in the tests: the shared level's entries
    visitor.get(url + "?utm_source=x")
    visitor.get(url + "?fbclid=abc&utm_campaign=y")
    assert len(cache._cache) == entries


# --- the in-process level in front of the shared cache ---------------------------------------


def test_a_repeated_hit_needs_neither_a_query_nor_the_shared_cache(
    visitor, programme_content, monkeypatch, django_assert_num_queries, settings
):
    from flemingsberg import cache as page_cache

    # The version memo must not expire between the two visits (a first render can take 1 s).
    settings.PUBLIC_PAGE_VERSION_SECONDS = 600

    url = reverse("programme:home")
    first = visitor.get(url)

    def shared_cache_is_down(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(page_cache.cache, "get", shared_cache_is_down)
    with django_assert_num_queries(0):
        second = visitor.get(url)
    assert second.content == first.content


def test_another_process_change_is_seen_once_the_version_memo_expires(
    visitor, programme_content, settings, monkeypatch
):
    from django.core.cache import cache

    from flemingsberg import cache as page_cache

    settings.PUBLIC_PAGE_VERSION_SECONDS = 1.0
    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    page_cache._local.forget_version()  # a memo read on the real clock would never expire
    goal = programme_content.goals.first()
    url = goal.get_absolute_url()
    visitor.get(url)
    # Another process edits the goal: the row changes and the shared version goes up, but
    # nothing in this process is told.
    type(goal).objects.filter(pk=goal.pk).update(title_sv="Ändrad i en annan process")
    cache.incr(page_cache.VERSION_KEY)

    clock[0] += 0.5
    assert "Ändrad i en annan process" not in visitor.get(url).content.decode()
    clock[0] += 1.0
    assert "Ändrad i en annan process" in visitor.get(url).content.decode()


def test_the_in_process_level_holds_a_bounded_number_of_pages(visitor, programme_content, settings):
    from flemingsberg import cache as page_cache

    settings.PUBLIC_PAGE_LOCAL_ENTRIES = 2
    for goal in programme_content.goals.all():
        visitor.get(goal.get_absolute_url())
    assert len(page_cache._local.pages) == 2
