"""The remembered reverse() behind the models' URLs: one answer per language and arguments."""

from django.urls import reverse
from django.utils import translation

from flemingsberg.links import cached_reverse


def test_it_answers_as_reverse_in_each_language():
    for language in ("sv", "en"):
        with translation.override(language):
            for slug in ("stad", "gron"):
                expected = reverse("programme:goal", kwargs={"slug": slug})
                assert cached_reverse("programme:goal", slug=slug) == expected
    with translation.override("en"):
        assert cached_reverse("programme:goal", slug="stad").startswith("/en/")
    with translation.override("sv"):
        assert not cached_reverse("programme:goal", slug="stad").startswith("/en/")


def test_arguments_are_part_of_the_key():
    first = cached_reverse("actionplan:action", year=2026, pk=1)
    second = cached_reverse("actionplan:action", pk=2, year=2026)
    assert first != second
    assert second == reverse("actionplan:action", kwargs={"year": 2026, "pk": 2})
