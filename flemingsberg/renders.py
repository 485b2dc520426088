"""PDFs rendered by the task worker, never in a request: from request to stored file.

Each kind of document registers a :class:`Renderer` (in its app's ``AppConfig.ready``): how
to find what it renders, a cheap **content version** of it (the versions of the rows the
document shows – counts, ids, ``updated_at`` – never its HTML), how to render it, and who is
told when it cannot be made.

1. :func:`request_render` computes the job's ``content_key`` (kind, target, language, the
   content version and :func:`flemingsberg.pdf.layout_fingerprint`) and finds or creates the
   one :class:`~flemingsberg.models.RenderJob` of that key: identical requests share one
   render, and a change of the content makes a new key by itself. A new job is queued in the
   same transaction as whatever asked for it (the database backend writes the task as a row),
   so a failed enqueue rolls the request back.
2. :func:`render_document` (the task) claims the job, renders it and stores the PDF with its
   SHA-256. A failure is retried (django-tasks 0.12 has no retries of its own: the job is
   queued again, later each time) up to ``RENDER_MAX_ATTEMPTS``; after the last one the
   renderer's editors get an e-mail (``flemingsberg.mail.queue_email``) and the job stays
   ``failed`` for the admin to show.
3. :func:`check_renders` (``manage.py check_renders``, run it periodically) queues again what
   a dead worker left behind and asks each renderer for documents that must exist but do not
   (an adopted plan's document).

Views never render: they serve a ready job's bytes (or a stored document) or say that the
document is being prepared (:func:`preparing_response`).
"""

from __future__ import annotations

import abc
import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Max, Sum
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .mail import queue_email
from .models import RenderJob
from .pdf import layout_fingerprint

logger = logging.getLogger(__name__)

#: Seconds a visitor is asked to wait before trying again (Retry-After).
RETRY_AFTER_SECONDS = 60
ERROR_LENGTH = 2_000


class Renderer(abc.ABC):
    """One kind of document: what it renders, its content version, and the render itself."""

    kind: str = ""
    #: False when the renderer keeps the document itself (an adopted plan's document is an
    #: ``AdoptedPlanDocument``); the job then holds no copy of the bytes.
    keeps_result: bool = True

    @abc.abstractmethod
    def get_target(self, target_id: int | None):
        """The object the job's ``target_id`` names (a plan, a round), or None."""

    @abc.abstractmethod
    def content_version(self, target, language: str) -> str:
        """A short text that changes whenever anything the document shows changes; cheap
        (aggregates over the rows, see :func:`rows_version`), never the HTML."""

    @abc.abstractmethod
    def render(self, target, language: str, job: RenderJob) -> bytes:
        """The document's PDF bytes, rendered in the worker."""

    def title(self, target, language: str) -> str:
        return f"{self.kind} {getattr(target, 'pk', '')}"

    def filename(self, target, language: str) -> str:
        return f"{self.kind}-{language}.pdf"

    def failure_recipients(self, target) -> list[str]:
        """Who is told when every attempt failed (addresses); nobody by default."""
        return []

    def admin_url(self, target) -> str:
        """Where staff see the document's state (named in the failure e-mail)."""
        return ""

    def missing(self) -> Iterable[tuple[object, str]]:
        """(target, language) of documents that must exist and do not (check_renders)."""
        return ()


_renderers: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    _renderers[renderer.kind] = renderer


def renderer_for(kind: str) -> Renderer:
    return _renderers[kind]


# --- content keys ----------------------------------------------------------------------------


def rows_version(queryset: models.QuerySet) -> str:
    """The version of a set of rows, cheaply: one aggregate for a model with ``updated_at``
    (how many, the newest change, the sum of the ids – a deletion, an addition and an edit
    each move one of them) and for a many-to-many table (its rows are only ever added and
    deleted, never changed, and a new row's id is above every id before it: how many, the
    sum and the largest id); for a small model with neither, a hash of the rows' values.

    The hash reads the rows in one plain query: ``iterator()`` would read them through a
    server-side cursor on PostgreSQL, which plans for the first rows and took a plan's goal
    links 90 ms against 4 ms."""
    model = queryset.model
    field_names = {field.name for field in model._meta.concrete_fields}
    rows = queryset.order_by()
    if "updated_at" in field_names:
        row = rows.aggregate(n=Count("pk"), newest=Max("updated_at"), ids=Sum("pk"))
        newest = row["newest"].isoformat() if row["newest"] else "-"
        return f"{row['n']}:{newest}:{row['ids'] or 0}"
    if model._meta.auto_created:  # the table Django made for a ManyToManyField
        row = rows.aggregate(n=Count("pk"), ids=Sum("pk"), top=Max("pk"))
        return f"{row['n']}:{row['ids'] or 0}:{row['top'] or 0}"
    digest = hashlib.sha256()
    columns = [field.attname for field in model._meta.concrete_fields]
    for values in rows.order_by("pk").values_list(*columns):
        digest.update(repr(values).encode())
    return digest.hexdigest()[:16]


