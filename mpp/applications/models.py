"""Applications (permohonan) that take days after the counter (docs/adr/0037): the receipt, the
due date from the service's published time, the steps with their times, and the stops of the
clock while the citizen completes what is missing.

The receipt code is the only key to the public tracking page: it is unguessable, and the page
shows no name and no NIK. The only personal datum kept is the phone number the messages go to,
erased once the application is collected.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Service
from mpp.malls.models import Mall

# Typed from a slip and read over the phone: no 0/O, 1/I/L. 31^12 ≈ 7.9·10^17, and every
# address that takes one is rate-limited, so a code cannot be guessed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_code() -> str:
    """A receipt code such as 7K3Q9XM2PDWA, shown grouped as 7K3Q-9XM2-PDWA."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def grouped(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


class Status(models.TextChoices):
    """The steps of an application; the values are issue 22's contract."""

    RECEIVED = "diterima", _("Diterima")
    VERIFIED = "diverifikasi", _("Diverifikasi")
    PROCESSING = "diproses", _("Diproses")
    RETURNED = "dikembalikan", _("Dikembalikan")
    DONE = "selesai", _("Selesai")
    READY = "siap_diambil", _("Siap diambil")
    COLLECTED = "diambil", _("Diambil")


class Application(models.Model):
    """One citizen's files taken in for one service at one mall."""

    code = models.CharField(_("kode tanda terima"), max_length=CODE_LENGTH, unique=True)
    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, related_name="applications", verbose_name=_("mal")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="applications", verbose_name=_("layanan")
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.RECEIVED
    )
    # The ticket it came from, when it was opened by finishing one ("berkas diterima").
    ticket_code = models.CharField(_("kode tiket antrean"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("diterima pada"))
    received_on = models.DateField(_("tanggal diterima"))
    # From the service's duration when received, kept: a later change of the standard does not
    # move the promise made on the slip.
    duration_value = models.PositiveSmallIntegerField(_("jangka waktu (angka)"), null=True)
    duration_unit = models.CharField(_("jangka waktu (satuan)"), max_length=10, blank=True)
    # Recomputed at every step (the clock's stops push them later). Null when the service
    # names no fixed time.
    due_date = models.DateField(_("batas selesai"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    warn_at = models.DateTimeField(_("peringatan 75% pada"), null=True, blank=True)
    # The clock stops while the files are back with the citizen.
    paused_since = models.DateTimeField(_("jam berhenti sejak"), null=True, blank=True)
    returned_note = models.TextField(_("yang perlu dilengkapi"), blank=True)
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    collected_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)
    pickup_place = models.CharField(_("tempat pengambilan"), max_length=200, blank=True)
    pickup_time = models.CharField(_("waktu pengambilan"), max_length=200, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    warned_at = models.DateTimeField(_("peringatan 75% dikirim"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(
        _("peringatan lewat batas dikirim"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterima oleh"),
    )

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["mall", "status"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["ticket_code"], name="application_ticket_code_idx"),
        ]

    def __str__(self) -> str:
        return self.grouped_code

    @property
    def grouped_code(self) -> str:
        return grouped(self.code)


class Step(models.Model):
    """One move of an application, timed, with who made it and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="steps", verbose_name=_("permohonan")
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices)
    at = models.DateTimeField(_("waktu"))
    note = models.TextField(_("catatan"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )

    class Meta:
        verbose_name = _("langkah permohonan")
        verbose_name_plural = _("langkah permohonan")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.status} {self.at:%Y-%m-%d %H:%M}"


class Pause(models.Model):
    """A stop of the clock: from the return of the files to their completion by the citizen."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("permohonan")
    )
    started_at = models.DateTimeField(_("mulai"))
    ended_at = models.DateTimeField(_("berakhir"), null=True, blank=True)
    reason = models.TextField(_("yang perlu dilengkapi"))

    class Meta:
        verbose_name = _("jam berhenti")
        verbose_name_plural = _("jam berhenti")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.started_at:%Y-%m-%d}"
