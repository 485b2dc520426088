"""``{% memoised %}``: a fragment rendered once per content version, language and parts for
visitors, and every time for staff who preview drafts."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils import translation

from flemingsberg.cache import content_changed

pytestmark = pytest.mark.django_db

FRAGMENT = Template(
    '{% load i18n memo %}{% memoised "test-fragment" part %}'
    "{% translate 'Search' %}:{{ counter.next }}{% endmemoised %}"
)


class Counter:
    def __init__(self):
        self.calls = 0

    def next(self):
        self.calls += 1
        return self.calls


def _render(user=None, part="a", counter=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return FRAGMENT.render(Context({"request": request, "part": part, "counter": counter}))


def test_a_visitors_fragment_is_rendered_once_per_content_version_and_part():
    counter = Counter()
    assert _render(counter=counter) == "Sök:1"
    assert _render(counter=counter) == "Sök:1"
    assert _render(part="b", counter=counter) == "Sök:2"
    content_changed()
    assert _render(counter=counter) == "Sök:3"


def test_each_language_has_its_own_fragment():
    counter = Counter()
    assert _render(counter=counter) == "Sök:1"
    with translation.override("en"):
        assert _render(counter=counter) == "Search:2"
    assert _render(counter=counter) == "Sök:1"


def test_staff_who_preview_drafts_get_theirs_rendered_each_time(editor):
    counter = Counter()
    assert _render(editor, counter=counter) == "Sök:1"
    assert _render(editor, counter=counter) == "Sök:2"
    # … and never from, nor into, the visitors' memo.
    assert _render(counter=counter) == "Sök:3"
    assert _render(editor, counter=counter) == "Sök:4"


def test_a_variable_set_inside_does_not_leak_out():
    template = Template(
        '{% load memo %}{% memoised "test-leak" %}{% url "programme:home" as home %}'
        "{% endmemoised %}[{{ home }}]"
    )
    assert template.render(Context({})) == "[]"


def test_it_needs_a_name():
    with pytest.raises(TemplateSyntaxError, match="takes a name"):
        Template("{% load memo %}{% memoised %}x{% endmemoised %}")
