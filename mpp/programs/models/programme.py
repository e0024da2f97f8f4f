"""A programme and what belongs to the event: the KUA that registers it and its officers, the
fee's legal basis and bearers, the akad sessions and the door prizes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Service, Tenant
from mpp.malls.models import District, Mall, Region

# Words of the programmes' own addresses (urls_public) that a programme's slug cannot be.
RESERVED_SLUGS = frozenset({"pendaftaran"})


class Kua(models.Model):
    """A Kantor Urusan Agama: registers the marriages whose akad takes place in its kecamatan
    (PMA 30/2024 Art. 3)."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="kuas", verbose_name=_("wilayah")
    )
    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="kua", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("nama"), max_length=120)
    address = models.CharField(_("alamat"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("KUA")
        verbose_name_plural = _("KUA")
        ordering = ["district__code"]

    def __str__(self) -> str:
        return self.name


class KuaOfficer(models.Model):
    """A staff user (role "kua_officer") who verifies and marries the couples of one KUA."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kua_officer",
        verbose_name=_("pengguna"),
    )
    kua = models.ForeignKey(
        Kua,
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("KUA tempat bertugas"),
    )

    class Meta:
        verbose_name = _("petugas KUA")
        verbose_name_plural = _("petugas KUA")

    def __str__(self) -> str:
        return f"{self.user} ({self.kua})"


class TariffBasis(models.TextChoices):
    """The marriage fee's legal basis (PP 48/2014 jo. PP 59/2018)."""

    KUA_HOURS = "kua_hours", _("Di kantor KUA pada jam kerja (Rp0)")
    OUTSIDE = "outside", _("Di luar kantor KUA atau di luar jam kerja (PNBP Rp600.000)")
    SKTM = "sktm", _("Dengan surat keterangan tidak mampu (Rp0)")
    DISASTER = "disaster", _("Korban bencana alam (Rp0)")


# Rupiah due per basis: only an akad outside the office or its hours owes PNBP.
TARIFF_IDR = {
    TariffBasis.KUA_HOURS: 0,
    TariffBasis.OUTSIDE: 600_000,
    TariffBasis.SKTM: 0,
    TariffBasis.DISASTER: 0,
}


class FeeBearer(models.TextChoices):
    """Who pays the PNBP that is due. A regency cannot waive central state revenue: where a
    third party pays, the word is "ditanggung", never "gratis" or "dibebaskan"."""

    COUPLE = "couple", _("Pasangan sendiri")
    REGENCY = "regency", _("Ditanggung Pemerintah Kabupaten")
    BAZNAS = "baznas", _("Ditanggung Baznas")
    SPONSOR = "sponsor", _("Ditanggung sponsor")


class Programme(models.Model):
    """A public programme of a region, run with one KUA (for a mass wedding) at one venue."""

    class Kind(models.TextChoices):
        NIKAH_MASSAL = "nikah_massal", _("Nikah massal")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Pendaftaran dibuka")
        CLOSED = "closed", _("Pendaftaran ditutup")
        FINISHED = "finished", _("Selesai")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("wilayah")
    )
    kind = models.CharField(
        _("jenis"), max_length=20, choices=Kind.choices, default=Kind.NIKAH_MASSAL
    )
    slug = models.SlugField(_("kode halaman"), max_length=60, unique=True)
    title = models.CharField(_("judul"), max_length=160)
    description = models.TextField(_("penjelasan"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    kua = models.ForeignKey(
        Kua,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("KUA pencatat"),
        help_text=_("KUA kecamatan tempat akad dilaksanakan."),
    )
    mall = models.ForeignKey(
        Mall,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("mal penyelenggara"),
        help_text=_("Tempat pendaftaran di loket dan layanan Disdukcapil pada hari acara."),
    )
    quota = models.PositiveIntegerField(_("kuota pasangan"), validators=[MinValueValidator(1)])
    # Counted by conditional UPDATE (actions.register_couple): never above the quota, whatever
    # the concurrency, on SQLite and PostgreSQL alike (the CheckConstraint is the last guard).
    registered_count = models.PositiveIntegerField(_("jumlah terdaftar"), default=0)
    registration_opens = models.DateField(_("pendaftaran dibuka"))
    tariff_basis = models.CharField(
        _("dasar tarif bawaan"),
        max_length=10,
        choices=TariffBasis.choices,
        default=TariffBasis.OUTSIDE,
    )
    fee_bearer = models.CharField(
        _("penanggung biaya bawaan"),
        max_length=10,
        choices=FeeBearer.choices,
        default=FeeBearer.REGENCY,
    )
    sponsor_name = models.CharField(_("nama sponsor"), max_length=120, blank=True)
    # Whose officers register couples at the mall's counter (Kemenag, for a mass wedding),
    # besides the KUA's own officers and the mall's supervisor.
    registration_tenant = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi loket pendaftaran"),
        help_text=_("Petugas instansi ini di mal penyelenggara dapat mendaftarkan pasangan."),
    )
    # The civil-registry follow-up: Disdukcapil's new KK and KTP-el with the new status.
    civil_registry_tenant = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instansi pencatatan sipil"),
    )
    kk_service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("layanan KK"),
    )
    ktp_service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("layanan KTP-el"),
    )
    # The door-prize draw (programs.draw): published before, revealed at the draw.
    entrants_sha256 = models.CharField(
        _("SHA-256 daftar peserta undian"), max_length=64, blank=True
    )
    entrants_file = models.TextField(_("daftar peserta undian"), blank=True)
    seed_sha256 = models.CharField(_("SHA-256 benih undian"), max_length=64, blank=True)
    # Kept secret until the draw: only its hash is shown before.
    seed = models.CharField(_("benih undian"), max_length=200, blank=True)
    draw_published_at = models.DateTimeField(_("daftar undian diumumkan"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("diundi pada"), null=True, blank=True)
    retention_days = models.PositiveIntegerField(
        _("masa simpan data pribadi (hari)"),
        default=365,
        help_text=_("Setelah acara terakhir lewat sekian hari, data pribadi pasangan dianonimkan."),
    )
    anonymised_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["-registration_opens", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered_count__lte=models.F("quota")),
                name="programme_within_quota",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # /program/pendaftaran/<key>/ is the couple's page: no programme may take that word.
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Kode halaman ini dipakai sistem; pilih yang lain.")})

    @property
    def places_left(self) -> int:
        return max(self.quota - self.registered_count, 0)

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None


class AkadSession(models.Model):
    """One akad session of a programme: a date, a time, a place and how many couples it takes."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("program")
    )
    date = models.DateField(_("tanggal akad"))
    starts_at = models.TimeField(_("mulai"))
    place = models.CharField(_("tempat"), max_length=200)
    capacity = models.PositiveIntegerField(
        _("kapasitas pasangan"), validators=[MinValueValidator(1)]
    )
    # Counted by conditional UPDATE (actions.schedule_couple), like Programme.registered_count.
    scheduled_count = models.PositiveIntegerField(_("jumlah terjadwal"), default=0)

    class Meta:
        verbose_name = _("sesi akad")
        verbose_name_plural = _("sesi akad")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scheduled_count__lte=models.F("capacity")),
                name="akad_session_within_capacity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.starts_at:%H.%M} {self.place}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.scheduled_count, 0)


class Prize(models.Model):
    """A door prize of a programme; its winner is drawn (programs.draw), never chosen."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="prizes", verbose_name=_("program")
    )
    rank = models.PositiveSmallIntegerField(
        _("urutan hadiah"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    name = models.CharField(_("hadiah"), max_length=160)
    sponsor = models.CharField(_("pemberi hadiah"), max_length=120, blank=True)
    winner_code = models.CharField(_("kode pemenang"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("hadiah")
        verbose_name_plural = _("hadiah")
        ordering = ["programme_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "rank"], name="prize_rank_once")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"
