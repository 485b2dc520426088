"""Follow-up rounds: the yearly cycle's checkpoints (issue 15).

An editor opens a round on an adopted plan ("Uppföljning tertial 2 2026"). While it is
open, each party's coordinators cover every action their organisation leads – with a
follow-up update, or an explicit "no change since last round" (a ``FollowUpUpdate`` with
``no_change``, which still records who and when) – and then sign off their party's part
(:class:`RoundSignOff`, withdrawable until the round closes; withdrawn sign-offs stay as
rows, so the history is kept). An editor closes the round, also with sign-offs missing;
closing takes the snapshot (:class:`RoundActionSnapshot`, :class:`RoundTargetSnapshot`),
which later edits never change, and the report is rendered from it and stored
(:class:`RoundReportDocument`).

**When an action counts as covered in a round**: it has a follow-up update (or no-change
mark) *recorded* (``created_at``, not the date the update reports on, which may be back-
dated) within the round's window: from :attr:`FollowUpRound.window_start` – the moment the
previous closed round of the same plan closed, or, for the plan's first round, the moment
this round opened – until the round closed (or now, while it is open). "Since last round",
in the programme's words: an update written between two rounds counts for the next one.

Imported at the end of ``models.py`` (like ``pdf_models``); no import of ``models`` at
import time here, related models are named by label.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _plan_model():
    from .models import ActionPlan

    return ActionPlan


class FollowUpRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FollowUpRound.Status.OPEN)

    def closed(self):
        return self.filter(status=FollowUpRound.Status.CLOSED)

    def public(self):
        """Closed rounds of public plans (built on ``ActionPlan.objects.public_q()``): an
        open round, or any round of a draft plan, is never public."""
        return self.closed().filter(_plan_model().objects.public_q("plan__"))

    def for_plan(self, plan):
        return self.filter(plan=plan)

    def latest_closed(self):
        return self.closed().order_by("-closed_at", "-pk").first()


@dataclasses.dataclass
class PartyCoverage:
    """One organisation's part of a round: the actions it leads, covered and missing."""

    organisation: object
    led: list
    covered: list
    missing: list
    sign_off: RoundSignOff | None

    @property
    def is_complete(self) -> bool:
        return not self.missing

    @property
    def is_signed_off(self) -> bool:
        return self.sign_off is not None


