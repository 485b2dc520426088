"""Spreadsheet imports of the portal, from upload to outcome, on top of django-import-export.

What the library does: reading a row into a model through each ``Field``'s widget, model
validation (``clean_model_instances``), telling new, changed and unchanged rows apart
(``skip_unchanged``), the before/after comparison (``Diff``), all-or-nothing transactions, and
keeping the upload in its temporary storage (``MediaStorage``) between the dry run and the
confirmation.

What this module adds around it, the same for every kind of import (an app registers an
``Importer`` for its kind in ``AppConfig.ready``):

1. The upload is read by ``spreadsheets.read_table`` first (size, row, zip and encoding
   limits; one plain message for a bad file), then kept in the library's storage in a folder of
   the user and recorded as an ``ImportJob``.
2. The dry run writes nothing (the resources skip every save when ``dry_run``), so it neither
   changes content nor invalidates the page cache; it reports per row each column that will
   change, old → new, or one problem per bad cell (row, column, reason).
3. The confirmation names the job, never a file; only the job's user may give it, and only
   after a clean dry run. The real import runs all or nothing and invalidates the page cache
   once, after the commit.
4. Above ``IMPORT_TASK_ROWS`` rows both steps run as tasks (``run_import_job``) and the job
   page shows their progress; smaller files run in the request.

Why not the library's admin import views (``ImportMixin``): they run the dry run and the import
inside the request (no task, no progress), and their confirm form carries the stored file's
name from the browser (the file a forged name points at is read and then deleted).
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import logging
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus, task
from import_export.resources import Diff
from import_export.results import RowResult

from .cache import content_changed
from .models import ImportJob
from .spreadsheets import SpreadsheetError, Table, read_table

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 250  # rows between two progress reports
REPORT_ROWS = 2_000  # changed rows listed on the job page (all are counted)
REPORT_PROBLEMS = 1_000  # problems listed (all are counted)


# --- the resource side ---------------------------------------------------------------------


class FieldChanges(Diff):
    """import-export's ``Diff``, reported as (column, old, new) for each changed column.

    Values are read through the resource's export (its ``dehydrate_*`` methods), so relations
    that a dry run has not saved show as well; the library stores ``as_html()``'s result in
    ``RowResult.diff``, which is where our pages read it.
    """

    def __init__(self, resource, instance, new):
        self.resource = resource
        self.new = new
        self.left = None if new else self._values(instance)
        self.right = []

    def _values(self, instance) -> list[str]:
        return [
            "" if value is None else str(value)
            for value in (
                self.resource.export_field(field, instance)
                for field in self.resource.get_import_fields()
            )
        ]

    def compare_with(self, resource, instance):
        self.right = self._values(instance) if instance is not None else []

    def as_html(self) -> list[tuple[str, str, str]]:
        columns = [field.column_name for field in self.resource.get_import_fields()]
        left = self.left or [""] * len(columns)
        return [
            (column, old, new)
            for column, old, new in zip(columns, left, self.right, strict=False)
            if old != new
        ]


class ImportResourceMixin:
    """For the portal's import resources: a dry run that writes nothing, a change report,
    progress, and rows that keep little memory (a 50,000-row file stays small)."""

    progress = None  # set by run(): called with the row number now and then

    def get_diff_class(self):
        return FieldChanges

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs):
            # The dry run validates (widgets, full_clean) but writes nothing: no row, no
            # history record, no signal, so the page cache stays valid.
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        if self._is_dry_run(kwargs):
            return
        super().save_m2m(instance, row, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        if self._is_dry_run(kwargs):
            return
        super().after_import(dataset, result, **kwargs)
        # Still inside the import's transaction: the public pages are invalidated once, when
        # it commits, never if it rolls back (relations are bulk-created without signals).
        content_changed()

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        # What the report needs is in ``diff`` and ``object_repr``; the copies of the
        # instance before and after are dropped at once.
        row_result.original = None
        row_result.instance = None
        number = kwargs.get("row_number") or 0
        if self.progress is not None and number % PROGRESS_EVERY == 0:
            self.progress(number)

    def column_for(self, key: str) -> str:
        """The column of an error key (a model field or a column name)."""
        if key == NON_FIELD_ERRORS:
            return "—"
        for field in self.get_import_fields():
            if key in (field.attribute, field.column_name):
                return field.column_name
        return key


# --- importers -------------------------------------------------------------------------


class Importer(abc.ABC):
    """One kind of import: what it reads, who may run it, and into what."""

    kind: str = ""
    columns: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()
    optional_columns_ignored: tuple[str, ...] = ()  # read past (e.g. columns of a download)

    @abc.abstractmethod
    def may_import(self, user, target) -> bool:
        """Whether ``user`` may import into ``target`` (a rule of ``programme.roles``)."""

    def get_target(self, target_id):
        return None

    def refusal(self, target) -> str | None:
        """Why nothing can be imported into the target now, or None."""
        return None

    @abc.abstractmethod
    def resource(self, *, target, user, table: Table):
        """The django-import-export resource that reads ``table`` into ``target``."""

    @abc.abstractmethod
    def upload_url(self, target) -> str:
        """Where the upload form for ``target`` is."""

    @abc.abstractmethod
    def done_url(self, target) -> str:
        """Where to go once the import into ``target`` is done."""

    @abc.abstractmethod
    def title(self, target) -> str:
        """The import page's heading for ``target``."""

    @abc.abstractmethod
    def url_name(self, target, suffix: str) -> tuple[str, list]:
        """The admin URL name and arguments of ``target``'s ``suffix`` page."""


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _importers[importer.kind] = importer


