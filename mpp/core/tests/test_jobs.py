"""Background jobs (core/jobs.py): the row, its hand-off on commit, the outcome, retries, a rerun,
and the periodic housekeeping. The task bodies run here in the test's process (conftest.py puts
huey in immediate mode); test_worker.py runs the real `mpp worker`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from mpp.core import jobs
from mpp.core.models import AuditEntry, Job, JobStatus

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


@jobs.job_kind("test.count", label="Uji hitung", retries=0)
def count_to_three(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    for step in range(1, 4):
        progress(step, 3, f"langkah {step}")
    CALLS.append(job.pk)
    return jobs.Outcome(message="Tiga langkah selesai.", file=("hasil.txt", b"1 2 3"))


@jobs.job_kind("test.fails", label="Uji gagal", retries=0)
def fails(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    if not job.params.get("fixed"):
        raise RuntimeError("berkas rusak")
    return jobs.Outcome(message="Berhasil setelah diperbaiki.")


@jobs.job_kind("test.flaky", label="Uji sesekali gagal", retries=2)
def flaky(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    raise ConnectionError("database sibuk")


def test_a_job_is_handed_over_only_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.enqueue("test.count", acting_user=None)
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED and job.sent_at is None
    assert job.pk not in CALLS
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.pk in CALLS
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert job.message == "Tiga langkah selesai." and job.attempts == 1
    assert job.started_at and job.finished_at and job.sent_at
    assert default_storage.open(job.result_file).read() == b"1 2 3"
    assert job.result_file.startswith(f"jobs/{job.pk}/")
    assert AuditEntry.objects.filter(action="job.queued", object_id=str(job.pk)).exists()


def test_a_job_that_rolled_back_is_never_run(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                jobs.enqueue("test.count", acting_user=None)
                raise ValueError("the request failed after queueing")
        except ValueError:
            pass
    assert callbacks == [] and not Job.objects.exists()


def test_an_unknown_kind_is_refused_before_any_row():
    with pytest.raises(ValueError, match="unknown job kind"):
        jobs.enqueue("test.nothing", acting_user=None)
    assert not Job.objects.exists()


def test_a_failing_job_keeps_its_error_and_a_rerun_runs_it_again(
    cast, django_capture_on_commit_callbacks
):
    admin = cast.regency_admin()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("test.fails", acting_user=admin)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: berkas rusak" and job.finished_at

    job.params = {"fixed": True}
    job.save(update_fields=["params"])
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.rerun(job, acting_user=admin)
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == (JobStatus.DONE, "", 1)
    assert job.message == "Berhasil setelah diperbaiki."
    assert AuditEntry.objects.filter(action="job.rerun", actor=admin).count() == 1
    assert not jobs.rerun(job, acting_user=admin)  # a finished job is not run twice


def test_a_failure_the_kind_may_retry_leaves_it_queued_until_the_last_attempt():
    job = Job.objects.create(kind="test.flaky")
    with pytest.raises(jobs.RetryTask):
        jobs.execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
    assert job.error == "ConnectionError: database sibuk"
    with pytest.raises(jobs.RetryTask):
        jobs.execute(job.pk)
    assert jobs.execute(job.pk).status == JobStatus.FAILED  # type: ignore[union-attr]
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)


def test_a_job_already_claimed_is_not_run_twice():
    CALLS.clear()
    job = Job.objects.create(kind="test.count", status=JobStatus.RUNNING)
    assert jobs.execute(job.pk) is None
    assert job.pk not in CALLS


def test_progress_is_read_from_the_engine_while_the_job_runs():
    job = Job.objects.create(kind="test.count", status=JobStatus.RUNNING)
    jobs.Progress(job)(2, 5, "dua dari lima")
    assert jobs.progress_of(job) == (2, 5, "dua dari lima")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    # A finished job's figures are its row's.
    assert jobs.progress_of(Job.objects.get(pk=job.pk)) == (0, 0, "")
    jobs._forget_progress(job.pk)


def test_a_job_the_queue_never_received_is_sent_again_by_the_scheduler():
    stale = Job.objects.create(kind="test.count")
    Job.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    fresh = Job.objects.create(kind="test.count")  # its own hand-off may still be under way

    assert jobs.send_unsent_jobs.call_local() == 1

    assert Job.objects.get(pk=stale.pk).status == JobStatus.DONE
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.QUEUED


def test_a_job_running_for_hours_lost_its_worker_and_is_failed_for_a_rerun():
    lost = Job.objects.create(
        kind="test.count", status=JobStatus.RUNNING, started_at=timezone.now() - timedelta(hours=3)
    )
    busy = Job.objects.create(
        kind="test.count", status=JobStatus.RUNNING, started_at=timezone.now()
    )
    assert jobs.fail_abandoned_jobs.call_local() == 1
    assert Job.objects.get(pk=lost.pk).status == JobStatus.FAILED
    assert "jalankan ulang" in Job.objects.get(pk=lost.pk).error
    assert Job.objects.get(pk=busy.pk).status == JobStatus.RUNNING


def test_old_job_files_are_deleted_and_the_row_stays(settings):
    settings.MPP_JOB_FILE_DAYS = 14
    old_in = default_storage.save("uploads/a/lkpm.csv", jobs.ContentFile(b"x"))
    old_out = default_storage.save("jobs/1/hasil.pdf", jobs.ContentFile(b"y"))
    new_in = default_storage.save("uploads/b/lkpm.csv", jobs.ContentFile(b"z"))
    old = Job.objects.create(
        kind="test.count",
        status=JobStatus.DONE,
        input_file=old_in,
        result_file=old_out,
        finished_at=timezone.now() - timedelta(days=15),
    )
    new = Job.objects.create(
        kind="test.count", status=JobStatus.DONE, input_file=new_in, finished_at=timezone.now()
    )

    assert jobs.delete_old_job_files.call_local() == 2

    assert not default_storage.exists(old_in) and not default_storage.exists(old_out)
    assert default_storage.exists(new_in)
    old.refresh_from_db()
    assert (old.input_file, old.result_file) == ("", "")
    assert Job.objects.get(pk=new.pk).input_file == new_in


def test_audit_entries_past_the_retention_are_deleted(settings):
    settings.MPP_AUDIT_RETENTION_DAYS = 30
    job = Job.objects.create(kind="test.count")
    old = AuditEntry.objects.create(action="x", object_type="t", object_id="1")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = jobs.audit(actor=None, action="y", obj=job)

    assert jobs.delete_old_audit_entries.call_local() == 1

    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()


def test_the_default_retention_of_audit_entries_is_five_years():
    from django.conf import settings

    assert settings.MPP_AUDIT_RETENTION_DAYS >= 5 * 365
