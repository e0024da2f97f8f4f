"""Queues, counters, tickets and their events: the walk-in queue of a mall."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall


class QueueSettings(models.Model):
    """A mall's queue rules: the priority lane's ratio, the maximum wait, online tickets."""

    mall = models.OneToOneField(
        Mall, on_delete=models.CASCADE, related_name="queue_settings", verbose_name=_("mal")
    )
    normal_per_priority = models.PositiveSmallIntegerField(
        _("antrean biasa per satu prioritas"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("2 berarti: satu prioritas, lalu dua biasa, bergantian."),
    )
    max_wait_minutes = models.PositiveSmallIntegerField(
        _("batas tunggu (menit)"),
        default=45,
        validators=[MinValueValidator(5)],
        help_text=_("Antrean yang menunggu lebih lama dipanggil lebih dulu."),
    )
    recalls_before_no_show = models.PositiveSmallIntegerField(
        _("panggilan ulang sebelum dinyatakan tidak hadir"), default=2
    )
    is_online_open = models.BooleanField(_("antrean online dibuka?"), default=True)
    online_cutoff = models.TimeField(
        _("batas antrean online"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai batas pengambilan nomor mal."),
    )
    # Remote numbers (phone, Metapers) against walk-ins, so the line at the kiosk is never only
    # what is left after the phones (docs/adr/0028).
    online_share_percent = models.PositiveSmallIntegerField(
        _("bagian kuota untuk nomor daring (%)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "Untuk layanan berkuota harian: paling banyak sekian persen kuota diambil dari ponsel "
            "atau Metapers; sisanya untuk yang datang langsung."
        ),
    )
    online_waiting_max = models.PositiveSmallIntegerField(
        _("nomor daring menunggu per antrean"),
        default=40,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Paling banyak sekian nomor daring menunggu sekaligus dalam satu antrean (layanan "
            "tanpa kuota)."
        ),
    )

    class Meta:
        verbose_name = _("aturan antrean")
        verbose_name_plural = _("aturan antrean")

    def __str__(self) -> str:
        return f"{self.mall.short_name}"


class Queue(models.Model):
    """One lettered line of a mall (A001, A002, ...) for the services of one or more tenants.

    At the MPP each tenant has its own queue; a Mini MPP's front counter has one queue for all.
    """

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="queues", verbose_name=_("mal")
    )
    letter = models.CharField(
        _("huruf"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", _("Satu atau dua huruf A–Z."))],
    )
    name = models.CharField(_("nama"), max_length=120)
    tenants = models.ManyToManyField(Tenant, verbose_name=_("instansi"), related_name="queues")
    waiting_area = models.CharField(_("tempat menunggu"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("antrean")
        verbose_name_plural = _("antrean")
        ordering = ["mall_id", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "letter"], name="queue_letter_once_per_mall"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} · {self.name} @ {self.mall.short_name}"


class DailySequence(models.Model):
    """The last number given in a queue on a service day; locked while a number is taken.

    `waiting` counts the day's tickets of the queue that wait (issued or transferred in, not yet
    called), kept by the same statements that change them (queueing.actions), so that a new
    ticket learns how many are ahead without counting a long queue."""

    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, related_name="sequences", verbose_name=_("antrean")
    )
    service_day = models.DateField(verbose_name=_("hari layanan"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("nomor terakhir"))
    waiting = models.PositiveIntegerField(default=0, verbose_name=_("menunggu"))
    # The time of the last ticket numbered here. The next ticket's time is never earlier, so
    # times follow numbers even when two issuers read the clock in the other order than they
    # took the row's lock (queueing.issuing).
    last_issued_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("terakhir diterbitkan pada")
    )

    class Meta:
        verbose_name = _("urutan nomor harian")
        verbose_name_plural = _("urutan nomor harian")
        constraints = [
            models.UniqueConstraint(fields=["queue", "service_day"], name="sequence_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.queue.letter} {self.service_day}: {self.last_number}"


class Counter(models.Model):
    """A service counter (loket) staffed by one tenant."""

    class Status(models.TextChoices):
        OPEN = "open", _("Buka")
        PAUSED = "paused", _("Jeda")
        CLOSED = "closed", _("Tutup")

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="counters", verbose_name=_("mal")
    )
    number = models.PositiveSmallIntegerField(_("nomor loket"))
    tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="counters",
        help_text=_("Kosong: loket depan yang dilayani operator mal (Mini MPP)."),
    )
    queues = models.ManyToManyField(
        Queue, verbose_name=_("antrean yang dilayani"), related_name="counters"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CLOSED
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="counters",
    )

    class Meta:
        verbose_name = _("loket")
        verbose_name_plural = _("loket")
        ordering = ["mall_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "number"], name="counter_number_once_per_mall")
        ]

    def __str__(self) -> str:
        who = self.tenant.short_name if self.tenant else self.mall.short_name
        return f"Loket {self.number} ({who})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


def new_ticket_code() -> str:
    """The opaque id of a ticket's phone page: 128 random bits, URL-safe, never guessable."""
    return secrets.token_urlsafe(16)


