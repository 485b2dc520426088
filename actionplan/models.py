"""Annual action plans (handlingsplaner) of the programme.

A plan belongs to one programme and one year and covers that year and the two after.
Its lifecycle is draft → proposed → adopted → superseded; once adopted its content
(titles, descriptions, owners, goals) is frozen while follow-up (status, progress,
updates) goes on. Texts a reader sees are registered for translation in
``translation.py``, which also registers the models for history (django-simple-history
must see the translated columns, so it is registered after modeltranslation).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from flemingsberg.links import cached_reverse
from programme import roles
from programme.models import (
    Decision,
    DevelopmentGoal,
    Organisation,
    Programme,
    Strategy,
    SubStrategy,
)

PLAN_SPAN_YEARS = 3


def _demo_marked(title: str, is_demo: bool) -> str:
    return f"[DEMO] {title}" if is_demo and not title.startswith("[DEMO]") else title


def translated_columns(model, name: str, *, attname: bool = False) -> list[str]:
    """The fields that hold a field: ``title`` → ``title_sv``, ``title_en`` when
    modeltranslation registered it, else the field itself (``lead_organisation_id`` for a
    foreign key with ``attname``)."""
    columns = [
        f"{name}_{code}"
        for code, _label in settings.LANGUAGES
        if any(f.name == f"{name}_{code}" for f in model._meta.concrete_fields)
    ]
    if columns:
        return columns
    field = model._meta.get_field(name)
    return [field.attname if attname and not field.many_to_many else field.name]


class DecisionContent:
    """A row that is part of an adopted plan's decision: once its plan is adopted (or
    superseded), the ``DECISION_FIELDS`` no longer change, and with ``WHOLE_ROW`` rows are
    neither added nor deleted. The one place that decides what the decision covers:
    ``clean()`` refuses a change (admin, import, history revert and any other path that
    validates), ``delete()`` refuses a deletion, and the admin derives its read-only
    fields from ``decision_columns()``.
    """

    DECISION_FIELDS: tuple[str, ...] = ()
    #: the row itself (adding, deleting) is part of the decision
    WHOLE_ROW = False
    #: from this model to its plan, as a lookup path ("" for the plan itself)
    PLAN_PATH = "plan"

    @classmethod
    def decision_columns(cls) -> list[str]:
        """Form field names of the decision: translated fields as their language columns."""
        return [column for name in cls.DECISION_FIELDS for column in translated_columns(cls, name)]

    def _plan_of(self, instance) -> ActionPlan | None:
        for step in self.PLAN_PATH.split("__") if self.PLAN_PATH else ():
            if getattr(instance, f"{step}_id", None) is None:
                return None
            instance = getattr(instance, step)
        return instance

    def _stored_decision(self) -> dict | None:
        """The stored values of the decision's own columns, with the stored plan's status."""
        if self.pk is None:
            return None
        status_path = f"{self.PLAN_PATH}__status" if self.PLAN_PATH else "status"
        columns = [
            c
            for name in self.DECISION_FIELDS
            if not self._meta.get_field(name).many_to_many
            for c in translated_columns(type(self), name, attname=True)
        ]
        return (
            type(self)
            ._default_manager.filter(pk=self.pk)
            .values(*columns, stored_plan_status=models.F(status_path))
            .first()
        )

    def is_decided(self) -> bool:
        """True when the stored row, or the plan a new row is going into, is adopted."""
        stored = self._stored_decision()
        if stored is not None:
            return stored["stored_plan_status"] in ActionPlan.FROZEN_STATUSES
        plan = self._plan_of(self)
        return plan is not None and plan.status in ActionPlan.FROZEN_STATUSES

    def decision_changes(self, m2m: dict | None = None) -> list[str]:
        """The decision's columns this unsaved state changes, compared with the stored row;
        ``m2m`` maps many-to-many field names to the proposed related objects (a form's
        cleaned data), since those are not on the instance before it is saved."""
        stored = self._stored_decision()
        if stored is None:
            return []
        changed = [
            column
            for column, value in stored.items()
            if column != "stored_plan_status" and getattr(self, column) != value
        ]
        for name, proposed in (m2m or {}).items():
            if name not in self.DECISION_FIELDS:
                continue
            current = set(getattr(self, name).values_list("pk", flat=True))
            if current != {getattr(obj, "pk", obj) for obj in proposed}:
                changed.append(name)
        return changed

    def decision_errors(self, m2m: dict | None = None) -> dict[str, list]:
        """What an adopted decision refuses in this unsaved state, by form field."""
        stored = self._stored_decision()
        if stored is None:
            if self.WHOLE_ROW and self.is_decided():
                return {
                    (self.PLAN_PATH.split("__")[0] or NON_FIELD_ERRORS): [
                        _(
                            "The plan is adopted: nothing can be added to what it decided. "
                            "Only follow-up goes on."
                        )
                    ]
                }
            return {}
        if stored["stored_plan_status"] not in ActionPlan.FROZEN_STATUSES:
            target = self._plan_of(self)
            moved_in = target is not None and target.status in ActionPlan.FROZEN_STATUSES
            if self.PLAN_PATH and moved_in:
                return {
                    self.PLAN_PATH.split("__")[0]: [
                        _("The plan is adopted: nothing can be moved into it.")
                    ]
                }
            return {}
        form_fields = {f.name for f in self._meta.fields} | {
            f.name for f in self._meta.many_to_many
        }
        errors: dict[str, list] = {}
        for column in self.decision_changes(m2m):
            name = column if column in form_fields else column.removesuffix("_id")
            label = self._meta.get_field(name).verbose_name
            errors.setdefault(name, []).append(
                _(
                    "The plan is adopted: “%(field)s” is part of the decision and cannot "
                    "change. Only follow-up goes on."
                )
                % {"field": label}
            )
        return errors

    def clean_decision(self, m2m: dict | None = None) -> None:
        errors = self.decision_errors(m2m)
        if errors:
            raise ValidationError(errors)

    def refuse_decided_delete(self) -> None:
        if self.WHOLE_ROW and self.pk is not None and self.is_decided():
            raise ValidationError(
                _("%(object)s is part of an adopted plan's decision and cannot be deleted.")
                % {"object": self}
            )


class ActionPlanQuerySet(models.QuerySet):
    def public(self):
        """Adopted and superseded plans: what anonymous visitors may see.

        Demo plans are public too once adopted (they exist for screenshots and load
        tests), and every page showing one carries a DEMO banner; ``latest_adopted``
        prefers a real plan over a demo one.
        """
        return self.filter(self.public_q())

    def public_q(self, prefix: str = "") -> Q:
        """``public()`` as a condition on the plans ``prefix`` leads to (``"plan__"``),
        joined to the programme's own (``PublishableQuerySet.public_q``)."""
        return Q(**{f"{prefix}status__in": ActionPlan.PUBLIC_STATUSES}) & (
            Programme.objects.public_q(f"{prefix}programme__")
        )

    def visible_to(self, user):
        """Staff preview drafts and proposals; everyone else sees public plans."""
        if roles.may_preview_drafts(user):
            return self
        return self.public()

    def for_programme(self, programme):
        return self.filter(programme=programme)

    def preferred_first(self):
        """Newest year first and, within a year, a real plan before a demo one: the order in
        which a page without a year looks for its plan (``latest_adopted``, the plan pages),
        with what every plan page shows of it."""
        return self.select_related("programme", "decision__organisation").order_by(
            "is_demo", "-year", "-pk"
        )

    def latest_adopted(self) -> ActionPlan | None:
        return self.filter(status=ActionPlan.Status.ADOPTED).preferred_first().first()


