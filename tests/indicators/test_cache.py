"""Indicator pages and open-data downloads in the public-page cache: hits cost no query,
publishing a value shows at once, downloads keep their headers, staff bypass the cache."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.models import Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


def _url(name: str, language: str = "sv", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_second_visit_of_the_overview_makes_no_query(
    visitor, sub_target, measure, django_assert_num_queries
):
    measure(sub_target, 2020, 1200)
    url = _url("indicators:overview")
    first = visitor.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = visitor.get(url)
    assert second.content == first.content


def test_sub_target_page_is_cached_per_language(
    visitor, sub_target, measure, django_assert_num_queries
):
    measure(sub_target, 2020, 1200, source_note="Källa SCB")
    swedish_url = _url("indicators:sub_target", slug=sub_target.slug)
    english_url = _url("indicators:sub_target", "en", slug=sub_target.slug)
    swedish, english = visitor.get(swedish_url), visitor.get(english_url)
    assert b'<html lang="sv">' in swedish.content and b'<html lang="en">' in english.content
    assert "bostäder" in swedish.content.decode() and b"homes" in english.content
    with django_assert_num_queries(0):
        assert visitor.get(swedish_url).content == swedish.content
        assert visitor.get(english_url).content == english.content


@pytest.mark.parametrize(
    "name, content_type, filename",
    [
        ("indicators:all_csv", "text/csv; charset=utf-8", "flemingsberg-2050-indicators.csv"),
        ("indicators:all_json", "application/json", None),
        (
            "indicators:sub_target_csv",
            "text/csv; charset=utf-8",
            "flemingsberg-2050-indicators-delmal-1.csv",
        ),
        ("indicators:sub_target_json", "application/json", None),
    ],
)
def test_cached_downloads_keep_their_headers(
    visitor, sub_target, measure, django_assert_num_queries, name, content_type, filename
):
    measure(sub_target, 2020, 1200)
    kwargs = {"slug": sub_target.slug} if name.startswith("indicators:sub_target") else {}
    url = reverse(name, kwargs=kwargs or None)
    first = visitor.get(url)
    with django_assert_num_queries(0):
        second = visitor.get(url)
    assert second.content == first.content
    assert b"1200" in second.content
    assert second["Content-Type"] == first["Content-Type"] == content_type
    if filename:
        assert second["Content-Disposition"] == f'attachment; filename="{filename}"'
    else:
        assert "Content-Disposition" not in second


def test_publishing_a_measurement_with_the_admin_action_shows_at_once(
    visitor, sub_target, measure, editor_client
):
    draft = measure(sub_target, 2021, 4321, published=False, source_note="Utkastkälla")
    url = _url("indicators:sub_target", slug=sub_target.slug)
    data_url = reverse("indicators:all_csv")
    assert "Utkastkälla" not in visitor.get(url).content.decode()
    assert b"4321" not in visitor.get(data_url).content
    # "Publish selected" is a QuerySet.update(): no signal, so the action says it itself.
    response = editor_client.post(
        reverse("admin:indicators_measurement_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    assert Measurement.objects.get(pk=draft.pk).is_published
    assert "Utkastkälla" in visitor.get(url).content.decode()
    assert b"4321" in visitor.get(data_url).content


def test_a_measurement_saved_in_the_admin_shows_at_once(visitor, sub_target, measure):
    value = measure(sub_target, 2021, 4321, published=False, source_note="Utkastkälla")
    url = _url("indicators:sub_target", slug=sub_target.slug)
    assert "Utkastkälla" not in visitor.get(url).content.decode()
    value.is_published = True
    value.save()
    assert "Utkastkälla" in visitor.get(url).content.decode()


def test_staff_never_get_a_cached_page(visitor, sub_target, measure, editor_client):
    measure(sub_target, 2021, 4321, published=False, source_note="Utkastkälla")
    sub_target.is_published = False
    sub_target.save()
    url = _url("indicators:sub_target", slug=sub_target.slug)
    assert visitor.get(url).status_code == 404
    staff_page = editor_client.get(url)
    assert staff_page.status_code == 200 and b"staff-bar" in staff_page.content
    assert visitor.get(url).status_code == 404
    overview = _url("indicators:overview")
    assert b"staff-bar" in editor_client.get(overview).content
    assert b"staff-bar" not in visitor.get(overview).content
    assert isinstance(editor_client, Client)
