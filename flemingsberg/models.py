"""Bookkeeping shared by the apps: one spreadsheet import from upload to outcome."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJobQuerySet(models.QuerySet):
    def expired(self):
        """Jobs whose file waited longer than ``IMPORT_KEEP_SECONDS`` without an outcome."""
        cutoff = timezone.now() - timezone.timedelta(seconds=settings.IMPORT_KEEP_SECONDS)
        return self.filter(created_at__lt=cutoff).exclude(storage_name="")


class ImportJob(models.Model):
    """An uploaded file of one user: checked (the dry run), then imported on confirmation.

    The file itself is in django-import-export's temporary storage (``MediaStorage``), in a
    folder of the user, under a random name that only this row knows: a confirmation names
    the job, never a file, and only its user may confirm it.
    """

    class Kind(models.TextChoices):
        ACTIONS = "actions", _("actions of a plan")
        MEASUREMENTS = "measurements", _("measurements")

    class State(models.TextChoices):
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked, waiting for confirmation")
        REFUSED = "refused", _("refused: nothing was imported")
        IMPORTING = "importing", _("being imported")
        IMPORTED = "imported", _("imported")
        DISCARDED = "discarded", _("discarded")

    FINAL_STATES = (State.REFUSED, State.IMPORTED, State.DISCARDED)
    RUNNING_STATES = (State.CHECKING, State.IMPORTING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    target_id = models.PositiveIntegerField(
        _("target"), null=True, blank=True, help_text=_("The plan imported into, if any.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=10, default="sv")
    file_name = models.CharField(_("file name"), max_length=255)
    storage_name = models.CharField(_("stored file"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    rows = models.PositiveIntegerField(_("rows"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    report = models.JSONField(_("report"), default=dict, blank=True)
    task_id = models.CharField(
        _("task"), max_length=64, blank=True, help_text=_("Set when the work runs as a task.")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_running(self) -> bool:
        return self.state in self.RUNNING_STATES

    @property
    def storage_folder(self) -> str:
        # One folder per user: names never come from a form, and never leave it.
        return f"django-import-export/{self.user_id}"