class ActionPlan(DecisionContent, models.Model):
    """The action plan of one year, covering that year and the two after it."""

    # What the adoption decided about the plan itself; its status still moves on
    # (adopted → superseded) through a recorded transition.
    DECISION_FIELDS = (
        "programme",
        "year",
        "title",
        "notes",
        "decision",
        "status_as_of",
        "predecessor",
        "is_demo",
    )
    PLAN_PATH = ""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed to the political coordination group")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    PUBLIC_STATUSES = (Status.ADOPTED, Status.SUPERSEDED)
    FROZEN_STATUSES = (Status.ADOPTED, Status.SUPERSEDED)
    # Adopted plans are carried out and followed up (a superseded one's last follow-up too).
    FOLLOW_UP_STATUSES = (Status.ADOPTED, Status.SUPERSEDED)
    # Which moves a programme editor may make; superseding happens when the next
    # year's plan is adopted (see services.transition_plan), or by hand.
    TRANSITIONS = {
        Status.DRAFT: (Status.PROPOSED,),
        Status.PROPOSED: (Status.DRAFT, Status.ADOPTED),
        Status.ADOPTED: (Status.SUPERSEDED,),
        Status.SUPERSEDED: (),
    }

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("programme"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The plan covers this year and the two following years.")
    )
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("decision"),
        help_text=_("The decision that adopted the plan (the political coordination group's)."),
    )
    status_as_of = models.DateField(
        _("statuses as of"),
        null=True,
        blank=True,
        help_text=_(
            "The date the actions' statuses describe, when the plan is only known from a "
            "document of that date (the 2007 plan: July 2007)."
        ),
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("previous plan"),
    )
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Generated demo content, not real: always shown with a DEMO banner."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "is_demo"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        permissions = [("transition_actionplan", _("Can move an action plan between states"))]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "is_demo"], name="actionplan_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "proposed", "adopted", "superseded"]),
                name="actionplan_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "superseded"]) | Q(decision__isnull=False),
                name="actionplan_adopted_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.year})"

    def get_absolute_url(self) -> str:
        return cached_reverse("actionplan:year", year=self.year)

    @property
    def display_title(self) -> str:
        """The title, marked [DEMO] for a demo plan (once, even if the title says so)."""
        return _demo_marked(self.title, self.is_demo)

    @property
    def end_year(self) -> int:
        return self.year + PLAN_SPAN_YEARS - 1

    @property
    def years(self) -> range:
        return range(self.year, self.year + PLAN_SPAN_YEARS)

    @property
    def is_frozen(self) -> bool:
        """Adopted content is the decision: it no longer changes, only its follow-up."""
        return self.status in self.FROZEN_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def decision_is_on_programme(self) -> bool:
        """The plan rests on a decision about its programme version, not on one adopting the
        plan itself (the 2007 plan: the steering group approved the programme)."""
        return self.decision_id is not None and self.decision.programme_id is not None

    @property
    def names_on(self) -> datetime.date:
        """The date whose names the plan's organisations carry (Stockholms läns landsting
        in a plan from before 2019): its statuses' date, its decision's, or its first year."""
        if self.status_as_of:
            return self.status_as_of
        if self.decision_id is not None:
            return self.decision.date
        return datetime.date(self.year, 1, 1)

    def allowed_transitions(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.Status(self.status)]

    def clean(self):
        errors = self.decision_errors()
        if self.status in self.FROZEN_STATUSES and self.decision_id is None:
            errors.setdefault("decision", []).append(
                _("An adopted plan needs the decision that adopted it.")
            )
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        if self.pk is not None and self.is_decided():
            raise ValidationError(
                _("The plan %(plan)s is adopted: it is a decision and cannot be deleted.")
                % {"plan": self}
            )
        return super().delete(*args, **kwargs)


