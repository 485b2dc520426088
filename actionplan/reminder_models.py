"""Reminders sent by e-mail (``manage.py send_reminders``, ``actionplan/reminders.py``).

Each one sent is recorded: to whom, why (the reason key), for which round or which value
of which sub-target, in which language, and when. The database refuses a second row for
the same recipient and reason, which is what makes the command safe to run every hour.
Imported at the end of ``models.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    class Reason(models.TextChoices):
        DEADLINE_NEAR = "deadline_near", _("The round's deadline is near, not signed off")
        DEADLINE_PASSED = "deadline_passed", _("The round's deadline has passed, not signed off")
        PARTIES_LATE = "parties_late", _("Parties late in the round (to the editors)")
        VALUE_DUE = "value_due", _("A value is due soon")
        VALUE_MISSING = "value_missing", _("A value is missing")

    ROUND_REASONS = (Reason.DEADLINE_NEAR, Reason.DEADLINE_PASSED, Reason.PARTIES_LATE)
    VALUE_REASONS = (Reason.VALUE_DUE, Reason.VALUE_MISSING)

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    round = models.ForeignKey(
        "actionplan.FollowUpRound",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("follow-up round"),
    )
    sub_target = models.ForeignKey(
        "indicators.SubTarget",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("2030 sub-target"),
    )
    period_year = models.PositiveSmallIntegerField(_("value of the year"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reason", "round"],
                condition=Q(round__isnull=False),
                name="reminder_once_per_round_reason",
            ),
            models.UniqueConstraint(
                fields=["recipient", "reason", "sub_target", "period_year"],
                condition=Q(sub_target__isnull=False),
                name="reminder_once_per_value_reason",
            ),
            models.CheckConstraint(
                condition=Q(
                    reason__in=["deadline_near", "deadline_passed", "parties_late"],
                    round__isnull=False,
                    sub_target__isnull=True,
                )
                | Q(
                    reason__in=["value_due", "value_missing"],
                    round__isnull=True,
                    sub_target__isnull=False,
                    period_year__isnull=False,
                ),
                name="reminder_reason_has_its_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.get_reason_display()} ({self.sent_at:%Y-%m-%d})"
