"""Texts that exist only in Swedish are marked so on English pages; lists in content."""

import pytest
from django.template import Context, Template
from django.utils import translation

from programme.models import Organisation

pytestmark = pytest.mark.django_db

TR = Template('{% load portal %}{% tr obj "name" %}|{% tr obj "former_name" block=True %}')


def test_english_page_marks_a_text_that_exists_only_in_swedish():
    organisation = Organisation.objects.create(
        slug="x", name_sv="Samhällsbyggnadsförvaltningen", name_en="", former_name_sv="Förr"
    )
    with translation.override("en"):
        html = TR.render(Context({"obj": organisation}))
    inline, block = html.split("|")
    assert inline == (
        '<span lang="sv">Samhällsbyggnadsförvaltningen</span> '
        '<span class="lang-note">(only in Swedish)</span>'
    )
    assert block.startswith('<div lang="sv"><p>Förr</p></div>')
    assert '<p class="lang-note">This text exists only in Swedish.</p>' in block


def test_translated_and_swedish_texts_are_not_marked():
    organisation = Organisation.objects.create(slug="y", name_sv="Huddinge kommun", name_en="")
    organisation.name_en = "Huddinge Municipality"
    organisation.save()
    with translation.override("en"):
        assert TR.render(Context({"obj": organisation})).split("|")[0] == "Huddinge Municipality"
    with translation.override("sv"):
        assert 'lang="sv"' not in TR.render(Context({"obj": organisation}))


def test_paragraphs_make_lists_of_dash_lines_and_escape():
    template = Template("{% load portal %}{{ text|paragraphs }}")
    text = "Före <b>:\n\n- Urban och grönskande\n- Tillgänglig\n\nEfter\nrad"
    html = template.render(Context({"text": text}))
    assert html == (
        "<p>Före &lt;b&gt;:</p>\n<ul><li>Urban och grönskande</li><li>Tillgänglig</li></ul>\n"
        "<p>Efter<br>rad</p>"
    )
