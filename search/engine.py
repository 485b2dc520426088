"""Site search across the programme, its sub-targets and the public action plans.

One query per kind of content, in the visitor's language only (``title_sv`` for Swedish,
``title_en`` for English: an English query never matches Swedish text, and the reverse).

On PostgreSQL the database does the work: full-text search with the ``swedish`` or
``english`` configuration, ranked with ``ts_rank``, excerpts from ``ts_headline``. Every
word of the query must match, stemmed and as a prefix: Snowball stems "bostad" to "bost"
and "bostäder" to "bostäd", so only the prefix match lets the one find the other (and
"stat" finds "stationen" as a visitor types). Actions, the one kind that grows with the
database (10,000 in a plan), have stored vectors with a GIN index (``search_sv``,
``search_en``: columns the migration ``search/0001`` adds and a trigger keeps, PostgreSQL
only), so a search reads the index instead of computing ``to_tsvector`` for every action;
which actions are found is still ``Action.objects.public()``'s decision. The programme's own
kinds are a few hundred rows: their vectors are computed per query. On SQLite (local runs) a
plain ``icontains`` per word stands in, ranked in Python over the rows it found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Expression, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from actionplan.models import Action
from indicators.models import SubTarget
from programme.models import (
    Chapter,
    ChapterSection,
    DevelopmentGoal,
    Organisation,
    Programme,
    Strategy,
    SubStrategy,
)

# Longer queries are cut here: no one types more, and it bounds the work of the database.
MAX_QUERY_LENGTH = 200
# Words the SQLite fallback looks for at most (each word is one more LIKE per field).
MAX_TERMS = 8
DEFAULT_LIMIT = 20
TEXT_SEARCH_CONFIGS = {"sv": "swedish", "en": "english"}
LANGUAGES = tuple(TEXT_SEARCH_CONFIGS)

# ts_headline marks matches with these; they cannot come from a visitor (control characters
# are stripped from the query) and are swapped for <mark> only after the text is escaped.
_START, _STOP = "\x02", "\x03"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Letters and digits only: what is left cannot be a tsquery operator, a LIKE wildcard or markup.
_WORD = re.compile(r"[^\W_]+")
# Shorter words are matched whole: "by" as a prefix would match half the English text.
MIN_PREFIX_LENGTH = 3


def normalise_query(raw: str | None) -> tuple[str, bool]:
    """The query as searched, and whether it was shortened.

    Control characters (the NUL byte among them, which PostgreSQL refuses) become spaces;
    runs of white space collapse to one.
    """
    text = " ".join(_CONTROL_CHARACTERS.sub(" ", raw or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rstrip(), True
    return text, False


def search_language() -> str:
    language = (get_language() or "sv").split("-")[0]
    return language if language in LANGUAGES else "sv"


def _current_programme_id():
    """The programme the public pages show, as a subquery (no query of its own)."""
    return (
        Programme.objects.public()
        .exclude(status=Programme.Status.REPLACED)
        .order_by("-version_date")
        .values("pk")[:1]
    )


@dataclass(frozen=True)
class Kind:
    """One kind of searchable content: where it lives and how a hit links to its page."""

    key: str
    label: str
    queryset: Callable[[], QuerySet]
    title_field: str
    body_fields: tuple[str, ...]
    url: Callable[[object], str]
    meta: Callable[[object], str] = lambda obj: ""
    # Narrows to what a party (an organisation slug) is responsible for; kinds without it
    # belong to no party and are left out when a party is chosen.
    party: Callable[[QuerySet, str], QuerySet] | None = None
    # PostgreSQL: the stored vector columns' prefix (``search`` → ``search_sv``), if any.
    stored_vector: str | None = None

    def fields(self) -> tuple[str, ...]:
        return (self.title_field, *self.body_fields)


def _goals() -> QuerySet:
    return DevelopmentGoal.objects.public().filter(programme=_current_programme_id())


def _sub_targets() -> QuerySet:
    return (
        SubTarget.objects.public()
        .filter(goal__programme=_current_programme_id())
        .select_related("goal")
    )


def _strategies() -> QuerySet:
    return Strategy.objects.public().filter(programme=_current_programme_id())


def _sub_strategies() -> QuerySet:
    return (
        SubStrategy.objects.public()
        .filter(strategy__programme=_current_programme_id())
        .select_related("strategy")
    )


def _chapters() -> QuerySet:
    return Chapter.objects.public().filter(programme=_current_programme_id())


def _sections() -> QuerySet:
    return (
        ChapterSection.objects.public()
        .filter(chapter__programme=_current_programme_id())
        .select_related("chapter")
    )


def _actions() -> QuerySet:
    # Actions have no flag of their own: a public (adopted or superseded) plan makes them so.
    return Action.objects.public().select_related("plan", "lead_organisation")


def _involving_party(queryset: QuerySet, slug: str) -> QuerySet:
    """Led by the party or with it as co-responsible, as on the action plan's list."""
    return queryset.involving(Organisation.objects.filter(slug=slug).values("pk")[:1])


