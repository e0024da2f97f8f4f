"""Metapers, the virtual MPP: each mall's floor plan (halls, rooms, tenant booths, counters) as
data, the visitors' chats with tenants' officers, and operators' training.

The floor plan is the one source for the 3D hall, the SVG map and the list page. Positions are
metres on the floor, x to the east and y to the south from the hall's north-west corner; a
booth's `facing` is the side its counters open to. A booth without a tenant is the mall's front
desk ("Loket Pelayanan"): a Mini MPP's front counters stand there and serve every tenant.
Validation (overlaps, containment, the scene budget) lives in `plan.py` and runs on every save
through the admin and the loader.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Tenant
from mpp.malls.models import Mall
from mpp.queueing.models import Counter

# What the front desk is called wherever the hall shows it (list, map, 3D hall, plan errors).
FRONT_DESK = _("Loket Pelayanan")

_POSITIVE = [MinValueValidator(Decimal("0.50"))]
_NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def _metres(label: Any, *, positive: bool = False) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        validators=_POSITIVE if positive else _NON_NEGATIVE,
    )


class Facing(models.TextChoices):
    NORTH = "N", _("utara")
    EAST = "E", _("timur")
    SOUTH = "S", _("selatan")
    WEST = "W", _("barat")


class Hall(models.Model):
    """The virtual building of one mall: its footprint, and a portal to the main MPP."""

    mall = models.OneToOneField(
        Mall, on_delete=models.CASCADE, related_name="hall", verbose_name=_("mal")
    )
    width = _metres(_("lebar (m, barat–timur)"), positive=True)
    depth = _metres(_("panjang (m, utara–selatan)"), positive=True)
    welcome = models.CharField(_("sambutan"), max_length=200, blank=True)
    portal_to = models.ForeignKey(
        Mall,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("portal ke"),
        help_text=_("Mini MPP: pintu virtual ke MPP kabupaten."),
    )
    # Where a visitor enters and where the portal stands (metres, inside the hall).
    entrance_x = _metres(_("pintu masuk x"))
    entrance_y = _metres(_("pintu masuk y"))

    class Meta:
        verbose_name = _("aula virtual")
        verbose_name_plural = _("aula virtual")

    def __str__(self) -> str:
        return str(self.mall)


class Room(models.Model):
    """A rectangular room of the hall: the service hall, a Mini MPP's PATEN room, a lobby."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("ruang layanan")
        PATEN = "paten", _("ruang PATEN")
        LOBBY = "lobby", _("lobi dan ruang tunggu")

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("aula")
    )
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    x = _metres("x")
    y = _metres("y")
    width = _metres(_("lebar (m)"), positive=True)
    depth = _metres(_("panjang (m)"), positive=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("ruang")
        verbose_name_plural = _("ruang")
        ordering = ["hall_id", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Booth(models.Model):
    """A tenant's booth in a room, with its counters along the side it faces; or, without a
    tenant, the mall's front desk, where its front counters (`Counter.tenant` empty) serve
    every tenant's queue. A hall has at most one front desk (plan.py)."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="booths", verbose_name=_("ruang")
    )
    tenant = models.ForeignKey(
        Tenant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="booths",
        verbose_name=_("instansi"),
        help_text=_(
            "Kosong: Loket Pelayanan, tempat loket depan mal (Mini MPP) yang melayani semua "
            "instansi."
        ),
    )
    x = _metres("x")
    y = _metres("y")
    width = _metres(_("lebar (m)"), positive=True)
    depth = _metres(_("panjang (m)"), positive=True)
    facing = models.CharField(_("menghadap"), max_length=1, choices=Facing.choices)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("gerai instansi")
        verbose_name_plural = _("gerai instansi")
        ordering = ["room_id", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.room})"

    @property
    def is_front_desk(self) -> bool:
        return self.tenant_id is None

    @property
    def name(self) -> str:
        """What the hall calls the booth: its tenant's short name, or "Loket Pelayanan"."""
        return str(FRONT_DESK) if self.tenant is None else self.tenant.short_name


class CounterSpot(models.Model):
    """Where a counter (loket) of the booth's tenant (a front counter, at the front desk)
    stands, in metres from the booth's north-west corner."""

    booth = models.ForeignKey(
        Booth, on_delete=models.CASCADE, related_name="spots", verbose_name=_("gerai")
    )
    counter = models.OneToOneField(
        Counter, on_delete=models.CASCADE, related_name="spot", verbose_name=_("loket")
    )
    x = _metres("x")
    y = _metres("y")

    class Meta:
        verbose_name = _("posisi loket")
        verbose_name_plural = _("posisi loket")
        ordering = ["booth_id", "counter__number"]

    def __str__(self) -> str:
        return f"{self.counter}"


class Conversation(models.Model):
    """A visitor's 1:1 text chat with one tenant's officers at one mall ("tanya petugas").

    The visitor is a random key kept in their browser, never an account or a name."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("menunggu petugas")
        OPEN = "open", _("dilayani")
        CLOSED = "closed", _("selesai")

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("mal")
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("instansi")
    )
    visitor_key = models.CharField(max_length=43, db_index=True, verbose_name=_("kunci pengunjung"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("petugas"),
    )
    started_at = models.DateTimeField(verbose_name=_("dimulai pada"))
    last_message_at = models.DateTimeField(verbose_name=_("pesan terakhir pada"))

    class Meta:
        verbose_name = _("percakapan")
        verbose_name_plural = _("percakapan")
        ordering = ["-last_message_at"]
        indexes = [models.Index(fields=["mall", "tenant", "status"])]

    def __str__(self) -> str:
        return f"{self.tenant} #{self.pk}"


class ChatMessage(models.Model):
    """One message of a conversation; text that looks like a NIK or phone number is masked
    before it is stored (`core.privacy.mask_personal_data`)."""

    class Sender(models.TextChoices):
        VISITOR = "visitor", _("pengunjung")
        OFFICER = "officer", _("petugas")
        SYSTEM = "system", _("sistem")

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("percakapan"),
    )
    sender = models.CharField(max_length=8, choices=Sender.choices, verbose_name=_("pengirim"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("petugas"),
    )
    text = models.TextField(max_length=1000, verbose_name=_("teks"))
    was_masked = models.BooleanField(default=False, verbose_name=_("disamarkan"))
    sent_at = models.DateTimeField(verbose_name=_("dikirim pada"))

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class CannedAnswer(models.Model):
    """A ready answer a tenant's officers send with one tap."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="canned_answers", verbose_name=_("instansi")
    )
    title = models.CharField(_("judul"), max_length=80)
    text = models.TextField(_("jawaban"), max_length=1000)

    class Meta:
        verbose_name = _("jawaban siap pakai")
        verbose_name_plural = _("jawaban siap pakai")
        ordering = ["tenant_id", "title"]

    def __str__(self) -> str:
        return self.title


class TrainingCompletion(models.Model):
    """A sub-district operator finished the training scenario (serve a virtual visitor)."""

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="metapers_trainings"
    )
    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="+", verbose_name=_("mal")
    )
    scenario = models.CharField(max_length=40, verbose_name=_("skenario"))
    completed_at = models.DateTimeField(verbose_name=_("selesai pada"))
    steps = models.JSONField(default=dict, verbose_name=_("langkah"))

    class Meta:
        verbose_name = _("pelatihan selesai")
        verbose_name_plural = _("pelatihan selesai")
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "mall", "scenario"], name="training_once_per_operator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.scenario}"
