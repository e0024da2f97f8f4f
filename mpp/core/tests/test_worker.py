"""The real `mpp worker` process: a job handed over by this process goes queued -> running ->
done, on the embedded default's SQLite queue and on Redis; a failing job shows its error and a
rerun finishes it."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from mpp.core import jobs
from mpp.core.models import Job, JobStatus
from mpp.core.tests.parallel import redis_url_of_this_worker
from mpp.core.tests.working import job_queue, wait_for, worker
from mpp.investment.models import Dataset, Realization
from mpp.investment.tests.conftest import HEADER, ROWS

pytestmark = pytest.mark.django_db(transaction=True)

# The suite's Redis when it has one (conftest.py checks it answers), else database 1 of this
# machine's server (one per pytest worker). Only huey's own keys of the queue "mpp" are flushed
# at the start.
WORKER_REDIS_URL = os.environ.get("REDIS_URL") or redis_url_of_this_worker(
    "redis://127.0.0.1:6379/1"
)
# The worker's start (Django, every app) took over 10 s on a loaded 2-core machine.
WITHIN = 120


def queue_import(kukar, *, stored: bool = True) -> Job:  # type: ignore[no-untyped-def]
    """An LKPM import job as the import page queues it; the file stored first, unless not."""
    path = "uploads/uji/lkpm.csv"
    if stored:
        path = default_storage.save(path, ContentFile("\n".join([HEADER, *ROWS]).encode()))
    with transaction.atomic():
        return jobs.enqueue(
            "investment.import",
            acting_user=None,
            input_file=path,
            params={
                "region_id": kukar.pk,
                "file_name": "lkpm.csv",
                "source": "LKPM OSS, uji pekerja",
                "cut_off": dt.date(2025, 7, 15).isoformat(),
                "may_replace": True,
            },
        )


def status_of(job: Job) -> str:
    return Job.objects.get(pk=job.pk).status


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_the_worker_takes_a_queued_import_to_done(kukar, tmp_path, queue):
    with job_queue(tmp_path, WORKER_REDIS_URL if queue == "redis" else "") as env:
        job = queue_import(kukar)
        assert status_of(job) == JobStatus.QUEUED
        assert Job.objects.get(pk=job.pk).sent_at is not None  # in the queue, not yet run
        with worker(env) as log:
            wait_for(
                lambda: status_of(job) == JobStatus.DONE,
                within=WITHIN,
                what=f"job done; worker said:\n{''.join(log)}",
            )
    job.refresh_from_db()
    assert (
        job.message
        == "6 baris diimpor (periode 2024-Q1, 2024-Q3, 2025-Q1, 2025-Q2); 0 baris lama diganti."
    )
    assert (job.done, job.total, job.attempts) == (3, 3, 1)
    assert Dataset.objects.get(source="LKPM OSS, uji pekerja").row_count == 6
    assert Realization.objects.count() == 6


def test_a_failing_job_shows_its_error_after_its_retry_and_a_rerun_finishes_it(kukar, tmp_path):
    with job_queue(tmp_path) as env:
        job = queue_import(kukar, stored=False)  # its file never reached the storage
        with worker(env) as log:
            wait_for(
                lambda: status_of(job) == JobStatus.FAILED,
                within=WITHIN,
                what=f"job failed; worker said:\n{''.join(log)}",
            )
            job.refresh_from_db()
            assert job.attempts == 2  # the import may be retried once (a database busy)
            assert job.error.startswith("FileNotFoundError")
            assert Realization.objects.count() == 0

            default_storage.save(job.input_file, ContentFile("\n".join([HEADER, *ROWS]).encode()))
            assert jobs.rerun(job, acting_user=None)
            wait_for(
                lambda: status_of(job) == JobStatus.DONE,
                within=WITHIN,
                what=f"rerun done; worker said:\n{''.join(log)}",
            )
    job.refresh_from_db()
    assert (job.error, job.attempts) == ("", 1)
    assert Realization.objects.count() == 6