def _action_url(action) -> str:
    try:
        return action.get_absolute_url()
    except NoReverseMatch:  # until the action plan has a page per action
        return reverse("actionplan:index")


def _action_meta(action) -> str:
    parts = [str(action.plan.year)]
    if action.lead_organisation is not None:
        parts.append(action.lead_organisation.display_name)
    if action.plan.is_demo:
        parts.append("DEMO")
    return " · ".join(parts)


def _about_url(anchor: str) -> str:
    return f"{reverse('programme:about')}#{anchor}"


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind(
            key="goal",
            label=_("Development goals"),
            queryset=_goals,
            title_field="title",
            body_fields=("description",),
            url=lambda goal: goal.get_absolute_url(),
        ),
        Kind(
            key="sub_target",
            label=_("2030 sub-targets"),
            queryset=_sub_targets,
            title_field="statement",
            body_fields=("context", "indicator_name", "indicator_definition"),
            url=lambda sub_target: sub_target.get_absolute_url(),
            meta=lambda sub_target: sub_target.goal.title,
        ),
        Kind(
            key="strategy",
            label=_("Main strategies"),
            queryset=_strategies,
            title_field="title",
            body_fields=("short_title", "introduction"),
            url=lambda strategy: strategy.get_absolute_url(),
        ),
        Kind(
            key="sub_strategy",
            label=_("Sub-strategies"),
            queryset=_sub_strategies,
            title_field="title",
            body_fields=("text",),
            url=lambda sub: f"{sub.strategy.get_absolute_url()}#sub-{sub.slug}",
            meta=lambda sub: sub.strategy.title,
        ),
        Kind(
            key="chapter",
            label=_("Background chapters"),
            queryset=_chapters,
            title_field="title",
            body_fields=("introduction",),
            url=lambda chapter: _about_url(chapter.slug),
        ),
        Kind(
            key="section",
            label=_("Background sections"),
            queryset=_sections,
            title_field="title",
            body_fields=("body",),
            url=lambda section: _about_url(section.slug),
            meta=lambda section: section.chapter.title,
        ),
        Kind(
            key="action",
            label=_("Actions"),
            queryset=_actions,
            title_field="title",
            body_fields=("description",),
            url=_action_url,
            meta=_action_meta,
            party=_involving_party,
            stored_vector="search",
        ),
    ]
}


@dataclass
class Hit:
    kind: Kind
    obj: object
    title: str
    url: str
    excerpt: SafeString
    meta: str = ""
    rank: float = 0.0


@dataclass
class Group:
    kind: Kind
    hits: list[Hit] = field(default_factory=list)
    has_more: bool = False


@dataclass
class Results:
    query: str
    language: str
    groups: list[Group]
    shortened: bool = False

    @property
    def count(self) -> int:
        return sum(len(group.hits) for group in self.groups)


def parties() -> list[Organisation]:
    """The parties, for the filter (one query)."""
    return list(Organisation.objects.filter(is_party=True).order_by("order", "name"))