def content_key(renderer: Renderer, target, language: str) -> str:
    parts = [
        renderer.kind,
        str(getattr(target, "pk", "")),
        language,
        layout_fingerprint(),
        renderer.content_version(target, language),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# --- requesting ------------------------------------------------------------------------------


def request_render(
    kind: str, target, language: str, *, by=None, retry_failed: bool = False
) -> RenderJob:
    """The job of the document's current content: found, or created and queued.

    ``retry_failed`` queues a failed job again (a member of staff asked again, or the
    periodic check); a visitor's request never does, so a broken document is not rendered
    again on every visit.
    """
    renderer = renderer_for(kind)
    key = content_key(renderer, target, language)
    job = RenderJob.objects.without_result().filter(content_key=key).first()
    if job is None:
        try:
            with transaction.atomic():
                job = RenderJob.objects.create(
                    kind=kind,
                    target_id=getattr(target, "pk", None),
                    language=language,
                    content_key=key,
                    requested_by=by if by is not None and by.is_authenticated else None,
                )
                _enqueue(job)
        except IntegrityError:  # the same request, a moment earlier, in another process
            pass
        job = RenderJob.objects.without_result().get(content_key=key)
    elif retry_failed and job.status == RenderJob.Status.FAILED:
        requeue(job, reset_attempts=True)
        job.refresh_from_db()
    return job


def requeue(job: RenderJob, *, reset_attempts: bool = False, delay: int = 0) -> None:
    """Queue the job (again); in the caller's transaction."""
    job.status = RenderJob.Status.QUEUED
    job.finished_at = None
    if reset_attempts:
        job.attempts = 0
    job.save(update_fields=["status", "finished_at", "attempts", "updated_at"])
    _enqueue(job, delay=delay)


def _enqueue(job: RenderJob, *, delay: int = 0) -> None:
    task_to_run = render_document
    if delay and task_to_run.get_backend().supports_defer:
        run_after = timezone.now() + timezone.timedelta(seconds=delay)
        task_to_run = task_to_run.using(run_after=run_after)
    result = task_to_run.enqueue(str(job.pk))
    RenderJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


# --- rendering (the task) ---------------------------------------------------------------------


@task()
def render_document(job_id: str) -> str:
    """Render a job's document and store it; retried on failure (see the module)."""
    now = timezone.now()
    claimed = RenderJob.objects.filter(pk=job_id, status=RenderJob.Status.QUEUED).update(
        status=RenderJob.Status.RUNNING, started_at=now, updated_at=now, attempts=F("attempts") + 1
    )
    job = RenderJob.objects.without_result().filter(pk=job_id).first()
    if job is None:
        return "gone"
    if not claimed:  # a second delivery, or a job another worker is rendering
        return job.status
    renderer = renderer_for(job.kind)
    try:
        with translation.override(job.language):
            target = renderer.get_target(job.target_id)
            if target is None:
                raise LookupError(f"{job.kind} {job.target_id} no longer exists")
            pdf = renderer.render(target, job.language, job)
    except Exception as error:
        logger.exception("Render %s (%s, attempt %s) failed", job.pk, job.kind, job.attempts)
        _failed(job, renderer, error)
        return job.status
    job.sha256 = hashlib.sha256(pdf).hexdigest()
    job.size = len(pdf)
    job.result = pdf if renderer.keeps_result else None
    job.status = RenderJob.Status.READY
    job.error = ""
    job.finished_at = timezone.now()
    job.save()
    return job.status


def _failed(job: RenderJob, renderer: Renderer, error: Exception) -> None:
    job.error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    if job.attempts < settings.RENDER_MAX_ATTEMPTS:
        job.save(update_fields=["error", "updated_at"])
        # Later each time: a database that was briefly away, a worker out of memory.
        requeue(job, delay=settings.RENDER_RETRY_SECONDS * job.attempts)
        return
    job.status = RenderJob.Status.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["error", "status", "finished_at", "updated_at"])
    tell_editors(job, renderer)


