"""Measurable 2030 sub-targets of the development goals, their measurements and progress.

How progress and status are worked out is described once, in ``progress.py``, and the
public method page renders the same description.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.links import cached_reverse
from programme import roles
from programme.models import (
    DevelopmentGoal,
    Organisation,
    Publishable,
    PublishableQuerySet,
)

from .progress import Progress, compute_progress

# The programme's span: the 2017 programme looks ahead to 2050.
FIRST_YEAR = 2017
LAST_YEAR = 2050


class SubTargetQuerySet(PublishableQuerySet):
    def for_programme(self, programme):
        return self.filter(goal__programme=programme)

    def with_published_measurements(self):
        """Each sub-target's published measurements in ``published_measurements`` (1 query)."""
        return self.prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.published(),
                to_attr="published_measurements",
            )
        )

    def with_status(self):
        """What a status shows: published measurements and published assessments, newest
        assessment first (``published_assessments``), in 2 queries."""
        return self.with_published_measurements().prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.published().select_related("author_organisation"),
                to_attr="published_assessments",
            )
        )

    def for_public_page(self, user=None):
        """Visible sub-targets of visible goals, with what their pages show, in 2 queries."""
        return (
            self.visible_to(user)
            .select_related("goal", "goal__programme", "measuring_organisation")
            .with_status()
        )

    def with_latest_period(self):
        """Each sub-target's newest year with a value entered, draft or published
        (``latest_period``, an aggregate in the same query)."""
        return self.annotate(latest_period=Max("measurements__period_year"))

    def values_due(self, *, today, within_days: int) -> list[ValueDue]:
        """The values to enter: missing (their due date has passed) or due within
        ``within_days``, earliest first, with the measuring organisation (one query)."""
        rows = self.with_latest_period().select_related("measuring_organisation", "goal")
        due = [row.value_due(today=today) for row in rows]
        horizon = today + timedelta(days=within_days)
        return sorted(
            (d for d in due if d is not None and d.due_on <= horizon),
            key=lambda d: (d.due_on, d.sub_target.goal.order, d.sub_target.order),
        )

    def modifiable_by(self, user):
        """Sub-targets whose measurements the user may enter (``programme.roles``: editors
        every one, a coordinator those their organisation measures)."""
        return roles.scope(user, "add", Measurement).filter(self)

    def owned_by(self, scope: roles.Scope):
        return self.filter(measuring_organisation=scope.organisation_id)


@dataclass(frozen=True)
class ValueDue:
    """The next value a sub-target's measuring organisation is to enter."""

    sub_target: SubTarget
    period_year: int
    due_on: datetime.date
    today: datetime.date

    @property
    def is_missing(self) -> bool:
        """Its due date has passed and it is not entered (not even as a draft)."""
        return self.due_on <= self.today


