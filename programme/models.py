"""The development programme itself: versions, vision, goals, strategies, background.

Every text a reader sees is registered for translation in ``translation.py``
(Swedish is the default and the fallback language).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from flemingsberg.cache import memoised, memoised_each
from flemingsberg.links import cached_reverse

from . import roles


def memoised_for(user, name: str, compute, *parts):
    """``compute()`` as ``user`` sees it: one value per content version and language shared
    by everyone who sees only public rows (``flemingsberg.cache.memoised``); staff who preview
    drafts (``roles.may_preview_drafts``) always work theirs out, since drafts are in it.

    The one home of that rule for every memoised public value. A memoised value is shared by
    the requests of a process: read it, never change it."""
    if roles.may_preview_drafts(user):
        return compute()
    return memoised(name, compute, *parts)


def memoised_each_for(user, name: str, keys, compute, *parts) -> dict:
    """``memoised_for`` for many values of one kind at once (``memoised_each``): the values
    of ``keys``, ``compute(missing)`` working out those not held; all of them for staff who
    preview drafts."""
    if roles.may_preview_drafts(user):
        return compute(list(keys))
    return memoised_each(name, keys, compute, *parts)


class PublishableQuerySet(models.QuerySet):
    """Shared by every public model: drafts never reach anonymous visitors."""

    def published(self):
        """Rows whose own flag is set (see ``public()`` for what visitors may see)."""
        return self.filter(is_published=True)

    def public(self):
        """What anonymous visitors may see: published, and the parent public too (a goal of
        an unpublished programme is not public). The model names its parent in
        ``public_parent``; each level builds on the one above (``public_q``)."""
        return self.filter(self.public_q())

    def public_q(self, prefix: str = "") -> Q:
        """``public()`` as a condition on the rows ``prefix`` leads to (``"goal__"`` from a
        sub-target): this row published and its parent's ``public_q`` one step further.
        Joins along the foreign keys rather than nested ``IN`` subqueries: the same rows,
        at a fraction of the cost of compiling the query (a page builds ten of them)."""
        condition = Q(**{f"{prefix}is_published": True})
        parent = getattr(self.model, "public_parent", None)
        if parent:
            parent_model = self.model._meta.get_field(parent).related_model
            condition &= parent_model.objects.public_q(f"{prefix}{parent}__")
        return condition

    def visible_below(self, user):
        """Rows reached from a parent already fetched through ``visible_to(user)`` (a
        prefetch): staff see them all, everyone else the published ones – the parent's
        own visibility is settled, so it is not checked again."""
        if roles.may_preview_drafts(user):
            return self
        return self.published()

    def visible_to(self, user):
        """Staff preview drafts on the public pages; everyone else sees public rows."""
        if roles.may_preview_drafts(user):
            return self
        return self.public()


class Publishable(models.Model):
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published content is shown to visitors; drafts are visible to staff."),
    )

    class Meta:
        abstract = True


class Organisation(models.Model):
    """One of the three parties, or another actor the programme names."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Municipality")
        UNIVERSITY = "university", _("University or college")
        HOSPITAL = "hospital", _("Hospital")
        AUTHORITY = "authority", _("Government agency")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    former_name = models.CharField(
        _("former name"),
        max_length=200,
        blank=True,
        help_text=_("Earlier name, e.g. Stockholms läns landsting until 2019."),
    )
    former_name_until = models.PositiveSmallIntegerField(
        _("former name used until (year)"),
        null=True,
        blank=True,
        help_text=_(
            "The year the current name took effect (1 January); content from before it "
            "shows the former name."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_party = models.BooleanField(
        _("party to the programme"),
        default=False,
        help_text=_("The parties own the programme and the action plan."),
    )
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["-is_party", "order", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def by_pk(cls) -> dict[int, Organisation]:
        """Every organisation by its pk, one query per content version and language
        (``memoised``): a few dozen rows that pages name again and again, and with no drafts
        among them the same for visitors and staff. Shared: read them, never change them."""
        return memoised("organisations", cls.objects.in_bulk)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def display_name_on(self, date: datetime.date | None) -> str:
        """The short name, or the former name on a date before the change of name."""
        name = self.name_on(date)
        return self.display_name if name == self.name else name

    def name_on(self, date: datetime.date | None) -> str:
        """The organisation's name on ``date``: content from before the change of name shows
        the name it had then (Stockholms läns landsting before 2019), in the active language.
        The current name takes effect on 1 January of ``former_name_until``."""
        if (
            isinstance(date, datetime.date)
            and self.former_name
            and self.former_name_until
            and date.year < self.former_name_until
        ):
            return self.former_name
        return self.name


class ProgrammeQuerySet(PublishableQuerySet):
    def current(self) -> Programme | None:
        """The newest programme in this queryset that has not been replaced."""
        return self.exclude(status=Programme.Status.REPLACED).order_by("-version_date").first()


class Programme(Publishable):
    """One version of the development programme (2007, Flemingsberg 2050, …)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTATION = "consultation", _("Consultation version")
        ADOPTED = "adopted", _("Adopted")
        REPLACED = "replaced", _("Replaced")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Preface or short summary.")
    )
    strategy_introduction = models.TextField(
        _("introduction to the strategies"),
        blank=True,
        help_text=_("Opening text of the strategy chapter, shown before the main strategies."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version_date = models.DateField(_("version date"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    decision = models.CharField(
        _("decision"),
        max_length=300,
        blank=True,
        help_text=_("Who adopted it, e.g. the political steering group."),
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    owners = models.ManyToManyField(
        Organisation, verbose_name=_("owners"), related_name="programmes", blank=True
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-version_date"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.title} ({self.version_date:%Y})"

    @classmethod
    def current_for(cls, user) -> Programme | None:
        """The current programme as ``user`` may see it. Every public page of the programme
        and the indicators asks first, so a visitor's is found once per content version
        (``memoised``; what a page then reads through it, such as the vision, stays with it
        until the next change)."""
        return memoised_for(
            user, "current-programme", lambda: cls.objects.visible_to(user).current()
        )


class MainTask(Publishable):
    """A main task (huvuduppgift) of the 2007 programme."""

    public_parent = "programme"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="main_tasks", verbose_name=_("programme")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "order"]
        verbose_name = _("main task")
        verbose_name_plural = _("main tasks")

    def __str__(self) -> str:
        return self.title


class Vision(Publishable):
    public_parent = "programme"

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="vision", verbose_name=_("programme")
    )
    heading = models.CharField(_("heading"), max_length=300)
    text = models.TextField(_("text"))

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visions")

    def __str__(self) -> str:
        return self.heading


class DevelopmentGoalQuerySet(PublishableQuerySet):
    def for_programme(self, programme):
        # In the programme's order: the same as Meta.ordering within one programme, without
        # the join to the programme table that ordering by "programme" costs every query.
        return self.filter(programme=programme).order_by("order")

    def with_sub_targets(self, user=None):
        """Goals with their visible 2030 sub-targets and what those targets' status shows:
        published measurements (``published_measurements``) and published assessments,
        newest first (``published_assessments``), in three extra queries.

        The sub-target, measurement and assessment models live in ``indicators``; they are
        reached through the reverse relations so that this app does not import that one.
        """
        sub_target_model = self.model.sub_targets.rel.related_model
        measurement_model = sub_target_model.measurements.rel.related_model
        assessment_model = sub_target_model.assessments.rel.related_model
        # Ordered by their own columns: the Meta orderings ("goal__programme", "sub_target")
        # would join two or three tables to each of these queries for the same order.
        sub_targets = (
            sub_target_model.objects.visible_below(user)
            .select_related("measuring_organisation")
            .order_by("order")
            .prefetch_related(
                Prefetch(
                    "measurements",
                    queryset=measurement_model.objects.filter(is_published=True).order_by(
                        "period_year"
                    ),
                    to_attr="published_measurements",
                ),
                Prefetch(
                    "assessments",
                    queryset=assessment_model.objects.filter(is_published=True)
                    .select_related("author_organisation")
                    .order_by("-assessed_on", "-pk"),
                    to_attr="published_assessments",
                ),
            )
        )
        return self.prefetch_related(Prefetch("sub_targets", queryset=sub_targets))


class DevelopmentGoal(Publishable):
    """One of the five overall development goals for 2050."""

    public_parent = "programme"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="goals", verbose_name=_("programme")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    objects = DevelopmentGoalQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "order"]
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="goal_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return cached_reverse("programme:goal", slug=self.slug)

    @classmethod
    def listed_for(cls, programme: Programme, user) -> list[DevelopmentGoal]:
        """``programme``'s goals as ``user`` may see them, in order, with their sub-targets
        and those targets' status (``with_sub_targets``), each goal's ``programme`` set.

        The home, about, goal and indicator pages all read this list: a visitor's is fetched
        once per content version and language (``memoised_for``), four queries, so that the
        next page the page cache does not hold finds it ready."""

        def goals() -> list[DevelopmentGoal]:
            listed = list(
                cls.objects.visible_to(user).for_programme(programme).with_sub_targets(user)
            )
            for goal in listed:
                goal.programme = programme
            return listed

        return memoised_for(user, "programme-goals", goals, programme.pk)


class StrategyQuerySet(PublishableQuerySet):
    def for_programme(self, programme):
        return self.filter(programme=programme).order_by("order")  # as for goals

    def with_sub_strategies(self, user=None):
        return self.prefetch_related(
            Prefetch(
                "sub_strategies", queryset=SubStrategy.objects.visible_below(user).order_by("order")
            )
        )


class Strategy(Publishable):
    """One of the three main strategies (huvudstrategier)."""

    public_parent = "programme"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="strategies", verbose_name=_("programme")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(
        _("short title"), max_length=200, blank=True, help_text=_("E.g. “Urban och grönskande”.")
    )
    introduction = models.TextField(_("introduction"), blank=True)
    goals = models.ManyToManyField(
        DevelopmentGoal,
        verbose_name=_("goals served"),
        related_name="strategies",
        blank=True,
        help_text=_("The development goals this strategy leads to."),
    )

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "order"]
        verbose_name = _("main strategy")
        verbose_name_plural = _("main strategies")
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="strategy_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return cached_reverse("programme:strategy", slug=self.slug)

    @classmethod
    def listed_for(cls, programme: Programme, user) -> list[Strategy]:
        """``programme``'s strategies as ``user`` may see them, in order, with their
        sub-strategies and the ids of the goals they lead to (``goal_ids``): the home, about,
        goal and strategy pages read this list, fetched once per content version for
        visitors (``memoised_for``), three queries."""

        def strategies() -> list[Strategy]:
            listed = list(
                cls.objects.visible_to(user)
                .for_programme(programme)
                .with_sub_strategies(user)
                .prefetch_related(Prefetch("goals", queryset=DevelopmentGoal.objects.only("pk")))
            )
            for strategy in listed:
                strategy.programme = programme
                strategy.goal_ids = {goal.pk for goal in strategy.goals.all()}
            return listed

        return memoised_for(user, "programme-strategies", strategies, programme.pk)


class SubStrategy(Publishable):
    public_parent = "strategy"

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="sub_strategies",
        verbose_name=_("main strategy"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "order"]
        verbose_name = _("sub-strategy")
        verbose_name_plural = _("sub-strategies")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="substrategy_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class ChapterQuerySet(PublishableQuerySet):
    def for_programme(self, programme):
        return self.filter(programme=programme).order_by("number")  # as for goals

    def with_sections(self, user=None):
        return self.prefetch_related(
            Prefetch(
                "sections", queryset=ChapterSection.objects.visible_below(user).order_by("order")
            )
        )


class Chapter(Publishable):
    """A chapter of the programme, numbered as in the source (1–5 of Flemingsberg 2050).

    Chapters 1, 2 and 5 are background text in sections; chapter 3 holds the vision and
    the development goals, chapter 4 the strategies (their own models): pages and PDFs show
    those where the chapter stands, so the source's numbering and order are kept.
    """

    #: The chapters whose content is the vision and goals, and the strategies.
    GOALS_CHAPTER = 3
    STRATEGIES_CHAPTER = 4

    public_parent = "programme"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("chapter number"))
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("background chapter")
        verbose_name_plural = _("background chapters")
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="chapter_slug_unique"),
            models.UniqueConstraint(fields=["programme", "number"], name="chapter_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def holds_goals(self) -> bool:
        return self.number == self.GOALS_CHAPTER

    @property
    def holds_strategies(self) -> bool:
        return self.number == self.STRATEGIES_CHAPTER


def programme_outline(chapters) -> list[tuple[str, Chapter | None]]:
    """The programme in the source's order, as ``(kind, chapter)``: ``"chapter"`` for a
    chapter of text, ``"goals"`` for the vision and goals and ``"strategies"`` for the
    strategies, where chapters 3 and 4 stand. A programme without those chapter rows still
    gets its goals and strategies, at the same places (``chapter`` is then None)."""
    chapters = list(chapters)
    parts: list[tuple[str, Chapter | None]] = []
    missing = [
        (Chapter.GOALS_CHAPTER, "goals"),
        (Chapter.STRATEGIES_CHAPTER, "strategies"),
    ]
    missing = [(n, kind) for n, kind in missing if not any(c.number == n for c in chapters)]
    for chapter in chapters:
        while missing and missing[0][0] < chapter.number:
            parts.append((missing.pop(0)[1], None))
        kind = (
            "goals"
            if chapter.holds_goals
            else "strategies"
            if chapter.holds_strategies
            else "chapter"
        )
        parts.append((kind, chapter))
    parts += [(kind, None) for _number, kind in missing]
    return parts


class ChapterSection(Publishable):
    """A section of a chapter; trends and challenges are sections of their own kind."""

    public_parent = "chapter"

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        TREND = "trend", _("Trend")
        CHALLENGE = "challenge", _("Challenge")
        GOVERNANCE = "governance", _("Follow-up and governance")
        URBAN_DEVELOPMENT_PLAN = "urban_development_plan", _("Urban development plan")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="sections", verbose_name=_("chapter")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.TEXT)
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), help_text=_("Paragraphs separated by a blank line."))
    source_has_map = models.BooleanField(
        _("the source shows a map here"),
        default=False,
        help_text=_(
            "The printed programme shows a map with this section; the portal does not "
            "reproduce it and says so where the section is shown."
        ),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["chapter", "order"]
        verbose_name = _("chapter section")
        verbose_name_plural = _("chapter sections")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "slug"], name="section_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class SourceCorrection(models.Model):
    """An obvious typo of a programme's source document that the portal's text corrects.

    The portal carries the source's wording; these are the only places where it differs,
    listed publicly on the history page (and checked against ``sources/`` by the tests).
    ``original`` and ``corrected`` quote the Swedish text as it stands.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="source_corrections",
        verbose_name=_("programme"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    original = models.CharField(
        _("in the source"), max_length=200, help_text=_("The words as the source has them.")
    )
    corrected = models.CharField(
        _("in the portal"), max_length=200, help_text=_("The words as the portal has them.")
    )
    location = models.CharField(
        _("where"), max_length=300, help_text=_("Chapter and section, and how many places.")
    )

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("correction of the source")
        verbose_name_plural = _("corrections of the source")

    def __str__(self) -> str:
        return f"{self.original} → {self.corrected}"


class RegionalCityCore(Publishable):
    """One of the eight outer regional city cores of RUF 2010."""

    public_parent = "programme"

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="regional_cores",
        verbose_name=_("programme"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("outer regional city core")
        verbose_name_plural = _("outer regional city cores")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="regional_core_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class StaffMembership(models.Model):
    """Which organisation a staff user works for, and in what role."""

    Role = roles.Role

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="sv",
        help_text=_("The language of the e-mail the portal sends them (reminders)."),
    )

    class Meta:
        ordering = ["organisation", "user__username"]
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class DecisionQuerySet(models.QuerySet):
    def of_coordination_group(self):
        return self.filter(body=Decision.Body.COORDINATION_GROUP, kind=Decision.Kind.DECISION)

    def with_names(self):
        return self.select_related("organisation", "programme")


class Decision(models.Model):
    """A decision (or a proposal for one, when the sources record only that) of the political
    coordination group, the 2007 political steering group, or a party's board or council:
    who, when, under which paragraph of the minutes and reference number.

    An action plan rests on the decision that adopted it (``ActionPlan.decision``); a
    programme version carries the decisions taken on it, one per party and kind.
    """

    class Body(models.TextChoices):
        COORDINATION_GROUP = "coordination_group", _("Political coordination group")
        STEERING_GROUP = "steering_group", _("Political steering group")
        PARTY = "party", _("A party's board or council")

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        PROPOSAL = "proposal", _("Proposal for a decision")

    body = models.CharField(_("body"), max_length=30, choices=Body.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("party"),
        help_text=_("Only for a party's board or council."),
    )
    body_name = models.CharField(
        _("name of the board or council"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Kommunfullmäktige or Landstingsstyrelsen; only for a party's body."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.DECISION,
        help_text=_(
            "A proposal for a decision, when the sources record only the proposal and not "
            "the decision itself."
        ),
    )
    date = models.DateField(_("date"))
    minutes_paragraph = models.CharField(
        _("paragraph of the minutes"),
        max_length=50,
        blank=True,
        help_text=_("E.g. § 14."),
    )
    reference_number = models.CharField(
        _("reference number (diarienummer)"), max_length=100, blank=True
    )
    text = models.TextField(
        _("what was decided"),
        blank=True,
        help_text=_("The decision's wording, or a summary in the source's words."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the decision is recorded, e.g. the minutes or a memo."),
    )
    url = models.URLField(_("link"), blank=True, help_text=_("The minutes or the decision."))
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("programme version decided on"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "body", "organisation__order"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(body="party", organisation__isnull=False, body_name__gt="")
                | (~Q(body="party") & Q(organisation__isnull=True)),
                name="decision_party_body_named",
            ),
            models.CheckConstraint(
                condition=Q(body__in=["coordination_group", "steering_group", "party"]),
                name="decision_body_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["decision", "proposal"]), name="decision_kind_valid"
            ),
            # A programme version carries one decision (and one proposal) per party.
            models.UniqueConstraint(
                fields=["programme", "organisation", "kind"],
                condition=Q(programme__isnull=False, organisation__isnull=False),
                name="decision_one_per_party_and_programme",
                violation_error_message=_(
                    "This programme version already has a decision of this kind by this party."
                ),
            ),
        ]

    def __str__(self) -> str:
        from flemingsberg.formatting import format_date

        return f"{self.body_label} {format_date(self.date)}"

    @property
    def is_proposal(self) -> bool:
        return self.kind == self.Kind.PROPOSAL

    @property
    def is_of_coordination_group(self) -> bool:
        return self.body == self.Body.COORDINATION_GROUP and self.kind == self.Kind.DECISION

    @property
    def body_label(self) -> str:
        """Who decided, in the active language: "Politiska samordningsgruppen",
        "Kommunfullmäktige, Huddinge kommun" (the party named as it was on the date)."""
        if self.body == self.Body.PARTY and self.organisation_id is not None:
            return f"{self.body_name}, {self.organisation.name_on(self.date)}"
        return str(self.get_body_display())

    @property
    def reference_parts(self) -> list[str]:
        """ "§ 14", "dnr KS-2026/123": what identifies the decision in the minutes."""
        parts = []
        if self.minutes_paragraph:
            parts.append(self.minutes_paragraph)
        if self.reference_number:
            parts.append(_("ref. %(number)s") % {"number": self.reference_number})
        return parts

    def summary(self) -> str:
        """One line: "Politiska samordningsgruppen 12 november 2026, § 14, dnr …"."""
        from flemingsberg.formatting import format_date

        return ", ".join([f"{self.body_label} {format_date(self.date)}", *self.reference_parts])

    # What a plan's adoption froze: once an adopted plan rests on the decision, these no
    # longer change (an English rendering, the source and the link may still be added).
    FROZEN_COLUMNS = (
        "body",
        "organisation_id",
        "body_name_sv",
        "kind",
        "date",
        "minutes_paragraph",
        "reference_number",
        "text_sv",
        "programme_id",
    )

    def is_frozen(self) -> bool:
        """An adopted (or superseded) plan rests on this decision (through the reverse
        relation: this app does not import the action plans)."""
        if self.pk is None:
            return False
        return any(plan.is_frozen for plan in self.action_plans.all())

    def frozen_changes(self) -> list[str]:
        if not self.is_frozen():
            return []
        stored = type(self)._default_manager.filter(pk=self.pk).values(*self.FROZEN_COLUMNS)[0]
        return [c for c, value in stored.items() if getattr(self, c) != value]

    def clean(self):
        errors = {}
        for column in self.frozen_changes():
            name = column.removesuffix("_id")
            field = self._meta.get_field(name.removesuffix("_sv"))
            errors.setdefault(name, []).append(
                _(
                    "An adopted plan rests on this decision: “%(field)s” is part of what was "
                    "decided and cannot change."
                )
                % {"field": field.verbose_name}
            )
        if self.body == self.Body.PARTY:
            if self.organisation_id is None:
                errors.setdefault("organisation", []).append(
                    _("Name the party whose board or council decided.")
                )
            if not (self.body_name or "").strip():
                errors.setdefault("body_name", []).append(
                    _("Name the board or council, e.g. Kommunfullmäktige.")
                )
        elif self.organisation_id is not None:
            errors.setdefault("organisation", []).append(
                _("Only a party's board or council is named with a party; leave it empty.")
            )
        if errors:
            raise ValidationError(errors)
