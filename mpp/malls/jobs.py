"""Background jobs as staff see them: who may follow a job (`access_job`), its status in the API
(`GET /api/v1/jobs/{id}`), its progress page, the file it made and its admin. The jobs
themselves are core/jobs.py; a job is scoped by its mall like every staff page, so the rule
lives beside the malls' own (docs/adr/0020)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Model, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from ninja import Path, Router, Schema
from pydantic import Field

from mpp.accounts.access import require_staff, staff_profile
from mpp.accounts.admin_scope import ScopedAdmin, is_regency_admin
from mpp.accounts.models import Role
from mpp.accounts.tokens import STAFF_AUTH
from mpp.core.errors import BadRequest, Error
from mpp.core.ids import MAX_ID
from mpp.core.jobs import label_of, progress_of, rerun
from mpp.core.models import Job, JobStatus
from mpp.malls.access import malls_visible_to

router = Router(tags=["petugas"])


def jobs_visible_to(user: object) -> QuerySet[Job]:
    """The jobs a person may follow: their own; for a job of a mall, staff who read that mall
    (a tenant officer only their tenant's); a region-wide job (an LKPM import, mall and tenant
    empty) the region-wide roles. One rule for the API, the pages and the admin."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return Job.objects.all()
    profile = staff_profile(user)
    if profile is None:
        return Job.objects.none()
    own = Q(created_by_id=getattr(user, "pk", None))
    of_malls = Q(mall_id__in=malls_visible_to(user).values("pk"))
    if profile.role == Role.TENANT_OFFICER:
        return Job.objects.filter(own | (of_malls & Q(tenant_id=profile.tenant_id or 0)))
    if profile.sees_whole_region:
        return Job.objects.filter(own | of_malls | Q(mall_id__isnull=True, tenant_id__isnull=True))
    return Job.objects.filter(own | of_malls)


def access_job(user: object, job_id: int) -> Job:
    """Job `job_id` for `user`: 404 when unknown, 403 when it belongs to another's scope."""
    require_staff(user)
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404(_("Tugas tidak ditemukan."))
    if not jobs_visible_to(user).filter(pk=job.pk).exists():
        raise PermissionDenied(_("Tugas ini milik mal atau instansi lain."))
    return job


def job_state(job: Job) -> dict[str, object]:
    """The status the API answers and the progress page starts from."""
    done, total, message = progress_of(job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "label": label_of(job),
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": done,
        "total": total,
        "message": message,
        "error": job.error,
        "result_url": reverse("malls:job-file", args=[job.pk]) if job.result_file else None,
    }


class JobOut(Schema):
    id: int
    kind: str
    label: str = Field(description="nama jenis tugas dalam bahasa Indonesia")
    status: str = Field(description="queued, running, done atau failed")
    status_label: str
    progress: int = Field(description="langkah yang sudah selesai")
    total: int = Field(description="jumlah langkah (0: belum diketahui)")
    message: str
    error: str = Field(description="kesalahan tugas yang gagal; kosong bila tidak")
    result_url: str | None = Field(description="berkas hasil, bila tugas membuatnya")


@router.get(
    "/{job_id}",
    auth=STAFF_AUTH,
    response={200: JobOut, 400: BadRequest, 401: Error, 403: Error, 404: Error},
    summary="Status tugas latar (impor, ekspor, laporan)",
)
def job_status(request: HttpRequest, job_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, object]:
    return job_state(access_job(request.user, job_id))


@login_required
@require_safe
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress bar, updated by static/core/job-progress.js, then its outcome."""
    job = access_job(request.user, pk)
    return render(request, "core/job.html", {"job": job, "state": job_state(job)})


@login_required
@require_safe
def job_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file a job made (a report, an export), to those who may follow the job."""
    job = access_job(request.user, pk)
    if not job.result_file or not default_storage.exists(job.result_file):
        raise Http404(_("Berkas hasil tugas ini tidak ada (sudah dihapus setelah masa simpan)."))
    name = job.result_file.rsplit("/", 1)[-1]
    return FileResponse(
        default_storage.open(job.result_file, "rb"), as_attachment=True, filename=name
    )


class JobAdmin(ScopedAdmin):
    """Background jobs (core/jobs.py): what ran, for whom, and why it failed. A failed job can be
    run again as it was asked ("Jalankan ulang"), by the regency administrator or its author."""

    list_display = ["id", "kind_label", "status", "created_at", "created_by", "attempts", "error_"]
    list_filter = ["status", "kind"]
    search_fields = ["error", "message"]
    fields = readonly_fields = (
        "kind",
        "status",
        "done",
        "total",
        "message",
        "error",
        "params",
        "result",
        "input_file",
        "result_file",
        "created_by",
        "mall_id",
        "tenant_id",
        "created_at",
        "sent_at",
        "started_at",
        "finished_at",
        "attempts",
    )
    actions = ["rerun_selected"]

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(pk__in=jobs_visible_to(request.user).values("pk")).select_related(
            "created_by"
        )

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        return False  # a job's record is written by the job; only a rerun changes it

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=gettext_lazy("jenis"))
    def kind_label(self, obj: Job) -> str:
        return label_of(obj)

    @admin.display(description=gettext_lazy("kesalahan"))
    def error_(self, obj: Job) -> str:
        return Truncator(obj.error).chars(120)

    @admin.action(description=gettext_lazy("Jalankan ulang"))
    def rerun_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """Failed jobs the person sees, and of those, theirs or (regency administrator) all."""
        jobs = self.get_queryset(request).filter(
            pk__in=queryset.values("pk"), status=JobStatus.FAILED
        )
        if not is_regency_admin(request):
            jobs = jobs.filter(created_by_id=request.user.pk)
        count = sum(rerun(job, acting_user=request.user) for job in jobs)
        self.message_user(request, _("%(n)d tugas gagal dijalankan ulang.") % {"n": count})