def importer_for(kind: str) -> Importer:
    return _importers[kind]


# --- storage -------------------------------------------------------------------------------


def _storage(job: ImportJob, name: str | None = None):
    storage_class = import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)
    return storage_class(name=name, read_mode="rb", MEDIA_FOLDER=job.storage_folder)


def _store(job: ImportJob, data: bytes) -> None:
    storage = _storage(job)
    storage.save(data)
    job.storage_name = storage.name


def _read(job: ImportJob) -> bytes:
    return _storage(job, job.storage_name).read()


def _remove(job: ImportJob) -> None:
    if job.storage_name:
        with contextlib.suppress(OSError):  # already gone
            _storage(job, job.storage_name).remove()
        job.storage_name = ""


def remove_expired_jobs() -> int:
    """Delete the files of jobs that waited too long; returns how many."""
    count = 0
    for job in ImportJob.objects.expired():
        _remove(job)
        if job.state not in ImportJob.FINAL_STATES:
            job.state = ImportJob.State.DISCARDED
            job.report = {**job.report, "expired": True}
        job.save(update_fields=["storage_name", "state", "report"])
        count += 1
    return count


# --- progress ------------------------------------------------------------------------------


def _progress_key(job) -> str:
    return f"import-progress:{job.pk}"


def _set_progress(job: ImportJob, done: int) -> None:
    caches["imports"].set(_progress_key(job), done, timeout=settings.IMPORT_KEEP_SECONDS)


def progress_of(job: ImportJob) -> int:
    if not job.is_running:
        return job.rows if job.state in (ImportJob.State.CHECKED, ImportJob.State.IMPORTED) else 0
    return min(caches["imports"].get(_progress_key(job)) or 0, job.rows)


def progress_text(job: ImportJob, done: int) -> str:
    return _("row %(done)s of %(total)s") % {
        "done": number_format(done, force_grouping=True),
        "total": number_format(job.rows, force_grouping=True),
    }


# --- running -------------------------------------------------------------------------------


@dataclass
class _Problem:
    row: int | None
    column: str
    reason: str

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


def _header_problems(importer: Importer, table: Table) -> list[_Problem]:
    headers = list(table.dataset.headers or [])
    known = set(importer.columns) | set(importer.optional_columns_ignored)
    problems = [
        _Problem(1, column, _("missing column"))
        for column in importer.required_columns
        if column not in headers
    ]
    problems += [
        _Problem(1, column, _("unknown column")) for column in headers if column not in known
    ]
    return problems