class FollowUpRound(models.Model):
    """One follow-up round of an adopted plan: open, then closed with its snapshot."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(
        "actionplan.ActionPlan",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("action plan"),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("E.g. “Uppföljning tertial 2 2026”.")
    )
    reports_on = models.DateField(
        _("reports on"), help_text=_("The date the round reports the state of the plan on.")
    )
    deadline = models.DateField(
        _("deadline"), help_text=_("The parties update and sign off by this date.")
    )
    message = models.TextField(
        _("message to the parties"),
        blank=True,
        help_text=_("Optional: what the coordinators should know about this round."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = FollowUpRoundQuerySet.as_manager()

    class Meta:
        app_label = "actionplan"
        ordering = ["plan", "-opened_at", "-pk"]
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        permissions = [("close_followupround", _("Can close a follow-up round"))]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="open"),
                name="followupround_one_open_per_plan",
                violation_error_message=_("This plan already has an open follow-up round."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="followupround_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="followupround_closed_has_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplan:round", kwargs={"year": self.plan.year, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_public(self) -> bool:
        return self.is_closed and self.plan.is_public

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.deadline

    def clean(self):
        from django.core.exceptions import ValidationError

        errors: dict[str, list] = {}
        plan = self.plan if self.plan_id else None
        if plan is not None and self.pk is None:
            if plan.status != plan.Status.ADOPTED:
                errors.setdefault("plan", []).append(
                    _("A follow-up round is opened on an adopted plan; this plan is “%(status)s”.")
                    % {"status": plan.get_status_display()}
                )
            elif plan.rounds.open().exists():
                errors.setdefault("plan", []).append(
                    _("This plan already has an open follow-up round: close it first.")
                )
        if self.deadline and self.reports_on and self.deadline < self.reports_on:
            errors.setdefault("deadline", []).append(
                _("The deadline lies before the date the round reports on.")
            )
        if errors:
            raise ValidationError(errors)

    def previous_round(self) -> FollowUpRound | None:
        """The closed round of the same plan before this one (1 query)."""
        rounds = FollowUpRound.objects.closed().filter(plan=self.plan_id).exclude(pk=self.pk)
        if self.opened_at is not None:
            rounds = rounds.filter(closed_at__lte=self.opened_at)
        return rounds.order_by("-closed_at", "-pk").first()

    @property
    def window_start(self):
        """Since when an update counts for this round (see the module docstring)."""
        if not hasattr(self, "_window_start"):
            previous = self.previous_round()
            self._window_start = previous.closed_at if previous else self.opened_at
        return self._window_start

    def covering_updates(self):
        """Follow-up updates (and no-change marks) recorded within the round's window."""
        from .models import FollowUpUpdate

        updates = FollowUpUpdate.objects.filter(
            action__plan=self.plan_id, created_at__gte=self.window_start
        )
        if self.closed_at is not None:
            updates = updates.filter(created_at__lte=self.closed_at)
        return updates

    def actions_with_coverage(self):
        """The plan's actions, each annotated ``is_covered`` (an EXISTS, one query)."""
        from .models import Action

        covering = self.covering_updates().filter(action=OuterRef("pk"))
        return (
            Action.objects.in_plan(self.plan_id)
            .annotate(is_covered=Exists(covering))
            .select_related("lead_organisation")
            .order_by("number", "pk")
        )

    def uncovered_actions(self, organisation):
        """The actions ``organisation`` leads that have no update in the round yet."""
        return [
            a
            for a in self.actions_with_coverage().filter(lead_organisation=organisation)
            if not a.is_covered
        ]

    def active_sign_offs(self):
        return self.sign_offs.filter(withdrawn_at__isnull=True)

    def coverage_by_party(self) -> list[PartyCoverage]:
        """Per organisation that leads actions in the plan (and every party, leading or
        not): its actions, covered and missing, and its standing sign-off. Three queries:
        the actions with their coverage, the parties, the sign-offs."""
        from programme.models import Organisation

        actions = list(self.actions_with_coverage())
        sign_offs = {
            s.organisation_id: s
            for s in self.active_sign_offs().select_related("signed_by", "organisation")
        }
        led: dict[int, list] = {}
        for action in actions:
            if action.lead_organisation_id is not None:
                led.setdefault(action.lead_organisation_id, []).append(action)
        organisations = {
            o.pk: o for o in Organisation.objects.filter(Q(is_party=True) | Q(pk__in=list(led)))
        }
        result = []
        for organisation in sorted(
            organisations.values(), key=lambda o: (not o.is_party, o.order, o.name)
        ):
            mine = led.get(organisation.pk, [])
            result.append(
                PartyCoverage(
                    organisation=organisation,
                    led=mine,
                    covered=[a for a in mine if a.is_covered],
                    missing=[a for a in mine if not a.is_covered],
                    sign_off=sign_offs.get(organisation.pk),
                )
            )
        return result

    def report_document(self, language: str) -> RoundReportDocument | None:
        return self.report_documents.filter(language=language).first()


