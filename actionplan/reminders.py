"""Who is reminded of what, by e-mail (``manage.py send_reminders``, safe to run every hour).

* Each **coordinator** of a party that has not signed off an open round: once when its
  deadline is ``REMINDER_DAYS_BEFORE_DEADLINE`` days away or nearer, and once more when it
  has passed (a round opened after the reminder day gets the first one at once; a party
  that signs off gets nothing more).
* The **editors**: once per round, when its deadline has passed, which parties are late.
* The **coordinators of a measuring organisation**: once when a value of a sub-target it
  measures is due within ``REMINDER_DAYS_BEFORE_VALUE_DUE`` days, and once when it is
  missing (``SubTarget.value_due``).

Only active staff with an e-mail address are written to, each in their own language
(``StaffMembership.language``). Every reminder is recorded (``Reminder``) in the same
transaction that queues its mail, and a reminder already recorded is never planned again
(the database's uniqueness constraints stand behind that).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from flemingsberg.mail import queue_email
from indicators.models import SubTarget
from programme.models import StaffMembership

from .models import FollowUpRound, Reminder

Reason = Reminder.Reason


@dataclasses.dataclass
class Planned:
    """One reminder to send: to whom, why, about what, and what the message says."""

    membership: StaffMembership
    reason: str
    round: FollowUpRound | None = None
    sub_target: SubTarget | None = None
    period_year: int | None = None
    context: dict = dataclasses.field(default_factory=dict)

    @property
    def recipient(self):
        return self.membership.user

    @property
    def key(self) -> tuple:
        return (
            self.recipient.pk,
            self.reason,
            self.round.pk if self.round else None,
            self.sub_target.pk if self.sub_target else None,
            self.period_year,
        )

    def render(self) -> tuple[str, str]:
        """The subject and body, in the recipient's language."""
        language = self.membership.language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                **self.context,
                "reason": self.reason,
                "round": self.round,
                "sub_target": self.sub_target,
                "period_year": self.period_year,
                "user": self.recipient,
                "organisation": self.membership.organisation,
                "start_url": settings.PORTAL_URL + reverse("admin:index"),
            }
            subject = render_to_string("actionplan/email/reminder_subject.txt", context)
            body = render_to_string("actionplan/email/reminder_body.txt", context)
        return " ".join(subject.split()), body.strip() + "\n"


def _reachable(memberships):
    """Staff who can be written to: active, with an address."""
    return (
        memberships.filter(user__is_active=True, user__is_staff=True)
        .exclude(user__email="")
        .select_related("user", "organisation")
    )


def plan(today: datetime.date) -> list[Planned]:
    """Every reminder due today that has not been sent (a fixed number of queries: the
    staff, the reminders sent, per open round its coverage, the values due)."""
    memberships = list(_reachable(StaffMembership.objects.all()).order_by("user__username"))
    coordinators = defaultdict(list)
    editors = []
    for membership in memberships:
        if membership.role == StaffMembership.Role.COORDINATOR:
            coordinators[membership.organisation_id].append(membership)
        elif membership.role == StaffMembership.Role.EDITOR:
            editors.append(membership)

    planned: list[Planned] = []
    days = settings.REMINDER_DAYS_BEFORE_DEADLINE
    for round in FollowUpRound.objects.open().select_related("plan").order_by("deadline", "pk"):
        passed = today > round.deadline
        if not passed and today < round.deadline - datetime.timedelta(days=days):
            continue
        late = [
            party
            for party in round.coverage_by_party()
            if not party.is_signed_off and party.organisation.is_party
        ]
        reason = Reason.DEADLINE_PASSED if passed else Reason.DEADLINE_NEAR
        for party in late:
            for membership in coordinators[party.organisation.pk]:
                planned.append(Planned(membership, reason, round=round, context={"party": party}))
        if passed and late:
            for membership in editors:
                planned.append(
                    Planned(membership, Reason.PARTIES_LATE, round=round, context={"late": late})
                )

    due = SubTarget.objects.filter(measuring_organisation__isnull=False).values_due(
        today=today, within_days=settings.REMINDER_DAYS_BEFORE_VALUE_DUE
    )
    for value in due:
        reason = Reason.VALUE_MISSING if value.is_missing else Reason.VALUE_DUE
        for membership in coordinators[value.sub_target.measuring_organisation_id]:
            planned.append(
                Planned(
                    membership,
                    reason,
                    sub_target=value.sub_target,
                    period_year=value.period_year,
                    context={"due": value},
                )
            )

    sent = set(
        Reminder.objects.filter(recipient__in=[m.user for m in memberships]).values_list(
            "recipient", "reason", "round", "sub_target", "period_year"
        )
    )
    # A value reminder's key has no round, a round reminder's no sub-target or year.
    return [p for p in planned if p.key not in sent]


def send(planned: Planned) -> Reminder | None:
    """Record the reminder and queue its mail, together; None when another run recorded it
    first (the uniqueness constraint refused the second row)."""
    subject, body = planned.render()
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                recipient=planned.recipient,
                reason=planned.reason,
                round=planned.round,
                sub_target=planned.sub_target,
                period_year=planned.period_year,
                language=planned.membership.language,
                subject=subject,
            )
            queue_email(to=[planned.recipient.email], subject=subject, body=body)
    except IntegrityError:
        return None
    return reminder