def _report(result, table: Table, resource) -> dict:
    problems: list[_Problem] = []
    for error in result.base_errors:
        problems.append(_Problem(None, "—", str(error.error)))
    for invalid in result.invalid_rows:
        line = table.line_of(invalid.number)
        for key, reasons in invalid.error_dict.items():
            problems.append(_Problem(line, resource.column_for(key), reasons[0]))
    for number, errors in result.row_errors():
        problems.append(_Problem(table.line_of(number), "—", str(errors[0].error)))
    problems.sort(key=lambda p: (p.row or 0, p.column))
    rows = []
    changed = 0
    for number, row_result in enumerate(result.rows, 1):
        if row_result.import_type not in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            continue
        changed += 1
        if len(rows) < REPORT_ROWS:
            rows.append(
                {
                    "row": table.line_of(number),
                    "type": row_result.import_type,
                    "label": row_result.object_repr or "",
                    "changes": [list(change) for change in row_result.diff or []],
                }
            )
    totals = result.totals
    return {
        "problems": [p.as_json() for p in problems[:REPORT_PROBLEMS]],
        "problem_count": len(problems),
        "new": totals.get(RowResult.IMPORT_TYPE_NEW, 0),
        "updated": totals.get(RowResult.IMPORT_TYPE_UPDATE, 0),
        "unchanged": totals.get(RowResult.IMPORT_TYPE_SKIP, 0),
        "rows": rows,
        "rows_left_out": changed - len(rows),
    }


def _refused(job: ImportJob, problems: list[_Problem], **extra) -> None:
    job.report = {
        "problems": [p.as_json() for p in problems],
        "problem_count": len(problems),
        **extra,
    }
    job.state = ImportJob.State.REFUSED


def run(job: ImportJob, *, confirm: bool) -> ImportJob:
    """Check the job's file (a dry run) or, with ``confirm``, import it: all rows or none.

    Runs in the request for small files and in the task worker for large ones; in the job's
    language, as the job's user.
    """
    importer = importer_for(job.kind)
    user = job.user
    with translation.override(job.language):
        target = importer.get_target(job.target_id)
        try:
            if not importer.may_import(user, target):
                raise PermissionDenied
            refusal = importer.refusal(target)
            if refusal:
                _refused(job, [_Problem(None, "—", refusal)])
            else:
                data = _read(job)
                if hashlib.sha256(data).hexdigest() != job.sha256:
                    raise SpreadsheetError(_("The stored file has changed; upload it again."))
                table = read_table(data)
                problems = _header_problems(importer, table)
                if problems:
                    _refused(job, problems)
                else:
                    _import(job, importer, table, target, user, confirm)
        except SpreadsheetError as error:
            _refused(job, [_Problem(None, "—", str(error))])
        except PermissionDenied:
            _refused(job, [_Problem(None, "—", _("You may not import into this."))])
        except Exception:
            logger.exception("Import %s failed", job.pk)
            _refused(
                job,
                [
                    _Problem(
                        None,
                        "—",
                        _("An unexpected error stopped the import; nothing was imported."),
                    )
                ],
            )
        now = timezone.now()
        if job.state == ImportJob.State.CHECKING:
            job.state = ImportJob.State.CHECKED
        if confirm or job.state != ImportJob.State.CHECKED:
            _remove(job)  # an outcome is final: the file is not kept
            job.finished_at = now
        if job.checked_at is None:
            job.checked_at = now
        job.save()
    return job


def _import(job, importer, table, target, user, confirm: bool) -> None:
    resource = importer.resource(target=target, user=user, table=table)
    resource.progress = lambda number: _set_progress(job, number)
    result = resource.import_data(
        table.dataset,
        dry_run=not confirm,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )
    report = _report(result, table, resource)
    job.report = report
    if report["problem_count"]:
        job.state = ImportJob.State.REFUSED
    elif confirm:
        job.state = ImportJob.State.IMPORTED


