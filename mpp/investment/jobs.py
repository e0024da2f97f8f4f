"""Investment work done by the background worker (core/jobs.py): the LKPM import and the public
dashboard's PDF."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.core.jobs import Job, JobStatus, Outcome, Progress, enqueue, job_kind, store_upload
from mpp.investment import actions
from mpp.investment.exceptions import ImportRejected
from mpp.malls.models import Region

IMPORT = "investment.import"
DASHBOARD_PDF = "investment.dashboard_pdf"


def enqueue_import(
    *,
    region: Region,
    upload: UploadedFile,
    source: str,
    cut_off: dt.date,
    may_replace: bool,
    acting_user: object,
) -> Job:
    """Store the uploaded file through the storage API and queue its import."""
    path, name = store_upload(upload, "lkpm.csv")
    with transaction.atomic():
        return enqueue(
            IMPORT,
            acting_user=acting_user,
            input_file=path,
            params={
                "region_id": region.pk,
                "file_name": name,
                "source": source,
                "cut_off": cut_off.isoformat(),
                "may_replace": may_replace,
            },
        )


@job_kind(IMPORT, label=gettext_lazy("Impor realisasi investasi (LKPM)"))
def import_lkpm(job: Job, progress: Progress) -> Outcome:
    """The import page's file, all or nothing (actions.import_realizations: one transaction).
    A rejected file is an outcome, not a failure: its bad rows are the job's result."""
    asked = job.params
    region = Region.objects.get(pk=asked["region_id"])
    with default_storage.open(job.input_file, "rb") as upload:
        data = upload.read()
    try:
        summary = actions.import_realizations(
            region=region,
            data=data,
            file_name=asked["file_name"],
            source=asked["source"],
            cut_off=dt.date.fromisoformat(asked["cut_off"]),
            acting_user=job.created_by,
            may_replace=asked["may_replace"],
            refuse_examples=True,
            progress=progress,
        )
    except ImportRejected as rejected:
        errors = [
            {"row": e.row, "column": e.column, "message": str(e.message)} for e in rejected.errors
        ]
        return Outcome(
            message=_("%(n)d kesalahan; tidak ada yang diimpor.") % {"n": len(errors)},
            result={"rejected": True, "code": rejected.code, "errors": errors},
        )
    return Outcome(
        message=_("%(n)d baris diimpor (periode %(p)s); %(r)d baris lama diganti.")
        % {"n": summary.rows, "p": ", ".join(summary.dataset.periods), "r": summary.replaced},
        result={"dataset_id": summary.dataset.pk, "rows": summary.rows},
    )


def data_stamp(region: Region) -> str:
    """A fingerprint of everything the dashboard's figures come from (the datasets, the
    classification, downstreaming, targets): a PDF written for one stamp is right until the
    stamp changes. A few small tables, read in milliseconds."""
    from mpp.investment.models import Dataset, DownstreamKbli, SectorClassification, Target

    parts = [
        list(Dataset.objects.filter(region=region).order_by("pk").values_list("pk", "file_sha256")),
        list(
            SectorClassification.objects.filter(region=region)
            .order_by("sector_id")
            .values_list("sector_id", "nature")
        ),
        list(DownstreamKbli.objects.filter(region=region).order_by("prefix").values_list("prefix")),
        list(
            Target.objects.filter(region=region)
            .order_by("pk")
            .values_list("year", "level", "amount_idr")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def dashboard_pdf_path(region: Region, year: int, through: int) -> str:
    """Where the public PDF of (year, through) for today's data is kept in the file storage."""
    stamp = data_stamp(region)
    return f"reports/investasi/{region.slug}-{year}-tw{through}-{stamp}.pdf"


def enqueue_dashboard_pdf(*, region: Region, year: int, through: int, base_url: str) -> Job:
    """Queue the public PDF of (year, through), once: anyone asking meanwhile waits for the
    same job (the public page is anonymous: nobody follows a job id)."""
    params = {"region_id": region.pk, "year": year, "through": through}
    pending = Job.objects.filter(
        kind=DASHBOARD_PDF,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        params__region_id=region.pk,
        params__year=year,
        params__through=through,
    ).first()
    if pending is not None:
        return pending
    with transaction.atomic():
        return enqueue(DASHBOARD_PDF, acting_user=None, params={**params, "base_url": base_url})


@job_kind(DASHBOARD_PDF, label=gettext_lazy("Laporan realisasi investasi (PDF)"))
def dashboard_pdf(job: Job, progress: Progress) -> Outcome:
    """The public dashboard as a PDF (WeasyPrint: 1–2 s), kept at dashboard_pdf_path for every
    download of the same data; the job's file is the same path, so it ages out with the job."""
    from mpp.investment.exports import dashboard_pdf as write_pdf
    from mpp.investment.views import dashboard_context

    asked = job.params
    region = Region.objects.get(pk=asked["region_id"])
    progress(0, 1, _("Menyusun laporan"))
    path = dashboard_pdf_path(region, asked["year"], asked["through"])
    context = dashboard_context(region, asked["year"], asked["through"])
    data = write_pdf(None, region, context, base_url=asked["base_url"])
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(data))
    Job.objects.filter(pk=job.pk).update(result_file=path)
    return Outcome(message=_("Laporan siap diunduh."))
