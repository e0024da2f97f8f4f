"""Background jobs on huey (docs/adr/0020): the `Job` row people see, and its hand-off to the
engine.

An app declares a kind of job in its own `jobs.py` with `@job_kind`; a view calls `enqueue`,
which writes the row and, once the transaction commits, hands its id to huey. `mpp worker` runs
the consumer, which claims the row, runs the kind's function and records the outcome. Periodic
work is `@periodic(crontab(...))` on a function in an app's `jobs.py`: the worker's scheduler
runs it.

The engine carries only the job's id. Everything people ask about (status, progress, error, the
file made) is in the database, so the status page, the admin and a rerun work the same whether
the queue is a SQLite file or Redis, and a queue lost with its Redis loses no job's record.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import RetryTask

from mpp.core.models import Job, JobStatus, audit

__all__ = [
    "HUEY",
    "ContentFile",
    "Job",
    "JobStatus",
    "Outcome",
    "Progress",
    "RetryTask",
    "audit",
    "crontab",
    "enqueue",
    "job_kind",
    "periodic",
    "rerun",
    "task",
]

logger = logging.getLogger("mpp.jobs")

StrOrPromise = str | Promise

# A job the queue never received is handed over again after this long (the scheduler's check).
RESEND_AFTER = timedelta(seconds=30)
# A job still "running" this long after it started lost its worker (kill -9, a reboot).
RUNNING_AT_MOST = timedelta(hours=2)


@dataclass
class Outcome:
    """What a job's function returns: the message people read, data for its page (an import's
    bad rows), and a file it made (name, bytes), saved through default_storage."""

    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    file: tuple[str, bytes] | None = None


Run = Callable[[Job, "Progress"], Outcome]


@dataclass(frozen=True)
class Kind:
    name: str
    label: StrOrPromise  # lazy: said in the reader's language
    run: Run
    retries: int  # attempts after the first one, for a failure the next attempt may not meet


_KINDS: dict[str, Kind] = {}


def job_kind(name: str, *, label: StrOrPromise, retries: int = 1) -> Callable[[Run], Run]:
    """Declare the function that does jobs of `name` (label: what the pages call it, lazy)."""

    def register(run: Run) -> Run:
        _KINDS[name] = Kind(name, label, run, retries)
        return run

    return register


def kind_of(name: str) -> Kind | None:
    if name not in _KINDS:
        autodiscover_modules("jobs")  # the apps' jobs.py declare their kinds when imported
    return _KINDS.get(name)


def label_of(job: Job) -> str:
    kind = kind_of(job.kind)
    return str(kind.label) if kind else job.kind


def periodic(schedule: crontab) -> Callable[[Callable[[], Any]], Any]:
    """Run the function on `schedule` in the worker's scheduler, e.g.
    `@periodic(crontab(hour="2", minute="30"))` in an app's jobs.py. Times are UTC."""
    return db_periodic_task(schedule)  # type: ignore[no-any-return]


def task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """A plain engine task, for work whose record is an app's own row rather than a `Job` (the
    message outbox, docs/adr/0033: a row per message with its own status and retries). It takes
    ids only; calling it queues it, `.schedule(args, delay=seconds)` queues it for later."""
    return db_task(**options)  # type: ignore[no-any-return]


# --- queueing ------------------------------------------------------------------------------


def store_upload(upload: UploadedFile, default_name: str) -> tuple[str, str]:
    """Store an uploaded file (its size already bounded by the form, core/sheets.py) through the
    storage API, so any worker reads it: (its storage path, the name the person gave it)."""
    name = upload.name or default_name
    return default_storage.save(f"uploads/{uuid.uuid4().hex}/{name[-100:]}", upload), name


def enqueue(
    kind: str,
    *,
    acting_user: object | None,
    params: dict[str, Any] | None = None,
    input_file: str = "",
    mall_id: int | None = None,
    tenant_id: int | None = None,
) -> Job:
    """Record a job and hand it to the engine once the caller's transaction commits (a job is
    never run for a row that rolled back, nor before its uploaded file's row is visible)."""
    if kind_of(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        input_file=input_file,
        created_by_id=getattr(acting_user, "pk", None),
        mall_id=mall_id,
        tenant_id=tenant_id,
    )
    audit(actor=acting_user, action="job.queued", obj=job, mall_id=mall_id, data={"kind": kind})
    transaction.on_commit(lambda: send(job.pk), robust=True)
    return job


def send(job_id: int) -> bool:
    """Hand a recorded job to the engine. False (and the row left unsent) when the queue is out
    of reach: the request that asked for it still succeeds, and the scheduler sends it later."""
    try:
        run_job(job_id)
    except Exception:  # Redis down, the SQLite queue locked past its timeout
        logger.exception("job %s could not be queued; the scheduler will send it again", job_id)
        return False
    Job.objects.filter(pk=job_id, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def rerun(job: Job, *, acting_user: object) -> bool:
    """Queue a failed job again, as it was asked (its uploaded file is kept for this). False
    when the job has not failed: a queued, running or finished job is not run twice."""
    with transaction.atomic():
        changed = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
            status=JobStatus.QUEUED,
            error="",
            message="",
            done=0,
            sent_at=None,
            started_at=None,
            finished_at=None,
            attempts=0,
        )
        if not changed:
            return False
        audit(actor=acting_user, action="job.rerun", obj=job, mall_id=job.mall_id)
        transaction.on_commit(lambda: send(job.pk), robust=True)
    return True


