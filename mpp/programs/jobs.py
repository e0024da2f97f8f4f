"""Programme work done by the background worker (core/jobs.py): the report's PDF, and the
nightly anonymisation of past programmes' personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.core import clock
from mpp.core.jobs import Job, JobStatus, Outcome, Progress, crontab, enqueue, job_kind, periodic
from mpp.programs.models import Programme

REPORT_PDF = "programs.report_pdf"


def enqueue_report_pdf(*, programme: Programme, base_url: str, acting_user: object) -> Job:
    """Queue the report's PDF for its reader: asked twice while it waits, run once. A job of
    the programme's mall, so its supervisor and the region's readers follow it too; a KUA
    officer follows their own (malls.jobs.jobs_visible_to)."""
    params = {"programme_id": programme.pk, "base_url": base_url}
    pending = Job.objects.filter(
        kind=REPORT_PDF,
        created_by_id=getattr(acting_user, "pk", None),
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        params=params,
    ).first()
    if pending is not None:
        return pending
    with transaction.atomic():
        return enqueue(
            REPORT_PDF, acting_user=acting_user, params=params, mall_id=programme.mall_id
        )


@job_kind(REPORT_PDF, label=gettext_lazy("Laporan program (PDF)"))
def report_pdf(job: Job, progress: Progress) -> Outcome:
    """The report's figures as of the moment the worker reads them, as an A4 PDF."""
    from mpp.programs.report import file_stem, report_context
    from mpp.programs.report import report_pdf as write_pdf

    programme = Programme.objects.select_related("region", "kua__district", "mall").get(
        pk=job.params["programme_id"]
    )
    progress(0, 1, _("Menyusun laporan"))
    context = report_context(programme)
    data = write_pdf(context, base_url=job.params["base_url"])
    name = file_stem(programme, context["today"]) + ".pdf"
    return Outcome(message=_("Laporan siap diunduh."), file=(name, data))


@periodic(crontab(hour="19", minute="20"))  # 03:20 WITA, when no event runs
def anonymise_past_programmes() -> int:
    """Personal data of programmes past their retention period (programs.retention)."""
    from mpp.programs.retention import anonymise_past_registrations

    return anonymise_past_registrations(today=clock.local_now(settings.TIME_ZONE).date())