def tell_editors(job: RenderJob, renderer: Renderer) -> None:
    """E-mail the renderer's recipients that every attempt failed (once per job)."""
    if job.reported_at is not None:
        return
    target = renderer.get_target(job.target_id)
    recipients = renderer.failure_recipients(target) if target is not None else []
    with translation.override(settings.LANGUAGE_CODE):
        title = renderer.title(target, job.language) if target is not None else job.kind
        subject = _("A PDF could not be made: %(title)s") % {"title": title}
        body = render_to_string(
            "flemingsberg/render_failed_email.txt",
            {
                "job": job,
                "title": title,
                "admin_url": renderer.admin_url(target) if target is not None else "",
            },
        )
    if recipients:
        try:
            # Queued like every e-mail (sent by the worker, retried by flemingsberg.mail).
            queue_email(to=recipients, subject=subject, body=body)
        except Exception:  # the failure stays on the admin page; the mail is a courtesy
            logger.exception("Could not tell the editors about render %s", job.pk)
            return
    else:
        logger.error("Render %s failed and nobody can be told: %s", job.pk, job.error)
    RenderJob.objects.filter(pk=job.pk).update(reported_at=timezone.now())
    job.reported_at = timezone.now()


# --- the periodic check -----------------------------------------------------------------------


def check_renders() -> dict[str, int]:
    """Queue again what was left behind, and request documents that must exist.

    - a job ``running`` longer than ``RENDER_STALE_SECONDS`` (its worker died) or ``queued``
      that long (its task was lost) is queued again;
    - each renderer's :meth:`Renderer.missing` documents are requested, a failed job of
      theirs queued again with fresh attempts: an adopted plan ends up with its document.
    """
    counts = {"stuck": 0, "missing": 0}
    for job in RenderJob.objects.without_result().stuck(settings.RENDER_STALE_SECONDS):
        with transaction.atomic():
            requeue(job)
        counts["stuck"] += 1
    for renderer in _renderers.values():
        for target, language in renderer.missing():
            with transaction.atomic():
                job = request_render(renderer.kind, target, language, retry_failed=True)
                if job.status == RenderJob.Status.READY:  # ready, yet its file is missing
                    requeue(job, reset_attempts=True)
            counts["missing"] += 1
    return counts


# --- serving ----------------------------------------------------------------------------------


def ready_result(job: RenderJob) -> bytes | None:
    """The bytes of a ready job that keeps them (one query), or None."""
    rows = RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.READY)
    result = rows.values_list("result", flat=True).first()
    return bytes(result) if result is not None else None


def status_text(job: RenderJob) -> str:
    """The job's state in a sentence, for its page and its status endpoint."""
    if job.status == RenderJob.Status.READY:
        return _("Ready (%(size)s).") % {"size": filesizeformat(job.size or 0)}
    if job.status == RenderJob.Status.FAILED:
        return _("Failed after %(attempts)d attempts; the editors have been told.") % {
            "attempts": job.attempts
        }
    if job.status == RenderJob.Status.RUNNING:
        return _("Being rendered (attempt %(attempt)d of %(most)d)…") % {
            "attempt": job.attempts,
            "most": settings.RENDER_MAX_ATTEMPTS,
        }
    if job.attempts:
        return _("Queued again after a failed attempt (%(attempt)d of %(most)d).") % {
            "attempt": job.attempts,
            "most": settings.RENDER_MAX_ATTEMPTS,
        }
    return _("Queued: waiting for the task worker.")


def preparing_response(request, *, title: str, job: RenderJob | None = None) -> HttpResponse:
    """The page a visitor gets instead of a document that is not ready yet.

    503 with ``Retry-After``: the document exists (it is queued) but cannot be served for
    now, which tells browsers, crawlers and shared caches to come back rather than keep this
    page as the document.
    """
    from django.shortcuts import render

    failed = job is not None and job.status == RenderJob.Status.FAILED
    response = render(
        request,
        "flemingsberg/document_preparing.html",
        {"title": title, "failed": failed, "retry_minutes": RETRY_AFTER_SECONDS // 60},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