# --- progress ------------------------------------------------------------------------------


def _progress_key(job_id: int) -> str:
    return f"mpp-job-progress:{job_id}"


class Progress:
    """How far a running job is. Kept in the engine's own store, not the job's row: an import
    runs in one transaction (all or nothing), and on SQLite another write beside it would wait
    for that transaction's lock. Written at most every half second."""

    INTERVAL = 0.5

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < self.INTERVAL and done < total:
            return
        self._last = now
        self.job.done, self.job.total, self.job.message = done, total, message[:300]
        try:
            HUEY.put(_progress_key(self.job.pk), (done, total, message[:300]))
        except Exception:  # progress is a courtesy: a store out of reach does not fail the job
            logger.warning("progress of job %s not recorded", self.job.pk, exc_info=True)


def progress_of(job: Job) -> tuple[int, int, str]:
    """(done, total, message) of a job: its running figures while it runs, else its row's."""
    if job.status == JobStatus.RUNNING:
        try:
            found = HUEY.get(_progress_key(job.pk), peek=True)
        except Exception:
            found = None
        if found:
            done, total, message = found
            return int(done), int(total), str(message)
    return job.done, job.total, job.message


def _forget_progress(job_id: int) -> None:
    try:
        HUEY.delete(_progress_key(job_id))
    except Exception:  # stays until the store is flushed; harmless, keyed by a unique id
        logger.warning("progress of job %s not deleted", job_id, exc_info=True)


# --- running -------------------------------------------------------------------------------


def retry_delay() -> int:
    return int(settings.MPP_JOB_RETRY_SECONDS)


@db_task()
def run_job(job_id: int) -> None:
    """The engine's one task: claim the job's row, run its kind, record the outcome."""
    execute(job_id)


def execute(job_id: int) -> Job | None:
    """Run job `job_id` if it is queued (None if another worker has it or it is finished).
    A failure the kind may retry leaves it queued and asks the engine to run it again later;
    the last failure marks it failed with its error, for the administrator to rerun."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        sent_at=timezone.now(),
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by").get(pk=job_id)
    kind = kind_of(job.kind)
    try:
        if kind is None:
            raise LookupError(_("Jenis tugas %(k)s tidak dikenal.") % {"k": job.kind})
        outcome = kind.run(job, Progress(job))
        result_file = ""
        if outcome.file is not None:
            name, data = outcome.file
            result_file = default_storage.save(f"jobs/{job.pk}/{name}", ContentFile(data))
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        will_retry = kind is not None and job.attempts <= kind.retries
        logger.exception("job %s (%s) failed, attempt %s", job.pk, job.kind, job.attempts)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED if will_retry else JobStatus.FAILED,
            error=error,
            finished_at=None if will_retry else timezone.now(),
        )
        _forget_progress(job.pk)
        if will_retry:
            raise RetryTask(delay=retry_delay()) from exc
        job.refresh_from_db()
        return job
    done = max(job.total, job.done)
    finished: dict[str, Any] = {"result_file": result_file} if result_file else {}
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        done=done,
        total=done,
        message=outcome.message[:300],
        result=outcome.result,
        error="",
        finished_at=timezone.now(),
        **finished,  # a kind may have recorded a file of its own (investment's stored PDF)
    )
    _forget_progress(job.pk)
    job.refresh_from_db()
    return job


# --- the engine's own housekeeping ---------------------------------------------------------


@periodic(crontab(minute="*"))
def send_unsent_jobs() -> int:
    """Hand over again jobs the queue never received (Redis was down at the hand-off)."""
    due = timezone.now() - RESEND_AFTER
    ids = list(
        Job.objects.filter(
            status=JobStatus.QUEUED, sent_at__isnull=True, created_at__lt=due
        ).values_list("pk", flat=True)[:500]
    )
    return sum(send(pk) for pk in ids)


@periodic(crontab(minute="*/10"))
def fail_abandoned_jobs() -> int:
    """A job still running long after it started lost its worker: failed, so it can be rerun."""
    return Job.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=timezone.now() - RUNNING_AT_MOST
    ).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error=_("Pekerja latar berhenti saat tugas ini berjalan; jalankan ulang."),
    )


@periodic(crontab(hour="19", minute="40"))  # 03:40 WITA, when no MPP is open
def delete_old_job_files() -> int:
    """Files of finished jobs older than MPP_JOB_FILE_DAYS (uploads and results) are deleted;
    the job's row stays, saying what it did."""
    before = timezone.now() - timedelta(days=settings.MPP_JOB_FILE_DAYS)
    old = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=before
    ).exclude(input_file="", result_file="")
    deleted = 0
    for job in old.iterator():
        for path in (job.input_file, job.result_file):
            if path:
                default_storage.delete(path)
                deleted += 1
        Job.objects.filter(pk=job.pk).update(input_file="", result_file="")
    return deleted


@periodic(crontab(hour="19", minute="50"))  # 03:50 WITA
def delete_old_audit_entries() -> int:
    """Audit entries older than MPP_AUDIT_RETENTION_DAYS (settings.py says why five years)."""
    from mpp.core.models import AuditEntry

    before = timezone.now() - timedelta(days=settings.MPP_AUDIT_RETENTION_DAYS)
    deleted, _per_model = AuditEntry.objects.filter(at__lt=before).delete()
    return deleted