class RoundSignOff(models.Model):
    """A party's sign-off of its part of a round: who and when; withdrawn (who, when)
    until the round closes. A withdrawn sign-off stays as it was, a new one is a new row."""

    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.CASCADE,
        related_name="sign_offs",
        verbose_name=_("follow-up round"),
    )
    organisation = models.ForeignKey(
        "programme.Organisation",
        on_delete=models.PROTECT,
        related_name="round_sign_offs",
        verbose_name=_("party"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_at = models.DateTimeField(_("signed off at"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    owner_field = "organisation"

    class Meta:
        app_label = "actionplan"
        ordering = ["round", "organisation__order", "signed_at", "pk"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="roundsignoff_one_standing_per_party",
                violation_error_message=_("This party has already signed off this round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.organisation}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_owned_by(self, scope) -> bool:
        return self.organisation_id == scope.organisation_id


class RoundActionSnapshot(models.Model):
    """An action as it stood when its round closed; never changed afterwards."""

    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.CASCADE,
        related_name="action_snapshots",
        verbose_name=_("follow-up round"),
    )
    # The action may be edited later; the snapshot keeps what it was (and survives it).
    action = models.ForeignKey(
        "actionplan.Action",
        on_delete=models.SET_NULL,
        null=True,
        related_name="round_snapshots",
        verbose_name=_("action"),
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    lead_organisation = models.ForeignKey(
        "programme.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead party"),
    )
    lead_organisation_name = models.CharField(_("lead party"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    latest_update_date = models.DateField(_("latest update"), null=True, blank=True)
    latest_update_text = models.TextField(_("latest update text"), blank=True)
    latest_update_organisation_name = models.CharField(
        _("latest update by"), max_length=200, blank=True
    )
    covered = models.BooleanField(_("updated in the round"), default=False)
    no_change = models.BooleanField(
        _("no change since last round"),
        default=False,
        help_text=_("Covered by a “no change” mark rather than an update."),
    )
    covered_at = models.DateTimeField(_("covered at"), null=True, blank=True)

    class Meta:
        app_label = "actionplan"
        ordering = ["round", "number", "pk"]
        verbose_name = _("action snapshot")
        verbose_name_plural = _("action snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "action"], name="roundactionsnapshot_one_per_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_status_display(self) -> str:
        from .models import ActionStatus

        try:
            return str(ActionStatus(self.status).label)
        except ValueError:
            return self.status


class RoundTargetSnapshot(models.Model):
    """A 2030 sub-target as it stood when the round closed: its latest published value,
    its status and the latest assessment's verdict; never changed afterwards."""

    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.CASCADE,
        related_name="target_snapshots",
        verbose_name=_("follow-up round"),
    )
    sub_target = models.ForeignKey(
        "indicators.SubTarget",
        on_delete=models.SET_NULL,
        null=True,
        related_name="round_snapshots",
        verbose_name=_("2030 sub-target"),
    )
    slug = models.SlugField(_("slug"), max_length=100, blank=True)
    statement = models.TextField(_("statement"))
    unit = models.CharField(_("unit"), max_length=80, blank=True)
    latest_value = models.DecimalField(
        _("latest value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    latest_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    latest_date = models.DateField(_("date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=30, blank=True)
    verdict = models.CharField(_("will we reach the target?"), max_length=10, blank=True)

    class Meta:
        app_label = "actionplan"
        ordering = ["round", "pk"]
        verbose_name = _("sub-target snapshot")
        verbose_name_plural = _("sub-target snapshots")

    def __str__(self) -> str:
        return self.statement

    def get_status_display(self) -> str:
        from indicators.progress import Status

        try:
            return str(Status(self.status).label)
        except ValueError:
            return self.status


class RoundReportDocument(models.Model):
    """A closed round's report PDF in one language, rendered from the snapshot and stored
    unchanged (PDF/A-3a with the snapshot attached as CSV and JSON), like
    ``AdoptedPlanDocument``."""

    round = models.ForeignKey(
        FollowUpRound,
        on_delete=models.PROTECT,
        related_name="report_documents",
        verbose_name=_("follow-up round"),
    )
    language = models.CharField(_("language"), max_length=8)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    variant = models.CharField(_("PDF variant"), max_length=16, default="pdf/a-3a")
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        app_label = "actionplan"
        ordering = ["round", "language"]
        verbose_name = _("round report document")
        verbose_name_plural = _("round report documents")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "language"], name="roundreportdocument_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} ({self.language})"
