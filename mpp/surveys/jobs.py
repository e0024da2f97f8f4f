"""Survey work done by the background worker (core/jobs.py): the import of paper sheets and the
audit export of raw anonymised responses."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.core.jobs import Job, JobStatus, Outcome, Progress, enqueue, job_kind, store_upload
from mpp.core.models import audit as record_audit
from mpp.malls.models import Mall, Region
from mpp.surveys import actions, audit, importing, queries

IMPORT = "surveys.import"
AUDIT_EXPORT = "surveys.audit_export"
REPORT_PDF = "surveys.report_pdf"
ERRORS_KEPT = 1000  # a report past this is unreadable; the count of the rest is kept


def enqueue_import(
    *, mall: Mall, upload: UploadedFile, allow_reimport: bool, acting_user: object
) -> Job:
    """Store the uploaded file through the storage API and queue its import."""
    path, name = store_upload(upload, "lembar.csv")
    with transaction.atomic():
        return enqueue(
            IMPORT,
            acting_user=acting_user,
            input_file=path,
            mall_id=mall.pk,
            params={"file_name": name, "allow_reimport": allow_reimport},
        )


@job_kind(IMPORT, label=gettext_lazy("Impor lembar survei kertas"))
def import_sheets(job: Job, progress: Progress) -> Outcome:
    """All rows or none (actions.import_responses: one transaction). A refused file is an
    outcome: its bad rows, or the earlier import of the same bytes, are the job's result."""
    mall = Mall.objects.get(pk=job.mall_id or 0)
    progress(0, 2, _("Membaca dan memeriksa berkas"))
    with default_storage.open(job.input_file, "rb") as upload:
        data = upload.read()
    try:
        record = actions.import_responses(
            mall=mall,
            file_name=job.params["file_name"],
            data=data,
            acting_user=job.created_by,
            allow_reimport=job.params["allow_reimport"],
        )
    except importing.ImportRejected as refused:
        errors = [
            {"row": e.row, "column": e.column, "message": str(e.message)}
            for e in refused.errors[:ERRORS_KEPT]
        ]
        already = refused.code == "already_imported"
        return Outcome(
            message=(
                _("Berkas ini sudah pernah diimpor; tidak ada yang diimpor.")
                if already
                else _("%(n)d kesalahan; tidak ada yang diimpor.") % {"n": len(refused.errors)}
            ),
            result={
                "rejected": True,
                "code": str(refused.code),
                "errors": errors,
                "errors_total": len(refused.errors),
            },
        )
    return Outcome(
        message=_("%(n)d lembar dari %(f)s diimpor.") % {"n": record.rows, "f": record.file_name},
        result={"import_id": record.pk, "rows": record.rows},
    )


def enqueue_audit_export(
    *, scope: queries.Scope, period: queries.Period, acting_user: object
) -> Job:
    """Queue the audit export of `scope` (checked by access_raw_export) for `period`; the same
    person asking the same export again while it is queued or running gets that job."""
    mall_id = scope.mall.pk if scope.mall is not None else None
    params = {
        "region_id": scope.region.pk if scope.region is not None else None,
        "mall_id": mall_id,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
    }
    pending = _pending(AUDIT_EXPORT, acting_user, params)
    if pending is not None:
        return pending
    with transaction.atomic():
        return enqueue(AUDIT_EXPORT, acting_user=acting_user, mall_id=mall_id, params=params)


@job_kind(AUDIT_EXPORT, label=gettext_lazy("Ekspor audit survei (ZIP)"), retries=2)
def audit_export(job: Job, progress: Progress) -> Outcome:
    """The ZIP of responses.csv and manifest.json (surveys/audit.py). Responses arriving while it
    is written make it refuse (ExportRaced): the job is tried again later."""
    asked = job.params
    # The scope as the access helper gave it (a mall's may name no region).
    mall = Mall.objects.get(pk=asked["mall_id"]) if asked["mall_id"] else None
    region = Region.objects.get(pk=asked["region_id"]) if asked["region_id"] else None
    scope = queries.Scope(region=region, mall=mall)
    period = audit.period_between(asked["from"], asked["to"])
    progress(0, 1, _("Menulis data mentah anonim"))
    with tempfile.TemporaryFile() as stream:
        manifest = audit.write_export(stream, scope, period)
        stream.seek(0)
        data = stream.read()
    # Who took raw rows out, of what and when: the audit trail of the audit export.
    where_obj = mall if mall is not None else region
    if where_obj is not None:
        record_audit(
            actor=job.created_by,
            action="survey.raw_export",
            obj=where_obj,
            mall_id=mall.pk if mall is not None else None,
            data={"from": asked["from"], "to": asked["to"], "rows": manifest.get("rows")},
        )
    where = getattr(where_obj, "slug", "wilayah")
    name = f"audit-skm-{where}-{asked['from']}-{asked['to']}.zip"
    return Outcome(
        message=_("%(n)d jawaban diekspor (%(at)s).")
        % {"n": manifest.get("rows", 0), "at": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
        file=(name, data),
    )


def _pending(kind: str, acting_user: object, params: Mapping[str, object]) -> Job | None:
    """The same person's same request, still queued or running: asked twice, run once."""
    return Job.objects.filter(
        kind=kind,
        created_by_id=getattr(acting_user, "pk", None),
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        params=params,
    ).first()


def enqueue_report_pdf(
    *, query: str, base_url: str, file_name: str, scope: queries.Scope, acting_user: object
) -> Job:
    """Queue the results report's PDF for the query the page was asked (scope checked)."""
    params = {"query": query, "base_url": base_url, "file_name": file_name}
    pending = _pending(REPORT_PDF, acting_user, params)
    if pending is not None:
        return pending
    with transaction.atomic():
        return enqueue(
            REPORT_PDF,
            acting_user=acting_user,
            mall_id=scope.mall.pk if scope.mall is not None else None,
            tenant_id=scope.tenant.pk if scope.tenant is not None else None,
            params=params,
        )


@job_kind(REPORT_PDF, label=gettext_lazy("Laporan hasil survei (PDF)"))
def report_pdf(job: Job, progress: Progress) -> Outcome:
    """The PDF a unit files (views_reports.report_pdf_as), as its author would have seen it."""
    from mpp.surveys.views_reports import report_pdf_as

    progress(0, 1, _("Menyusun laporan"))
    data = report_pdf_as(job.created_by, job.params["query"], job.params["base_url"])
    return Outcome(message=_("Laporan siap diunduh."), file=(job.params["file_name"], data))