def start(job: ImportJob, *, confirm: bool) -> None:
    """Run the job now, or as a task when the file is large."""
    if job.rows > settings.IMPORT_TASK_ROWS and _enqueue(job, confirm):
        return
    run(job, confirm=confirm)


@task()
def run_import_job(job_id: str, confirm: bool) -> str:
    """The task of a large import: the dry run, or the import itself (all or nothing)."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not job.is_running:  # a second delivery of a finished job
        return job.state
    return run(job, confirm=confirm).state


def _enqueue(job: ImportJob, confirm: bool) -> bool:
    """Queue the job for the task worker (the progress shows on the job page)."""
    _set_progress(job, 0)
    result = run_import_job.enqueue(str(job.pk), confirm)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return True


def _check_task(job: ImportJob) -> None:
    """A job whose task failed (the worker died, say) is refused rather than left running."""
    if not (job.is_running and job.task_id):
        return
    try:
        result = run_import_job.get_result(job.task_id)
    except Exception:  # no such result (pruned), or a backend that keeps none
        return
    if result.status == TaskResultStatus.FAILED:
        _remove(job)
        _refused(
            job,
            [
                _Problem(
                    None, "—", _("An unexpected error stopped the import; nothing was imported.")
                )
            ],
        )
        job.finished_at = timezone.now()
        job.save()


# --- views (each app's admin routes them: see ``admin_urls``) --------------------------------


def _context(model_admin, request, importer, target, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": importer.title(target),
        "importer": importer,
        "target": target,
        "upload_url": importer.upload_url(target),
        **extra,
    }


def create_job(*, importer: Importer, target, user, data: bytes, file_name: str, rows: int):
    """Keep an uploaded file (already read by ``read_table``) in the library's storage, in
    the user's folder, and record it as a job waiting for its dry run."""
    job = ImportJob(
        kind=importer.kind,
        target_id=getattr(target, "pk", None),
        user=user,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        rows=rows,
        state=ImportJob.State.CHECKING,
    )
    _store(job, data)
    job.save()
    return job


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (XLSX or CSV)"),
        error_messages={
            "empty": gettext_lazy("The file is empty: it has no header row and no rows.")
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:  # refused before a byte is read into memory
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; at most %(limit)s can be imported at a time. "
                    "Split it into smaller files."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        data = upload.read()
        try:
            self.cleaned_data["table"] = read_table(data)
        except SpreadsheetError as error:
            raise forms.ValidationError(str(error)) from None
        self.cleaned_data["data"] = data
        return upload


def upload_view(model_admin, request, *, importer: Importer, target, template: str):
    if not importer.may_import(request.user, target):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        remove_expired_jobs()
        job = create_job(
            importer=importer,
            target=target,
            user=request.user,
            data=form.cleaned_data["data"],
            file_name=form.cleaned_data["file"].name,
            rows=form.cleaned_data["table"].dataset.height,
        )
        start(job, confirm=False)
        return HttpResponseRedirect(job_url(importer, target, job))
    recent = [
        (job, job_url(importer, target, job))
        for job in ImportJob.objects.filter(
            user=request.user, kind=importer.kind, target_id=getattr(target, "pk", None)
        )[:5]
    ]
    limits = {
        "size": filesizeformat(settings.IMPORT_MAX_BYTES),
        "rows": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
    }
    context = _context(
        model_admin, request, importer, target, form=form, recent=recent, limits=limits
    )
    return TemplateResponse(request, template, context)


def job_url(importer, target, job, suffix: str = "") -> str:
    name, args = importer.url_name(target, f"import_job{suffix}")
    return reverse(name, args=[*args, job.pk])


def _job_for_user(model_admin, request, importer, target, job_id):
    """The user's own job, or a message and None (another user's job, or none at all)."""
    job = ImportJob.objects.filter(pk=job_id, kind=importer.kind).first()
    if job is None or job.target_id != getattr(target, "pk", None):
        model_admin.message_user(
            request,
            _("There is no such import: it may have expired. Upload the file again."),
            messages.ERROR,
        )
        return None
    if job.user_id != request.user.pk:
        model_admin.message_user(
            request,
            _("This import was uploaded by another user; only they can see and confirm it."),
            messages.ERROR,
        )
        return None
    return job


def job_view(model_admin, request, job_id, *, importer: Importer, target, template: str):
    if not importer.may_import(request.user, target):
        raise PermissionDenied
    job = _job_for_user(model_admin, request, importer, target, job_id)
    if job is None:
        return HttpResponseRedirect(importer.upload_url(target))
    _check_task(job)
    done = progress_of(job)
    context = _context(
        model_admin,
        request,
        importer,
        target,
        job=job,
        report=job.report,
        done=done,
        progress=progress_text(job, done),
        confirm_url=job_url(importer, target, job, "_confirm"),
        discard_url=job_url(importer, target, job, "_discard"),
        progress_url=job_url(importer, target, job, "_progress"),
        done_url=importer.done_url(target),
    )
    return TemplateResponse(request, template, context)


def confirm_view(model_admin, request, job_id, *, importer: Importer, target):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not importer.may_import(request.user, target):
        raise PermissionDenied
    job = _job_for_user(model_admin, request, importer, target, job_id)
    if job is None:
        return HttpResponseRedirect(importer.upload_url(target))
    # Once only, whatever is clicked twice: the state moves on in one UPDATE.
    claimed = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.CHECKED).update(
        state=ImportJob.State.IMPORTING
    )
    if not claimed:
        model_admin.message_user(
            request,
            _("This import cannot be confirmed (it is %(state)s). Upload the file again.")
            % {"state": job.get_state_display()},
            messages.ERROR,
        )
        return HttpResponseRedirect(job_url(importer, target, job))
    job.refresh_from_db()
    start(job, confirm=True)
    job.refresh_from_db()
    if job.state == ImportJob.State.IMPORTED:
        report = job.report
        model_admin.message_user(
            request,
            _("Imported: %(new)d new and %(updated)d changed, %(unchanged)d unchanged.")
            % {
                "new": report.get("new", 0),
                "updated": report.get("updated", 0),
                "unchanged": report.get("unchanged", 0),
            },
            messages.SUCCESS,
        )
    elif job.state == ImportJob.State.REFUSED:
        model_admin.message_user(
            request, _("Nothing was imported: correct the file and try again."), messages.ERROR
        )
    return HttpResponseRedirect(job_url(importer, target, job))