def search(
    raw_query: str | None,
    *,
    kinds: Iterable[str] | None = None,
    party: str | None = None,
    language: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Results:
    """Published content matching ``raw_query``: one query per kind searched.

    ``party`` (an organisation slug) restricts the search to the kinds that belong to a
    party (the actions); ``kinds`` to those keys.
    """
    query, shortened = normalise_query(raw_query)
    language = language if language in LANGUAGES else search_language()
    selected = [KINDS[key] for key in (kinds or KINDS) if key in KINDS]
    if party:
        selected = [kind for kind in selected if kind.party]
    groups = []
    if query:
        for kind in selected:
            hits, has_more = _search_kind(kind, query, language, party, limit)
            if hits:
                groups.append(Group(kind=kind, hits=hits, has_more=has_more))
    return Results(query=query, language=language, groups=groups, shortened=shortened)


def _search_kind(
    kind: Kind, query: str, language: str, party: str | None, limit: int
) -> tuple[list[Hit], bool]:
    queryset = kind.queryset()
    if party and kind.party:
        queryset = kind.party(queryset, party)
    if connection.vendor == "postgresql":
        rows = _postgresql(kind, queryset, query, language, limit)
    else:
        rows = _fallback(kind, queryset, query, language, limit)
    has_more = len(rows) > limit
    return rows[:limit], has_more


def _columns(kind: Kind, language: str) -> tuple[str, list[str]]:
    return f"{kind.title_field}_{language}", [f"{name}_{language}" for name in kind.body_fields]


def _hit(kind: Kind, obj, excerpt: SafeString, rank: float) -> Hit:
    # The plain attribute is modeltranslation's: the active language, Swedish as fallback.
    return Hit(
        kind=kind,
        obj=obj,
        title=getattr(obj, kind.title_field),
        url=kind.url(obj),
        excerpt=excerpt,
        meta=kind.meta(obj),
        rank=rank,
    )


class StoredVector(Expression):
    """A ``tsvector`` column of the queried table that is not a model field (see the module
    docstring), e.g. ``StoredVector("search_sv")``."""

    def __init__(self, column: str):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def _postgresql(kind: Kind, queryset: QuerySet, query: str, language: str, limit: int):
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    config = TEXT_SEARCH_CONFIGS[language]
    title, bodies = _columns(kind, language)
    if kind.stored_vector:
        vector = StoredVector(f"{kind.stored_vector}_{language}")
    else:
        vector = SearchVector(title, weight="A", config=config)
        if bodies:
            vector = vector + SearchVector(*bodies, weight="B", config=config)
    terms = terms_of(query)
    if not terms:
        return []
    # A raw tsquery built from plain words only, so no input can make it a syntax error;
    # to_tsquery stems each word with the configuration and keeps the prefix marker.
    raw = " & ".join(f"{term}:*" if len(term) >= MIN_PREFIX_LENGTH else term for term in terms)
    search_query = SearchQuery(raw, search_type="raw", config=config)
    # The excerpt comes from the first non-empty text field, the title when there is none.
    excerpt_source = Coalesce(*[NullIf(F(name), Value("")) for name in bodies], F(title))
    rows = (
        queryset.annotate(search_vector=vector)
        .filter(search_vector=search_query)
        .annotate(
            search_rank=SearchRank(F("search_vector"), search_query),
            search_headline=SearchHeadline(
                excerpt_source,
                search_query,
                config=config,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "pk")[: limit + 1]
    )
    return [
        _hit(kind, obj, _mark_sentinels(obj.search_headline or ""), obj.search_rank) for obj in rows
    ]


def _mark_sentinels(headline: str) -> SafeString:
    escaped = escape(headline)  # the text is the editors', the marks are ours
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def terms_of(query: str) -> list[str]:
    """Words of the query (letters and digits), the first few, without repeats."""
    seen: list[str] = []
    for word in _WORD.findall(query.lower()):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def _fallback(kind: Kind, queryset: QuerySet, query: str, language: str, limit: int):
    title, bodies = _columns(kind, language)
    terms = terms_of(query)
    if not terms:
        return []
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in (title, *bodies):
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    # Ranked in Python below, so the first rows by the model's order are the ones ranked.
    rows = list(queryset.filter(condition)[: limit * 3])
    hits = []
    for obj in rows:
        title_text = getattr(obj, title) or ""
        texts = [getattr(obj, name) or "" for name in bodies]
        body_text = next((text for text in texts if text), title_text)
        lowered_title, lowered_body = title_text.lower(), " ".join(texts).lower()
        rank = sum(3 * lowered_title.count(t) + lowered_body.count(t) for t in terms)
        hits.append(_hit(kind, obj, excerpt(body_text, terms), float(rank)))
    hits.sort(key=lambda hit: -hit.rank)
    return hits[: limit + 1]


def _word_window(text: str, start: int, width: int) -> tuple[int, int]:
    """About ``width`` characters of ``text`` from ``start``, both ends at word boundaries:
    a cut never falls inside a word (a single word longer than the window is kept whole)."""
    if start > 0 and not text[start - 1].isspace():
        space = next((i for i in range(start, len(text)) if text[i].isspace()), None)
        if space is not None and space - start < width // 2:
            start = space + 1
        else:  # back to the word's own start rather than into its middle
            start = max((i + 1 for i in range(start - 1, -1, -1) if text[i].isspace()), default=0)
    end = min(len(text), start + width)
    if end < len(text) and not text[end].isspace() and not text[end - 1].isspace():
        space = max((i for i in range(start, end) if text[i].isspace()), default=None)
        if space is not None and space > start:
            end = space
        else:
            end = next((i for i in range(end, len(text)) if text[i].isspace()), len(text))
    return start, end


def excerpt(text: str, terms: list[str], width: int = 220) -> SafeString:
    """About ``width`` characters of ``text`` around the first term, terms in <mark>, escaped,
    cut at word boundaries ("…" where text was left out)."""
    if not terms:
        start, end = _word_window(text, 0, width)
        return mark_safe(escape(text[:end].rstrip()) + (" …" if end < len(text) else ""))  # noqa: S308
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    start, end = _word_window(text, max(0, (first.start() if first else 0) - width // 3), width)
    window = text[start:end].strip()
    parts, position = [], 0
    for match in pattern.finditer(window):
        parts.append(escape(window[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(window[position:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308