class PlanTransition(models.Model):
    """One move of a plan between states: who, when, from and to."""

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("action plan"),
    )
    from_status = models.CharField(
        _("from status"),
        max_length=20,
        choices=ActionPlan.Status.choices,
        blank=True,
        help_text=_("Empty when the plan was created."),
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=ActionPlan.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]
        verbose_name = _("plan transition")
        verbose_name_plural = _("plan transitions")

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status} → {self.to_status}"


class Quarter(models.IntegerChoices):
    Q1 = 1, "Q1"
    Q2 = 2, "Q2"
    Q3 = 3, "Q3"
    Q4 = 4, "Q4"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


def _progress_in_range(prefix: str = "") -> Q:
    return Q(**{f"{prefix}progress__isnull": True}) | Q(
        **{f"{prefix}progress__gte": 0, f"{prefix}progress__lte": 100}
    )


class ActionQuerySet(models.QuerySet):
    # What a list row shows (for_listing): number, title, status, progress; the plan's year
    # (the action's URL) and DEMO mark; the lead party whole (its name on a date).
    LISTED_FIELDS = (
        *("number", "title", "title_sv", "title_en", "status", "progress"),
        *("plan__year", "plan__is_demo", "lead_organisation"),
    )

    def in_plan(self, plan):
        return self.filter(plan=plan)

    def public(self):
        """Actions of public plans (built on ``ActionPlan.objects.public_q()``)."""
        return self.filter(self.public_q())

    def public_q(self, prefix: str = "") -> Q:
        return ActionPlan.objects.public_q(f"{prefix}plan__")

    def visible_to(self, user):
        if roles.may_preview_drafts(user):
            return self
        return self.public()

    def modifiable_by(self, user):
        """The actions a user may change (``programme.roles``: editors every one, a
        coordinator those their organisation leads or is co-responsible for)."""
        return roles.scope(user, "change", Action).filter(self)

    def followable_by(self, user):
        """The actions the user may add follow-up updates to (``programme.roles``), of
        plans in follow-up: a draft is not carried out yet, so it has no follow-up."""
        return roles.follow_up_scope(user).filter(self).in_follow_up()

    def in_follow_up(self):
        return self.filter(plan__status__in=ActionPlan.FOLLOW_UP_STATUSES)

    def owned_by(self, scope: roles.Scope):
        if scope.level is roles.Level.LEAD:
            return self.filter(lead_organisation=scope.organisation_id)
        return self.involving(scope.organisation_id)

    def involving(self, organisation):
        """Led by the organisation or with it as co-responsible (an EXISTS, no duplicates)."""
        return self.filter(
            Q(lead_organisation=organisation)
            | Exists(ActionPartner.objects.filter(action=OuterRef("pk"), organisation=organisation))
        )

    def serving_goal(self, goal):
        """Actions that contribute to the development goal (an EXISTS, no duplicates)."""
        return self.filter(
            Exists(Action.goals.through.objects.filter(action=OuterRef("pk"), developmentgoal=goal))
        )

    def serving_strategy(self, strategy):
        """Actions that serve the main strategy or one of its sub-strategies."""
        return self.filter(
            Exists(
                Action.strategies.through.objects.filter(action=OuterRef("pk"), strategy=strategy)
            )
            | Exists(
                Action.sub_strategies.through.objects.filter(
                    action=OuterRef("pk"), substrategy__strategy=strategy
                )
            )
        )

    def for_listing(self, user=None):
        """Everything a list row shows, in a fixed number of queries: the action with its
        plan and lead party (one join), the goals the user may see (one query) and partners
        (one query)."""
        return (
            self.select_related("plan", "lead_organisation")
            # Only the columns a row shows: a row is built field by field (modeltranslation's
            # descriptors on each translated one), and descriptions are long.
            .only(*self.LISTED_FIELDS)
            .prefetch_related(
                # Ordered by their own columns: the Meta orderings ("programme", "action") join
                # the programme, or the action and its plan, to each query for the same order.
                models.Prefetch(
                    "goals",
                    queryset=DevelopmentGoal.objects.visible_to(user)
                    .only("id", "slug", "order", "title", "title_sv", "title_en", "programme_id")
                    .order_by("order"),
                ),
                models.Prefetch(
                    "partners",
                    queryset=ActionPartner.objects.select_related("organisation").order_by(
                        "organisation__order", "organisation__name"
                    ),
                ),
            )
        )

    def compare_plans(self, old: ActionPlan, new: ActionPlan) -> dict[str, ActionQuerySet]:
        """Two plans' actions sorted, as QuerySets (the page counts and pages them, so its cost
        does not grow with the plans): added (new, continuing nothing in ``old``), carried
        (continuing one of ``old``), completed and dropped (``old`` actions not carried)."""
        rows = self.select_related("lead_organisation").order_by("number", "pk")
        in_new = rows.filter(plan=new)
        left = rows.filter(plan=old).exclude(successors__plan=new)
        return {
            "added": in_new.exclude(predecessor__plan=old),
            "carried": in_new.filter(predecessor__plan=old),
            "completed": left.filter(status=ActionStatus.COMPLETED),
            "dropped": left.exclude(status=ActionStatus.COMPLETED),
        }

    def status_counts(self) -> dict[str, int]:
        counts = dict(
            self.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        return {value: counts.get(value, 0) for value in ActionStatus.values}


class Action(DecisionContent, models.Model):
    """One action (åtgärd) of a plan."""

    Status = ActionStatus
    # Where a row outside the user's organisation is reported (programme.admin_rules).
    owner_field = "lead_organisation"

    # What the adoption decided; frozen once the plan is adopted. Not the contact person
    # (people change jobs) nor the follow-up (status, progress, completion).
    DECISION_FIELDS = (
        "plan",
        "number",
        "title",
        "description",
        "lead_organisation",
        "goals",
        "strategies",
        "sub_strategies",
        "start_year",
        "start_quarter",
        "end_year",
        "end_quarter",
        "budget_sek",
        "funder",
        "predecessor",
    )
    WHOLE_ROW = True

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("action plan")
    )
    number = models.CharField(
        _("number"),
        max_length=20,
        blank=True,
        help_text=_("Unique within the plan, e.g. 2026:07."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_actions",
        verbose_name=_("lead party"),
        help_text=_("Empty when the source names no single lead (the parties jointly)."),
    )
    co_responsible = models.ManyToManyField(
        Organisation,
        through="ActionPartner",
        related_name="co_responsible_actions",
        verbose_name=_("co-responsible organisations"),
        blank=True,
    )
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    goals = models.ManyToManyField(
        DevelopmentGoal,
        related_name="actions",
        verbose_name=_("development goals"),
        blank=True,
        help_text=_("The development goals the action contributes to (at least one)."),
    )
    strategies = models.ManyToManyField(
        Strategy,
        related_name="actions",
        verbose_name=_("main strategies"),
        blank=True,
    )
    sub_strategies = models.ManyToManyField(
        SubStrategy,
        related_name="actions",
        verbose_name=_("sub-strategies"),
        blank=True,
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    start_quarter = models.PositiveSmallIntegerField(
        _("start quarter"), choices=Quarter.choices, null=True, blank=True
    )
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    end_quarter = models.PositiveSmallIntegerField(
        _("end quarter"), choices=Quarter.choices, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, help_text=_("0–100; empty when not reported.")
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    budget_sek = models.PositiveBigIntegerField(_("budget (SEK)"), null=True, blank=True)
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_actions",
        verbose_name=_("funded by"),
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("continues"),
        help_text=_("The action in an earlier year's plan that this one continues."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=~Q(number=""),
                name="action_number_unique_in_plan",
            ),
            models.CheckConstraint(condition=_progress_in_range(), name="action_progress_range"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(progress=100, completed_on__isnull=False),
                name="action_completed_is_done",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lt=F("end_year"))
                | Q(start_year=F("end_year"), start_quarter__isnull=True)
                | Q(start_year=F("end_year"), end_quarter__isnull=True)
                | Q(start_year=F("end_year"), start_quarter__lte=F("end_quarter")),
                name="action_timeframe_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return cached_reverse("actionplan:action", year=self.plan.year, pk=self.pk)

    @property
    def display_title(self) -> str:
        """The title, marked [DEMO] when the action belongs to a demo plan."""
        return _demo_marked(self.title, self.plan.is_demo)

    def responsible_on(self, date: datetime.date | None) -> str:
        """Who answers for the action, named as on ``date`` (``plan.names_on``): the lead
        party, then "; " and the co-responsible ones (``partners`` prefetched), or "the
        parties jointly" when none is named. Text, escaped where it is shown; one function
        rather than a template include per row, which cost a page of 25 actions 16 ms."""
        lead = self.lead_organisation.display_name_on(date) if self.lead_organisation else ""
        partners = ", ".join(
            partner.organisation.display_name_on(date) for partner in self.partners.all()
        )
        if lead and partners:
            return f"{lead}; {partners}"
        return lead or partners or gettext("the parties jointly")

    def is_owned_by(self, scope: roles.Scope) -> bool:
        if self.lead_organisation_id == scope.organisation_id:
            return True
        return (
            scope.level is roles.Level.INVOLVED
            and self.pk is not None
            and self.partners.filter(organisation=scope.organisation_id).exists()
        )

    @property
    def timeframe(self) -> str:
        def point(year, quarter):
            if not year:
                return ""
            return f"{year} Q{quarter}" if quarter else str(year)

        start, end = (
            point(self.start_year, self.start_quarter),
            point(self.end_year, self.end_quarter),
        )
        if start and end and start != end:
            return f"{start} – {end}"
        return start or end

    def clean(self):
        errors: dict[str, list] = {}
        plan = self.plan if self.plan_id else None
        if plan is not None:
            for field in ("start_year", "end_year"):
                year = getattr(self, field)
                if year is not None and year not in plan.years:
                    errors.setdefault(field, []).append(
                        _("Must lie within the plan's years %(start)d–%(end)d.")
                        % {"start": plan.year, "end": plan.end_year}
                    )
        for field, messages in self.decision_errors().items():
            errors.setdefault(field, []).extend(messages)
        if (
            self.start_year
            and self.end_year
            and (self.start_year, self.start_quarter or 1) > (self.end_year, self.end_quarter or 4)
        ):
            errors.setdefault("end_year", []).append(_("The end lies before the start."))
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors.setdefault("progress", []).append(_("Progress must be between 0 and 100."))
        if self.status == ActionStatus.COMPLETED:
            if self.progress != 100:
                errors.setdefault("progress", []).append(
                    _("A completed action has a progress of 100 %.")
                )
            if not self.completed_on:
                errors.setdefault("completed_on", []).append(
                    _("A completed action needs its completion date.")
                )
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        self.refuse_decided_delete()
        return super().delete(*args, **kwargs)

    @property
    def is_in_follow_up(self) -> bool:
        """Its plan is adopted (or superseded): it is carried out and followed up."""
        return self.plan.status in ActionPlan.FOLLOW_UP_STATUSES

    def refresh_current_state(self, save: bool = True) -> None:
        """Take status and progress from the latest follow-up update (the current state)."""
        latest = self.updates.order_by("-date", "-pk").first()
        if latest is None:
            return
        self.status = latest.status
        if latest.progress is not None:
            self.progress = latest.progress
        if latest.status == ActionStatus.COMPLETED:
            self.completed_on = self.completed_on or latest.date
        if save:
            self.save(update_fields=["status", "progress", "completed_on", "updated_at"])


class OfActionQuerySet(models.QuerySet):
    """Rows that belong to an action: public, and owned, as their action is."""

    def public(self):
        return self.filter(Action.objects.public_q("action__"))

    def owned_by(self, scope: roles.Scope):
        return self.filter(action__in=Action.objects.owned_by(scope))


class OfAction:
    """Owned as the action is (``programme.roles``)."""

    owner_field = "action"

    def is_owned_by(self, scope: roles.Scope) -> bool:
        return self.action_id is not None and self.action.is_owned_by(scope)


class ActionPartner(DecisionContent, OfAction, models.Model):
    """An organisation co-responsible for an action, and its role in it."""

    DECISION_FIELDS = ("action", "organisation", "role")
    WHOLE_ROW = True
    PLAN_PATH = "action__plan"

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="partners", verbose_name=_("action")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="action_partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    objects = OfActionQuerySet.as_manager()

    class Meta:
        ordering = ["action", "organisation__order", "organisation__name"]
        verbose_name = _("co-responsible organisation")
        verbose_name_plural = _("co-responsible organisations")
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation"], name="actionpartner_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})" if self.role else str(self.organisation)

    def clean(self):
        self.clean_decision()

    def delete(self, *args, **kwargs):
        self.refuse_decided_delete()
        return super().delete(*args, **kwargs)


class FollowUpUpdateQuerySet(OfActionQuerySet):
    pass


class FollowUpUpdate(OfAction, models.Model):
    """A dated follow-up of an action; the latest is the action's current state."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="updates", verbose_name=_("action")
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    # "No change since last round" (actionplan.round_models): status and progress stay as
    # they were, and the mark still records who (author) and when (created_at).
    no_change = models.BooleanField(
        _("no change since last round"),
        default=False,
        help_text=_(
            "Nothing has changed since the last follow-up round; status and progress stay."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = FollowUpUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "-date", "-pk"]
        get_latest_by = ["date", "pk"]
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")
        constraints = [
            models.CheckConstraint(
                condition=_progress_in_range(), name="followupupdate_progress_range"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(progress=100),
                name="followupupdate_completed_is_done",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="followupupdate_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} – {self.date}"

    def clean(self):
        errors: dict[str, list] = {}
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors.setdefault("progress", []).append(_("Progress must be between 0 and 100."))
        if self.status == ActionStatus.COMPLETED and self.progress != 100:
            errors.setdefault("progress", []).append(
                _("A completed action has a progress of 100 %.")
            )
        if self.date is not None and self.date > timezone.localdate():
            errors.setdefault("date", []).append(
                _("A follow-up reports what has happened: its date cannot lie in the future.")
            )
        if errors:
            raise ValidationError(errors)


class CommunicationActivityQuerySet(models.QuerySet):
    def public(self):
        """Activities of public plans (built on ``ActionPlan.objects.public_q()``)."""
        return self.filter(ActionPlan.objects.public_q("plan__"))

    def modifiable_by(self, user):
        return roles.scope(user, "change", CommunicationActivity).filter(self)

    def owned_by(self, scope: roles.Scope):
        return self.filter(responsible_organisation=scope.organisation_id)


class CommunicationActivity(DecisionContent, models.Model):
    """An activity of the plan's communication plan for the coming year."""

    # Its texts and who is responsible are part of the adopted plan; its status is
    # follow-up, and its links to goals and actions stay correctable.
    DECISION_FIELDS = (
        "plan",
        "order",
        "title",
        "message",
        "target_audience",
        "channel",
        "timing",
        "responsible_organisation",
    )
    WHOLE_ROW = True

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="communication_activities",
        verbose_name=_("action plan"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    message = models.TextField(_("message"), blank=True)
    target_audience = models.CharField(_("target audience"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=300, blank=True)
    timing = models.CharField(
        _("timing"), max_length=100, blank=True, help_text=_("E.g. “Q2 2026” or “spring”.")
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communication_activities",
        verbose_name=_("responsible party"),
    )
    goals = models.ManyToManyField(
        DevelopmentGoal,
        related_name="communication_activities",
        verbose_name=_("development goals"),
        blank=True,
    )
    actions = models.ManyToManyField(
        Action,
        related_name="communication_activities",
        verbose_name=_("actions"),
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    objects = CommunicationActivityQuerySet.as_manager()
    owner_field = "responsible_organisation"

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("communication activity")
        verbose_name_plural = _("communication activities")

    def __str__(self) -> str:
        return self.title

    def is_owned_by(self, scope: roles.Scope) -> bool:
        return self.responsible_organisation_id == scope.organisation_id

    def clean(self):
        self.clean_decision()

    def delete(self, *args, **kwargs):
        self.refuse_decided_delete()
        return super().delete(*args, **kwargs)


class FundingContribution(DecisionContent, models.Model):
    """A party's contribution to the programme's work in one year, shown with the plan."""

    DECISION_FIELDS = ("plan", "organisation", "year", "amount_sek", "kind", "note")
    WHOLE_ROW = True

    class Kind(models.TextChoices):
        DECIDED = "decided", _("Decided")
        RECOMMENDED = "recommended", _("Recommended")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="funding", verbose_name=_("action plan")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_contributions",
        verbose_name=_("party"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount_sek = models.PositiveBigIntegerField(_("amount (SEK)"))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.DECIDED,
        help_text=_(
            "Recommended: a body recommended the amount (the 2007 steering group), no grant "
            "decision is recorded."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "year", "organisation__order"]
        verbose_name = _("funding contribution")
        verbose_name_plural = _("funding contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation", "year"], name="funding_one_per_party_year"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["decided", "recommended"]), name="funding_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.amount_sek} SEK"

    @property
    def is_recommendation(self) -> bool:
        return self.kind == self.Kind.RECOMMENDED

    def clean(self):
        self.clean_decision()

    def delete(self, *args, **kwargs):
        self.refuse_decided_delete()
        return super().delete(*args, **kwargs)


def _protect_programme_links() -> None:
    """A goal or strategy that actions or communication activities rest on is unpublished,
    not deleted: deleting it silently unlinked adopted actions. The many-to-many tables
    Django creates cascade both ways; their foreign key to the programme's content is
    made PROTECT here (a Python-side rule, like every on_delete in Django 5.2, so the
    database and the migrations do not change), and every deletion (admin, queryset,
    shell) is refused with ProtectedError naming the links."""
    for field in (Action.goals, Action.strategies, Action.sub_strategies):
        _protect(field.through, field.field.m2m_reverse_field_name())
    _protect(
        CommunicationActivity.goals.through,
        CommunicationActivity.goals.field.m2m_reverse_field_name(),
    )


def _protect(through, target_field: str) -> None:
    remote = through._meta.get_field(target_field).remote_field
    remote.on_delete = models.PROTECT


_protect_programme_links()


# The frozen PDF of an adopted plan lives beside the PDF code (actionplan/pdf.py).
from .pdf_models import AdoptedPlanDocument  # noqa: E402, F401

# Reminders sent by e-mail (manage.py send_reminders).
from .reminder_models import Reminder  # noqa: E402, F401

# Follow-up rounds, sign-offs, snapshots and round reports.
from .round_models import (  # noqa: E402, F401
    FollowUpRound,
    RoundActionSnapshot,
    RoundReportDocument,
    RoundSignOff,
    RoundTargetSnapshot,
)