class TicketQuerySet(models.QuerySet["Ticket"]):
    def waiting(self) -> TicketQuerySet:
        return self.filter(status=Ticket.Status.WAITING)

    def on_day(self, day: dt.date) -> TicketQuerySet:
        return self.filter(service_day=day)


class Ticket(models.Model):
    """A queue number taken by a citizen; every step of its life is timestamped."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Menunggu")
        CALLED = "called", _("Dipanggil")
        SERVING = "serving", _("Dilayani")
        DONE = "done", _("Selesai")
        NO_SHOW = "no_show", _("Tidak hadir")
        TRANSFERRED = "transferred", _("Dialihkan")
        # The citizen gave the number up before it was called (the phone page's "Batalkan"):
        # neither served nor a no-show in the reports (docs/adr/0028).
        CANCELLED = "cancelled", _("Dibatalkan")

    class Priority(models.TextChoices):
        # Special treatment for vulnerable groups: UU 25/2009 Pasal 29 and its explanation
        # (penyandang cacat, lanjut usia, wanita hamil, anak-anak, korban bencana alam, korban
        # bencana sosial); "ibu dengan balita" is the MPP's own reading of it.
        NONE = "none", _("Biasa")
        ELDERLY = "lansia", _("Lansia")
        DISABILITY = "disabilitas", _("Penyandang disabilitas")
        PREGNANT = "ibu_hamil", _("Ibu hamil")
        TODDLER = "ibu_balita", _("Ibu dengan balita")
        CHILD = "anak", _("Anak-anak")
        DISASTER_VICTIM = "bencana", _("Korban bencana alam atau sosial")

    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("Kios")
        ONLINE = "online", _("Daring (ponsel)")
        METAPERS = "metapers", _("Metapers")
        STAFF = "staff", _("Petugas")

    class Outcome(models.TextChoices):
        DONE = "done", _("Selesai")
        COME_BACK = "come_back", _("Harus kembali")
        REJECTED = "rejected", _("Ditolak")
        # Taken in for processing over days: opens an application (mpp.applications).
        FILES_RECEIVED = "received", _("Berkas diterima")

    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("mal")
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("antrean")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("layanan")
    )
    service_day = models.DateField(_("hari layanan"))
    number = models.PositiveIntegerField(_("nomor"))
    code = models.CharField(
        max_length=32, unique=True, default=new_ticket_code, editable=False, verbose_name=_("kode")
    )
    priority = models.CharField(
        _("prioritas"), max_length=12, choices=Priority.choices, default=Priority.NONE
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    counter = models.ForeignKey(
        Counter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("loket"),
    )
    issued_at = models.DateTimeField(_("diambil"))
    # The kiosk device or officer that issued it (empty for a citizen's phone). With issued_at
    # and channel this is the ticket's first step; TicketEvent records the steps after it.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )
    # Kept across a transfer, so a transferred citizen does not start waiting again.
    waiting_since = models.DateTimeField(_("menunggu sejak"))
    called_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dipanggil pada"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("mulai dilayani pada"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("selesai pada"))
    recall_count = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("jumlah panggil ulang")
    )
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, blank=True, verbose_name=_("hasil")
    )
    outcome_reason = models.CharField(max_length=255, blank=True, verbose_name=_("alasan"))
    call_reason = models.CharField(_("alasan dipanggil"), max_length=255, blank=True)
    transferred_to = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transferred_from",
        verbose_name=_("dialihkan ke"),
    )
    # NULL, not "": tickets without a key must not collide in the unique constraint below.
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=80, null=True, blank=True, verbose_name=_("kunci idempotensi")
    )
    # Whose key it is (queueing.access.idempotency_owner): "user:<id>" for a signed-in user or a
    # token's, "browser:<hash>" for a citizen's browser. A key answers its owner only, so a key
    # someone else learnt (read off a kiosk page) never hands over that ticket (docs/adr/0005).
    idempotency_owner = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("pemilik kunci idempotensi")
    )
    # Who holds a remote number (phone, Metapers), to limit the numbers one person or device
    # holds at once (queueing.limits): "user:<id>" for a signed-in citizen, "browser:<hash>"
    # for a phone's browser, "address:<hash>" for a caller with neither (docs/adr/0028). Empty
    # for numbers taken at the kiosk or the counter.
    holder = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("pemegang nomor daring")
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("tiket antrean")
        verbose_name_plural = _("tiket antrean")
        ordering = ["service_day", "queue_id", "number"]
        constraints = [
            # The guard behind the row lock: a number is never given twice in a queue and day.
            models.UniqueConstraint(
                fields=["queue", "service_day", "number"], name="ticket_number_once_per_day"
            ),
            models.UniqueConstraint(
                fields=["mall", "idempotency_owner", "idempotency_key"],
                name="ticket_idempotency_key_once_per_owner",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["queue", "service_day", "status"]),
            models.Index(
                fields=["holder", "service_day"],
                name="ticket_holder_day",
                condition=~models.Q(holder=""),
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"{self.queue.letter}{self.number:03d}"

    @property
    def is_priority(self) -> bool:
        return self.priority != self.Priority.NONE


class TicketEvent(models.Model):
    """One step in a ticket's life, with who did it and where: the audit trail of the queue."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("tiket antrean")
    )
    type = models.CharField(max_length=30, verbose_name=_("jenis"))
    at = models.DateTimeField(verbose_name=_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    counter = models.ForeignKey(
        Counter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("loket"),
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("peristiwa tiket")
        verbose_name_plural = _("peristiwa tiket")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.type}"


class CallEstimate(models.Model):
    """One "sekitar 10.20–10.35" a citizen was shown, kept to be scored against the real call
    (docs/adr/0034): where it was shown, what it said, and what the naive rule (people ahead x
    mean service time / open counters) would have said at the same moment."""

    class Shown(models.TextChoices):
        SLIP = "slip", _("slip")
        PHONE = "phone", _("halaman ponsel")
        API = "api", _("API")

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="estimates", verbose_name=_("tiket antrean")
    )
    made_at = models.DateTimeField(_("dibuat"))
    shown = models.CharField(_("ditampilkan di"), max_length=10, choices=Shown.choices)
    ahead = models.PositiveIntegerField(_("orang di depan"))
    staffed = models.PositiveSmallIntegerField(_("loket buka"))
    earliest = models.DateTimeField(_("paling cepat"))
    latest = models.DateTimeField(_("paling lambat"))
    expected = models.DateTimeField(_("perkiraan"))
    naive = models.DateTimeField(_("perkiraan sederhana"))
    called_at = models.DateTimeField(_("dipanggil pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("perkiraan waktu panggil")
        verbose_name_plural = _("perkiraan waktu panggil")
        ordering = ["made_at", "id"]
        indexes = [models.Index(fields=["ticket", "made_at"])]

    def __str__(self) -> str:
        return f"{self.ticket} {self.earliest:%H:%M}–{self.latest:%H:%M}"


class TicketAlert(models.Model):
    """A citizen's request to be told "3 nomor lagi" and "giliran Anda" for one ticket, by
    WhatsApp/SMS or e-mail (docs/adr/0033). The contact is erased when the ticket's day ends."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="alert", verbose_name=_("tiket antrean")
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    soon_sent_at = models.DateTimeField(_("'3 nomor lagi' dikirim"), null=True, blank=True)
    turn_sent_at = models.DateTimeField(_("'giliran Anda' dikirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pemberitahuan antrean")
        verbose_name_plural = _("pemberitahuan antrean")

    def __str__(self) -> str:
        return str(self.ticket)
