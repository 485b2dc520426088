"""Template helpers every page and PDF shares: ``{% load portal %}``.

* Figures: ``number``, ``count``, ``percent``, ``sek``, ``sek_short`` and ``measure`` are
  the filters of :mod:`flemingsberg.formatting` (the one formatter of the portal).
* Texts that exist only in Swedish: ``{% tr obj "field" %}`` writes a translated field in
  the active language; when modeltranslation had to fall back to the Swedish text, the text
  is marked ``lang="sv"`` and a visible note says that it exists only in Swedish.
  ``{% tr obj "field" block=True %}`` does the same for paragraphs (``linebreaks``),
  ``{% tr plan "title" text=plan.display_title %}`` for a value derived from the field.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from flemingsberg import formatting
from flemingsberg.links import cached_reverse

register = template.Library()


@register.filter
def number(value):
    return formatting.format_number(value)


@register.filter
def count(value):
    return formatting.format_count(value)


@register.filter
def percent(value):
    return formatting.format_percent(value)


@register.filter
def sek(value):
    return formatting.format_amount(value)


@register.filter
def sek_short(value):
    return formatting.format_amount(value, compact=True)


@register.filter
def long_date(value):
    return formatting.format_date(value)


@register.filter
def month_year(value):
    return formatting.format_month(value)


@register.filter
def name_on(organisation, date):
    """An organisation as it was named on ``date``: ``{{ org|name_on:plan.names_on }}``."""
    if organisation is None:
        return ""
    return organisation.name_on(date or None)


@register.filter
def display_name_on(organisation, date):
    """The short name, or the name of the time: ``{{ org|display_name_on:plan.names_on }}``."""
    if organisation is None:
        return ""
    return organisation.display_name_on(date or None)


@register.filter
def measure(value, unit: str = ""):
    return formatting.format_measure(value, unit)


@register.filter
def measure_of(value, sub_target):
    """A computed figure (target, projection) of a sub-target, rounded as its kind needs:
    ``{{ progress.projected|measure_of:sub_target }}``."""
    return formatting.format_measure(
        value, sub_target.indicator_unit, decimals=sub_target.display_decimals
    )


@register.filter
def paragraphs(text: str) -> SafeString:
    """Like ``linebreaks``, but a block whose lines all start with "- " is a list, as the
    programme writes its lists ("… uppfattas som en stad som är:" and the three items)."""
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    html = []
    for block in filter(None, blocks):
        lines = block.split("\n")
        if all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:].strip(),) for line in lines))
            html.append(format_html("<ul>{}</ul>", items))
        else:
            joined = mark_safe("<br>".join(escape(line) for line in lines))  # noqa: S308
            html.append(format_html("<p>{}</p>", joined))
    return mark_safe("\n".join(html))  # noqa: S308 – every piece is escaped above


def only_in_default_language(obj, field: str) -> bool:
    """True when the page's language has no text of its own in ``obj.field`` but Swedish does
    (the text shown is then modeltranslation's fallback to Swedish)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if obj is None or language == default:
        return False
    own = getattr(obj, f"{field}_{language}", None)
    fallback = getattr(obj, f"{field}_{default}", None)
    return not own and bool(fallback)


@register.filter
def only_in_swedish(obj, field: str) -> bool:
    """``{% if action|only_in_swedish:"title" %}``."""
    return only_in_default_language(obj, field)


@register.simple_tag
def tr(obj, field: str, block: bool = False, text=None):
    """``text`` shows something else than the field (``plan.display_title`` for the title,
    with its DEMO mark) while the field decides whether it exists only in Swedish."""
    value = (getattr(obj, field, "") if text is None else text) or ""
    text = paragraphs(value) if block else value
    if not only_in_default_language(obj, field):
        return format_html("{}", text)
    if block:
        return format_html(
            '<div lang="sv">{}</div><p class="lang-note">{}</p>',
            text,
            _("This text exists only in Swedish."),
        )
    return format_html(
        '<span lang="sv">{}</span> <span class="lang-note">({})</span>',
        text,
        _("only in Swedish"),
    )


# (URL name, label) of each item of the main menu.
MAIN_MENU = (
    ("programme:home", gettext_lazy("The programme")),
    ("programme:about", gettext_lazy("About the programme")),
    ("actionplan:index", gettext_lazy("Action plan")),
    ("indicators:overview", gettext_lazy("Indicators")),
    ("programme:history", gettext_lazy("History")),
)


@register.simple_tag(takes_context=True)
def main_menu(context) -> SafeString:
    """The main menu, the item of the page itself marked ``aria-current``: a few remembered
    URLs (``cached_reverse``) rather than five ``{% url %}`` tags on every page."""
    request = context.get("request")
    path = request.path if request is not None else None
    items = format_html_join(
        "\n",
        '<li><a href="{}"{}>{}</a></li>',
        (
            (url, mark_safe(' aria-current="page"') if url == path else "", label)
            for url, label in ((cached_reverse(name), label) for name, label in MAIN_MENU)
        ),
    )
    return format_html(
        '<nav class="main-nav" aria-label="{}">\n<ul class="wrap">\n{}\n</ul>\n</nav>',
        _("Main menu"),
        items,
    )
