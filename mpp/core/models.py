"""Technical records shared by every app: the audit trail of staff actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One staff action with consequences, written by the action itself in its transaction."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("tindakan"), max_length=80)
    object_type = models.CharField(_("jenis objek"), max_length=80)
    object_id = models.CharField(_("id objek"), max_length=64)
    mall_id = models.BigIntegerField(_("id mal"), null=True, blank=True, db_index=True)
    data = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


def audit(
    *,
    actor: object | None,
    action: str,
    obj: models.Model,
    mall_id: int | None = None,
    data: dict[str, object] | None = None,
) -> AuditEntry:
    """Write an audit entry for `obj`; call inside the action's transaction."""
    actor_id = getattr(actor, "pk", None)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        mall_id=mall_id,
        data=data or {},
    )


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("menunggu")
    RUNNING = "running", _("berjalan")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")


class Job(models.Model):
    """A background job as the administrator sees it (core/jobs.py, docs/adr/0020).

    The engine (huey) only carries the job's id; this row is the truth: what was asked, by whom
    for which mall and tenant, how far it got, and how it ended. A job the engine never received
    (its queue was out of reach at the hand-off) stays queued with `sent_at` empty and is handed
    over again by the scheduler."""

    kind = models.CharField(_("jenis"), max_length=60, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("selesai"), default=0)
    total = models.PositiveIntegerField(_("jumlah langkah"), default=0)
    message = models.CharField(_("pesan"), max_length=300, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    # What the job was asked (JSON the job's function reads) and what it found (e.g. bad rows).
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    # Paths in default_storage: the uploaded file it reads, the file it made.
    input_file = models.CharField(_("berkas masukan"), max_length=300, blank=True)
    result_file = models.CharField(_("berkas hasil"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Ids, like AuditEntry's: core knows no domain model (the admin scopes by them).
    mall_id = models.BigIntegerField(_("id mal"), null=True, blank=True, db_index=True)
    tenant_id = models.BigIntegerField(_("id instansi"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("diserahkan ke antrean"), null=True, blank=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)

    class Meta:
        verbose_name = _("tugas latar")
        verbose_name_plural = _("tugas latar")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="core_job_status_created")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
