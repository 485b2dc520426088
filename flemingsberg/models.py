"""Bookkeeping shared by the apps: one spreadsheet import from upload to outcome, and one
PDF render from request to stored file."""

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


class RenderJobQuerySet(models.QuerySet):
    def without_result(self):
        """Everything but the PDF's bytes (lists and status checks never load them)."""
        return self.defer("result")

    def for_target(self, kind: str, target_id: int | None, language: str):
        return self.filter(kind=kind, target_id=target_id, language=language)

    def pending(self):
        return self.filter(status__in=RenderJob.PENDING_STATUSES)

    def stuck(self, seconds: int):
        """Jobs a worker took and did not finish in ``seconds`` (it died or was killed), and
        queued jobs that waited that long (their task was lost)."""
        cutoff = timezone.now() - timezone.timedelta(seconds=seconds)
        return self.filter(
            models.Q(status=RenderJob.Status.RUNNING, started_at__lt=cutoff)
            | models.Q(status=RenderJob.Status.QUEUED, updated_at__lt=cutoff)
        )


class RenderJob(models.Model):
    """One PDF, rendered by the task worker (``flemingsberg.renders``), never in a request.

    ``content_key`` is a hash of everything the document shows (its rows' versions, the
    layout files, the language), computed without building the HTML: identical requests find
    the same row (the key is unique) and share one render; a change of the content makes a
    new key and so a new job.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being rendered")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    PENDING_STATUSES = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    target_id = models.PositiveIntegerField(
        _("target"), null=True, blank=True, help_text=_("The plan or programme rendered.")
    )
    language = models.CharField(_("language"), max_length=10)
    content_key = models.CharField(_("content key"), max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    result = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    reported_at = models.DateTimeField(
        _("failure reported at"),
        null=True,
        blank=True,
        help_text=_("When the editors were told that every attempt failed."),
    )

    objects = RenderJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("PDF render")
        verbose_name_plural = _("PDF renders")
        constraints = [
            models.UniqueConstraint(fields=["content_key"], name="renderjob_unique_content_key"),
        ]
        indexes = [models.Index(fields=["kind", "target_id", "language"], name="renderjob_target")]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id or ''} {self.language} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING_STATUSES

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
