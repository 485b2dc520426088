"""E-mail: sent by the task worker, never inside a request, and tried again when it fails.

``queue_email(...)`` queues one message as the ``send_email`` task. With the database
backend the task row is written in the caller's transaction, so a reminder recorded and its
mail queued commit together (or neither does). The worker sends it through Django's e-mail
backend (SMTP settings from the environment, see settings.py); a delivery that fails on the
network or the SMTP server is queued again, minutes later (1, 4, 16, … minutes), up to
``EMAIL_SEND_ATTEMPTS`` attempts, and then fails for good (the task result keeps the error).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(*, to: list[str], subject: str, body: str, attempt: int = 1) -> int:
    """Send one plain-text message; returns the number of messages sent (1)."""
    message = EmailMessage(subject=subject, body=body, to=to)
    try:
        return message.send()
    except (smtplib.SMTPException, OSError) as error:
        backend = send_email.get_backend()
        if attempt >= settings.EMAIL_SEND_ATTEMPTS or not backend.supports_defer:
            raise
        delay = timedelta(minutes=4 ** (attempt - 1))
        logger.warning(
            "Sending “%s” to %s failed (%s); attempt %d of %d in %s.",
            subject,
            ", ".join(to),
            error,
            attempt + 1,
            settings.EMAIL_SEND_ATTEMPTS,
            delay,
        )
        send_email.using(run_after=timezone.now() + delay).enqueue(
            to=to, subject=subject, body=body, attempt=attempt + 1
        )
        return 0


def queue_email(*, to: list[str], subject: str, body: str) -> None:
    """Queue one message for the task worker."""
    send_email.enqueue(to=list(to), subject=subject, body=body)
