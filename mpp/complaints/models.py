"""Complaints (pengaduan) about a service, an agency or the mall (docs/adr/0038): the short form,
the tracking code, verification within 3 working days, the agency's published time to answer,
replies the complainant reads, escalation to the mall's supervisor when late, and the
SP4N-LAPOR! report number when the citizen also filed there.

The tracking code is the only key to the complaint's page. A complaint may be anonymous; a
contact, when given, is used only to tell the complainant of a reply and is never shown whole.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_code() -> str:
    """A tracking code such as 7K3Q9XM2PDWA, shown grouped as 7K3Q-9XM2-PDWA."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Status(models.TextChoices):
    RECEIVED = "diterima", _("Diterima")
    VERIFIED = "diverifikasi", _("Diverifikasi, diteruskan ke instansi")
    ANSWERED = "dijawab", _("Dijawab")
    CLOSED = "selesai", _("Selesai")
    DISMISSED = "tidak_diproses", _("Tidak dapat diproses")


class Source(models.TextChoices):
    """Where the form was opened from."""

    SERVICE = "layanan", _("Halaman layanan")
    TICKET = "antrean", _("Halaman nomor antrean")
    APPLICATION = "permohonan", _("Halaman lacak permohonan")
    SURVEY = "survei", _("Survei kepuasan")
    METAPERS = "metapers", _("Metapers")
    API = "api", _("API")
    OTHER = "lainnya", _("Lainnya")


class Topic(models.TextChoices):
    WAITING = "antrean", _("Antrean dan waktu tunggu")
    STAFF = "petugas", _("Sikap atau perilaku petugas")
    REQUIREMENTS = "persyaratan", _("Persyaratan dan prosedur")
    FEES = "biaya", _("Biaya atau pungutan")
    RESULT = "hasil", _("Hasil atau produk layanan")
    DELAY = "keterlambatan", _("Keterlambatan penyelesaian")
    FACILITIES = "sarana", _("Sarana dan prasarana")
    OTHER = "lainnya", _("Lainnya")


class Complaint(models.Model):
    code = models.CharField(_("kode pelacakan"), max_length=CODE_LENGTH, unique=True)
    text = models.TextField(_("isi pengaduan"))
    topic = models.CharField(_("topik"), max_length=16, choices=Topic.choices, default=Topic.OTHER)
    where = models.CharField(_("di mana"), max_length=200, blank=True)
    happened_on = models.DateField(_("kapan terjadi"), null=True, blank=True)
    mall = models.ForeignKey(
        Mall,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("mal"),
    )
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_received",
        verbose_name=_("instansi"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_received",
        verbose_name=_("layanan"),
    )
    source = models.CharField(
        _("sumber"), max_length=12, choices=Source.choices, default=Source.OTHER
    )
    # A ticket or application code the complaint is about, as typed or carried by the link.
    reference = models.CharField(_("kode terkait"), max_length=40, blank=True)
    is_anonymous = models.BooleanField(_("anonim?"), default=False)
    contact = models.CharField(_("kontak"), max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    created_at = models.DateTimeField(_("diterima pada"), db_index=True)
    verify_by = models.DateField(_("batas verifikasi"))
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    answer_by = models.DateField(_("batas jawaban"), null=True, blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    dismissed_reason = models.TextField(_("alasan tidak diproses"), blank=True)
    escalated_at = models.DateTimeField(_("diteruskan ke pengawas pada"), null=True, blank=True)
    lapor_number = models.CharField(_("nomor laporan SP4N-LAPOR!"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["mall", "status"]),
            models.Index(fields=["tenant", "status"]),
        ]

    def __str__(self) -> str:
        return self.grouped_code

    @property
    def grouped_code(self) -> str:
        c = self.code
        return f"{c[:4]}-{c[4:8]}-{c[8:]}"


class Reply(models.Model):
    """A message on a complaint: from staff (shown to the complainant unless internal) or from
    the complainant on the complaint's page."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="replies", verbose_name=_("pengaduan")
    )
    text = models.TextField(_("isi"))
    at = models.DateTimeField(_("waktu"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    from_complainant = models.BooleanField(_("dari pengadu?"), default=False)
    is_internal = models.BooleanField(
        _("catatan internal?"), default=False, help_text=_("Tidak terlihat oleh pengadu.")
    )

    class Meta:
        verbose_name = _("tanggapan pengaduan")
        verbose_name_plural = _("tanggapan pengaduan")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.at:%Y-%m-%d %H:%M}"
