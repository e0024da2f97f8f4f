"""Booking a time for a later day (docs/adr/0035): a mall's booking rules, the services it lets
people book, the day's slots with their places, and the appointments themselves.

The only personal data are on `Appointment`: the NIK's keyed digest (against hoarding: one
active booking per person and service) with its masked form for the screen, and the phone
number the messages go to. Neither ever appears in an address or a message.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Service
from mpp.malls.models import Mall

# Codes are typed at the kiosk and read over the phone: no 0/O, 1/I/L. 31^10 ≈ 8·10^14, and
# every address that uses one is rate-limited, so a code is as good as a key to its booking.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_code() -> str:
    """An appointment code such as 7K3Q9XM2PD, shown grouped as 7K3Q-9XM2-PD."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class BookingSettings(models.Model):
    """A mall's booking rules. Without a row, the defaults below apply."""

    mall = models.OneToOneField(
        Mall, on_delete=models.CASCADE, related_name="booking_settings", verbose_name=_("mal")
    )
    is_open = models.BooleanField(_("janji temu dibuka?"), default=True)
    horizon_days = models.PositiveSmallIntegerField(
        _("dapat dipesan sampai (hari ke depan)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("panjang satu sesi (menit)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(120)],
    )
    share_percent = models.PositiveSmallIntegerField(
        _("bagian kapasitas untuk janji temu (%)"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
        help_text=_("Sisanya selalu untuk warga yang datang langsung."),
    )
    checkin_before_minutes = models.PositiveSmallIntegerField(
        _("lapor hadir paling cepat (menit sebelum sesi)"),
        default=30,
        validators=[MaxValueValidator(120)],
    )
    checkin_after_minutes = models.PositiveSmallIntegerField(
        _("lapor hadir paling lambat (menit sesudah sesi mulai)"),
        default=15,
        validators=[MaxValueValidator(120)],
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("batas tidak datang"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Setelah sekian kali tidak datang, pemesanan dibatasi."),
    )
    no_show_window_days = models.PositiveSmallIntegerField(
        _("dihitung dalam (hari terakhir)"), default=60, validators=[MinValueValidator(1)]
    )
    block_days = models.PositiveSmallIntegerField(
        _("lama pembatasan (hari)"), default=30, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("aturan janji temu")
        verbose_name_plural = _("aturan janji temu")

    def __str__(self) -> str:
        return str(self.mall)


class BookableService(models.Model):
    """A service people may book at a mall, and the counters behind it: a slot's places are
    the citizens those counters serve in one slot, times the mall's booking share."""

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="bookable_services", verbose_name=_("mal")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="bookable_at", verbose_name=_("layanan")
    )
    is_enabled = models.BooleanField(_("dapat dipesan?"), default=True)
    counters = models.PositiveSmallIntegerField(
        _("loket yang melayani"), default=1, validators=[MinValueValidator(1)]
    )
    minutes_per_citizen = models.PositiveSmallIntegerField(
        _("menit per warga"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )

    class Meta:
        verbose_name = _("layanan yang dapat dipesan")
        verbose_name_plural = _("layanan yang dapat dipesan")
        constraints = [
            models.UniqueConstraint(fields=["mall", "service"], name="bookable_once_per_mall")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.mall}"


class Slot(models.Model):
    """One bookable time of one service on one day, with its places. Made when the day is
    first asked for; `booked` moves only by conditional UPDATE (never past `capacity`)."""

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="slots", verbose_name=_("mal")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="slots", verbose_name=_("layanan")
    )
    date = models.DateField(_("tanggal"))
    start = models.TimeField(_("mulai"))
    end = models.TimeField(_("selesai"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas"))
    booked = models.PositiveSmallIntegerField(_("terpesan"), default=0)

    class Meta:
        verbose_name = _("sesi janji temu")
        verbose_name_plural = _("sesi janji temu")
        ordering = ["date", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "service", "date", "start"], name="slot_once_per_time"
            ),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.date:%Y-%m-%d} {self.start:%H:%M}"


class Appointment(models.Model):
    """A person's booked time for one service at one mall."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Terpesan")
        CHECKED_IN = "checked_in", _("Sudah lapor hadir")
        CANCELLED = "cancelled", _("Dibatalkan pemesan")
        CLOSED = "closed", _("Dibatalkan karena layanan tutup")
        NO_SHOW = "no_show", _("Tidak datang")

    class Channel(models.TextChoices):
        WEB = "web", _("Situs (ponsel)")
        API = "api", _("API")
        COUNTER = "counter", _("Loket")

    code = models.CharField(_("kode janji temu"), max_length=CODE_LENGTH, unique=True)
    access_key = models.CharField(_("kunci akses"), max_length=40, unique=True)
    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("mal")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("layanan")
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("sesi")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    # HMAC-SHA256 of the NIK under the site's secret: compares people, reveals no NIK.
    nik_digest = models.CharField(_("sidik NIK"), max_length=64)
    nik_masked = models.CharField(_("NIK (tersamar)"), max_length=20)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    wants_messages = models.BooleanField(_("mau menerima pesan?"), default=False)
    created_at = models.DateTimeField(_("dipesan pada"))
    checked_in_at = models.DateTimeField(_("lapor hadir pada"), null=True, blank=True)
    checked_in_late = models.BooleanField(_("terlambat?"), default=False)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=255, blank=True)
    ticket_code = models.CharField(_("kode tiket antrean"), max_length=40, blank=True)
    reminded_at = models.DateTimeField(_("pengingat dikirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("janji temu")
        verbose_name_plural = _("janji temu")
        ordering = ["slot__date", "slot__start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "nik_digest"],
                condition=models.Q(status="booked"),
                name="one_active_booking_per_person_and_service",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "status"]),
            models.Index(fields=["nik_digest", "status"]),
            models.Index(fields=["ticket_code"], name="appointment_ticket_code_idx"),
        ]

    def __str__(self) -> str:
        return self.grouped_code

    @property
    def grouped_code(self) -> str:
        c = self.code
        return f"{c[:4]}-{c[4:8]}-{c[8:]}"