class SubTarget(Publishable):
    """A measurable sub-target for 2030 (mätbart delmål 2030) of a development goal."""

    public_parent = "goal"
    owner_field = "measuring_organisation"

    class Kind(models.TextChoices):
        ABSOLUTE = "absolute", _("Absolute number to reach")
        # "Minst 10 000 nya bostäder": new things counted from the programme's start, so the
        # baseline is zero by definition and the share of the target reached can be shown.
        NEW_COUNT = "new_count", _("Number of new things, counted from zero")
        SHARE = "share", _("Share in percent")
        MULTIPLE = "multiple", _("Multiple of the baseline")

    class Frequency(models.TextChoices):
        ANNUAL = "annual", _("Every year")
        EVERY_TWO_YEARS = "two_years", _("Every second year")
        IRREGULAR = "irregular", _("Irregularly")

    # PROTECT: a goal with sub-targets (and their measurements) is unpublished, not deleted.
    goal = models.ForeignKey(
        DevelopmentGoal,
        on_delete=models.PROTECT,
        related_name="sub_targets",
        verbose_name=_("development goal"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    statement = models.TextField(
        _("statement"), help_text=_("The sub-target as the programme words it.")
    )
    context = models.TextField(
        _("context"),
        blank=True,
        help_text=_(
            "Figures the programme gives for orientation that are not a baseline of this "
            "indicator, e.g. about 13,000 jobs within walking distance of the station in 2017."
        ),
    )

    indicator_name = models.CharField(
        _("indicator"), max_length=300, blank=True, help_text=_("What is measured.")
    )
    indicator_unit = models.CharField(
        _("unit"), max_length=80, blank=True, help_text=_("E.g. homes, jobs, %.")
    )
    indicator_definition = models.TextField(
        _("definition"),
        blank=True,
        help_text=_("How the indicator is defined: area, population, what counts."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ABSOLUTE)

    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only a value a source gives; leave empty when none is known."),
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_YEAR - 10), MaxValueValidator(LAST_YEAR)],
    )
    target_value = models.DecimalField(
        _("target value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The number to reach; a percentage for a share; the factor (2 = double) for a "
            "multiple of the baseline."
        ),
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        default=2030,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )

    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    measuring_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measured_sub_targets",
        verbose_name=_("measuring organisation"),
        help_text=_("Its coordinators may enter the measurements."),
    )
    frequency = models.CharField(
        _("measured"), max_length=20, choices=Frequency.choices, blank=True
    )
    next_value_due = models.DateField(_("next value due"), null=True, blank=True)

    objects = SubTargetQuerySet.as_manager()

    class Meta:
        ordering = ["goal__programme", "goal__order", "order"]
        verbose_name = _("2030 sub-target")
        verbose_name_plural = _("2030 sub-targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True, baseline_year__isnull=True)
                | Q(baseline_value__isnull=False, baseline_year__isnull=False),
                name="subtarget_baseline_value_and_year_together",
                violation_error_message=_("Give the baseline's value and year, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(target_year__gte=FIRST_YEAR, target_year__lte=LAST_YEAR),
                name="subtarget_target_year_in_programme_span",
            ),
            models.CheckConstraint(
                condition=~Q(kind="share")
                | Q(target_value__isnull=True)
                | Q(target_value__gte=0, target_value__lte=100),
                name="subtarget_share_target_is_a_percentage",
                violation_error_message=_("A share's target is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="multiple")
                | Q(target_value__isnull=True)
                | Q(target_value__gt=0),
                name="subtarget_multiple_target_is_positive",
                violation_error_message=_("A multiple of the baseline must be above 0."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="new_count")
                | Q(baseline_value__isnull=True)
                | Q(baseline_value=0),
                name="subtarget_new_count_baseline_is_zero",
                violation_error_message=_(
                    "A count of new things starts from zero: leave the baseline empty or 0."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def is_owned_by(self, scope: roles.Scope) -> bool:
        return self.measuring_organisation_id == scope.organisation_id

    def get_absolute_url(self) -> str:
        return cached_reverse("indicators:sub_target", slug=self.slug)

    FREQUENCY_YEARS = {Frequency.ANNUAL: 1, Frequency.EVERY_TWO_YEARS: 2}

    def value_due(self, *, today: datetime.date) -> ValueDue | None:
        """The next value to enter, or None (irregular, or nothing to go on, or entered).

        One rule: the value of a year is due once that year is over, on 1 January of the
        next. The year is the one after the newest value (or the baseline) by the
        frequency (every year, every second year); a "next value due" date an editor set
        wins, and names the value of the year before it. The value counts as entered once
        a measurement of that year (or a later one) exists, draft or published. Uses
        ``latest_period`` from ``with_latest_period()`` when it was annotated."""
        if hasattr(self, "latest_period"):
            latest = self.latest_period
        else:
            latest = self.measurements.aggregate(latest=Max("period_year"))["latest"]
        if self.next_value_due is not None:
            period_year, due_on = self.next_value_due.year - 1, self.next_value_due
        else:
            step = self.FREQUENCY_YEARS.get(self.frequency)
            start = latest if latest is not None else self.baseline_year
            if step is None or start is None:
                return None
            period_year = start + step
            due_on = datetime.date(period_year + 1, 1, 1)
        if latest is not None and latest >= period_year:
            return None
        return ValueDue(sub_target=self, period_year=period_year, due_on=due_on, today=today)

    @property
    def counts_from_zero(self) -> bool:
        """A count of new things: its baseline is zero by definition (at the programme's start)."""
        return self.kind == self.Kind.NEW_COUNT

    @property
    def display_decimals(self) -> int:
        """Decimals of a computed figure (target, projection): none for counts."""
        return 1 if self.kind == self.Kind.SHARE else 0

    @property
    def effective_baseline(self) -> Decimal | None:
        """The baseline the progress is measured from: zero for a count of new things."""
        if self.counts_from_zero:
            return Decimal(0)
        return self.baseline_value

    @property
    def value_range(self) -> tuple[Decimal, Decimal | None]:
        """The values the indicator can take: a share 0–100 %; every indicator of the
        programme else is a count or an amount (homes, jobs, residents, SEK, research
        centres), never below 0."""
        if self.kind == self.Kind.SHARE:
            return Decimal(0), Decimal(100)
        return Decimal(0), None

    @property
    def target_absolute(self):
        """The value to reach: for a multiple of the baseline, the baseline × the factor."""
        if self.target_value is None:
            return None
        if self.kind == self.Kind.MULTIPLE:
            if self.baseline_value is None:
                return None
            return self.baseline_value * self.target_value
        return self.target_value

    def get_published_measurements(self) -> list[Measurement]:
        """Uses the prefetch of ``with_published_measurements()`` when it was made."""
        if hasattr(self, "published_measurements"):
            return self.published_measurements
        return list(self.measurements.published())

    def get_published_assessments(self) -> list[Assessment]:
        """Newest first; uses the prefetch of ``with_status()`` when it was made."""
        if hasattr(self, "published_assessments"):
            return self.published_assessments
        return list(self.assessments.published().select_related("author_organisation"))

    @property
    def latest_assessment(self) -> Assessment | None:
        assessments = self.get_published_assessments()
        return assessments[0] if assessments else None

    @property
    def has_demo_values(self) -> bool:
        """Some published value is generated demo data: the page must say DEMO with it."""
        return any(m.is_demo for m in self.get_published_measurements())

    @property
    def last_changed(self):
        """When a published value or assessment of this sub-target last changed, or None."""
        stamps = [m.updated_at for m in self.get_published_measurements()]
        stamps += [a.updated_at for a in self.get_published_assessments()]
        return max(stamps, default=None)

    @cached_property
    def progress(self) -> Progress:
        return compute_progress(
            points=[(m.period_year, m.value) for m in self.get_published_measurements()],
            baseline=self.effective_baseline,
            target=self.target_absolute,
            target_year=self.target_year,
            needs_baseline_for_target=self.kind == self.Kind.MULTIPLE,
        )

    def contributing_actions(self):
        """The actions in public (adopted) plans that work towards this sub-target's goal.

        Reached through ``goal.actions`` so that this app does not import ``actionplan``;
        until that relation exists, and unless its QuerySet can say which actions are
        public, nothing is listed (drafts never leak).
        """
        manager = getattr(self.goal, "actions", None)
        if manager is None:
            return []
        queryset = manager.all()
        if not hasattr(queryset, "public"):
            return []
        # select_related: an action's URL names its plan's year. Newest plan first.
        return queryset.public().select_related("plan").order_by("-plan__year", "number", "pk")


class MeasurementQuerySet(PublishableQuerySet):
    def for_download(self):
        """Published values of published sub-targets, with what the open-data columns need."""
        return (
            self.public()
            .select_related("sub_target", "sub_target__goal")
            .order_by("sub_target__goal__order", "sub_target__order", "period_year")
        )

    def modifiable_by(self, user):
        return roles.scope(user, "change", Measurement).filter(self)

    def owned_by(self, scope: roles.Scope):
        return self.filter(sub_target__in=SubTarget.objects.owned_by(scope))


class Measurement(Publishable):
    """One value of a sub-target's indicator for one period (a year)."""

    public_parent = "sub_target"
    owner_field = "sub_target"

    sub_target = models.ForeignKey(
        SubTarget,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("2030 sub-target"),
    )
    period_year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=_("The year the value describes (2017–2050)."),
    )
    period_date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("The exact date of the value, when the source gives one."),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source_note = models.CharField(
        _("source note"),
        max_length=300,
        blank=True,
        help_text=_("Where the value comes from: table, survey, report."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="entered_measurements",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("A generated, fictitious value: always shown with a DEMO mark."),
    )
    # The review: coordinators enter drafts, a programme editor publishes (roles.may_publish).
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="reviewed_measurements",
        verbose_name=_("reviewed and published by"),
    )
    reviewed_at = models.DateTimeField(
        _("reviewed and published at"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()
    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["sub_target", "period_year"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["sub_target", "period_year"],
                name="measurement_one_value_per_period",
                violation_error_message=_("This sub-target has a value for this year already."),
            ),
            models.CheckConstraint(
                condition=Q(period_year__gte=FIRST_YEAR, period_year__lte=LAST_YEAR),
                name="measurement_year_in_programme_span",
                violation_error_message=_("The year must lie within the programme, 2017–2050."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sub_target.slug} {self.period_year}: {self.value}"

    def is_owned_by(self, scope: roles.Scope) -> bool:
        return self.sub_target_id is not None and self.sub_target.is_owned_by(scope)

    def clean(self):
        errors = {}
        if (
            self.period_date is not None
            and self.period_year is not None
            and self.period_date.year != self.period_year
        ):
            errors["period_date"] = _("The date must lie in the year of the value.")
        sub_target = getattr(self, "sub_target", None) if self.sub_target_id else None
        if sub_target is not None and self.value is not None:
            low, high = sub_target.value_range
            if self.value < low or (high is not None and self.value > high):
                errors["value"] = (
                    _("A share is a percentage from 0 to 100.")
                    if sub_target.kind == SubTarget.Kind.SHARE
                    else _(
                        "%(value)s is not a possible value of “%(indicator)s”: it is a "
                        "count or an amount, %(low)s or more."
                    )
                    % {
                        "value": self.value,
                        "indicator": sub_target.indicator_name or sub_target,
                        "low": low,
                    }
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Publishing is the review: who published the value and when, whichever way it
        # was published (the change form, the publish action); a draft has no review.
        reviewed = (self.reviewed_by_id, self.reviewed_at)
        if self.is_published and self.reviewed_at is None:
            self.reviewed_at = timezone.now()
            self.reviewed_by = getattr(self, "_history_user", None)
        elif not self.is_published:
            self.reviewed_at = self.reviewed_by = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and (self.reviewed_by_id, self.reviewed_at) != reviewed:
            kwargs["update_fields"] = {*update_fields, "reviewed_by", "reviewed_at"}
        super().save(*args, **kwargs)


class Assessment(Publishable):
    """An editor's dated judgement of a sub-target: "Når vi målet?" (Will we reach the target?).

    Besides the computed trend of the measurements, Swedish municipalities' goal follow-ups
    state a verdict (Ja / Nära / Nej), the direction things are moving and two short texts:
    what is being done, and what is needed. The newest published one is shown.
    """

    public_parent = "sub_target"

    class Verdict(models.TextChoices):
        YES = "yes", _("Yes")
        CLOSE = "close", _("Close")
        NO = "no", _("No")

    class Trend(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")

    sub_target = models.ForeignKey(
        SubTarget,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("2030 sub-target"),
    )
    assessed_on = models.DateField(_("date of the assessment"))
    verdict = models.CharField(
        _("will we reach the target?"), max_length=10, choices=Verdict.choices
    )
    trend = models.CharField(_("trend"), max_length=10, choices=Trend.choices)
    what_is_done = models.TextField(
        _("what is being done?"),
        blank=True,
        help_text=_("Briefly: the work under way that moves the sub-target."),
    )
    what_is_needed = models.TextField(
        _("what is needed?"),
        blank=True,
        help_text=_("Briefly: what more it takes to reach the target."),
    )
    author_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("assessed by"),
        help_text=_("The organisation that stands behind the assessment."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["sub_target", "-assessed_on", "-pk"]
        get_latest_by = ["assessed_on", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["sub_target", "assessed_on"],
                name="assessment_one_per_sub_target_and_day",
                violation_error_message=_(
                    "This sub-target has an assessment of this date already."
                ),
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=["yes", "close", "no"]),
                name="assessment_verdict_valid",
            ),
            models.CheckConstraint(
                condition=Q(trend__in=["positive", "neutral", "negative"]),
                name="assessment_trend_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sub_target.slug} {self.assessed_on}: {self.get_verdict_display()}"
