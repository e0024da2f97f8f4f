"""Rollout work done by the background worker (core/jobs.py): the board's weekly PDF."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.core.jobs import Job, JobStatus, Outcome, Progress, enqueue, job_kind
from mpp.malls.models import Region

WEEKLY_PDF = "rollout.weekly_pdf"


def enqueue_weekly_pdf(
    *, region: Region, base_url: str, file_name: str, acting_user: object
) -> Job:
    """Queue the weekly PDF of `region` for its reader: asked twice while it waits, run once.
    A region-wide job (no mall): the reader follows it, and so do DPMPTSP, leadership and
    auditors (malls.jobs.jobs_visible_to)."""
    params = {"region_id": region.pk, "base_url": base_url, "file_name": file_name}
    pending = Job.objects.filter(
        kind=WEEKLY_PDF,
        created_by_id=getattr(acting_user, "pk", None),
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        params=params,
    ).first()
    if pending is not None:
        return pending
    with transaction.atomic():
        return enqueue(WEEKLY_PDF, acting_user=acting_user, params=params)


@job_kind(WEEKLY_PDF, label=gettext_lazy("Laporan mingguan persiapan Mini MPP (PDF)"))
def weekly_pdf(job: Job, progress: Progress) -> Outcome:
    """The board's figures as of the moment the worker reads them, as an A4 PDF (WeasyPrint:
    2–3 s, docs/adr/0020)."""
    from mpp.rollout.pdf import weekly_pdf as write_pdf
    from mpp.rollout.views_board import board_context

    asked = job.params
    region = Region.objects.get(pk=asked["region_id"])
    progress(0, 1, _("Menyusun laporan"))
    data = write_pdf(
        None, board_context(region, with_overdue_items=True), base_url=asked["base_url"]
    )
    return Outcome(message=_("Laporan siap diunduh."), file=(asked["file_name"], data))