def discard_view(model_admin, request, job_id, *, importer: Importer, target):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = _job_for_user(model_admin, request, importer, target, job_id)
    if job is not None and job.state == ImportJob.State.CHECKED:
        _remove(job)
        job.state = ImportJob.State.DISCARDED
        job.finished_at = timezone.now()
        job.save()
        model_admin.message_user(request, _("The file was discarded; nothing was imported."))
    return HttpResponseRedirect(importer.upload_url(target))


def progress_view(model_admin, request, job_id, *, importer: Importer, target):
    job = ImportJob.objects.filter(pk=job_id, user=request.user, kind=importer.kind).first()
    if job is None:
        return JsonResponse({"error": "not found"}, status=404)
    _check_task(job)
    done = progress_of(job)
    return JsonResponse(
        {"state": job.state, "done": done, "total": job.rows, "text": progress_text(job, done)}
    )


def admin_urls(model_admin, prefix: str, name_prefix: str, view_for) -> list:
    """The job page and its actions under an app's admin; ``view_for(name)`` wraps a view."""
    wrap = model_admin.admin_site.admin_view
    return [
        path(f"{prefix}<uuid:job_id>/", wrap(view_for("job")), name=f"{name_prefix}_import_job"),
        path(
            f"{prefix}<uuid:job_id>/confirm/",
            wrap(view_for("confirm")),
            name=f"{name_prefix}_import_job_confirm",
        ),
        path(
            f"{prefix}<uuid:job_id>/discard/",
            wrap(view_for("discard")),
            name=f"{name_prefix}_import_job_discard",
        ),
        path(
            f"{prefix}<uuid:job_id>/progress/",
            wrap(view_for("progress")),
            name=f"{name_prefix}_import_job_progress",
        ),
    ]
