"""Tenants (instansi), their services with the published standard, and which mall offers what."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mpp.core import weekdays as wd
from mpp.malls.models import Mall, Region


def _validate_text_list(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
        raise ValidationError(_("Isi berupa daftar teks; setiap butir tidak boleh kosong."))


class Tenant(models.Model):
    """An agency or company that staffs counters at the MPP (instansi / tenant)."""

    class Kind(models.TextChoices):
        REGIONAL_OFFICE = "perangkat_daerah", _("Perangkat daerah")
        VERTICAL_AGENCY = "instansi_vertikal", _("Instansi vertikal")
        STATE_COMPANY = "bumn", _("BUMN")
        REGIONAL_COMPANY = "bumd", _("BUMD")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="tenants", verbose_name=_("wilayah")
    )
    slug = models.SlugField(_("alamat singkat"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=80)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("keterangan"), blank=True)
    service_days = models.CharField(
        _("hari layanan di MPP"),
        max_length=7,
        default="12345",
        validators=[wd.validate],
        help_text=_("Angka hari: 1 = Senin … 7 = Minggu. Contoh: 3 = hanya Rabu."),
    )
    complaints = models.TextField(_("penanganan pengaduan"), blank=True)
    # The published time to answer a complaint once verified (SP4N-LAPOR!: 5 working days).
    complaint_days = models.PositiveSmallIntegerField(
        _("batas waktu menjawab pengaduan (hari kerja)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    pledge = models.TextField(_("maklumat pelayanan"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["sort_order", "short_name"]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("catalog:tenant-detail", kwargs={"slug": self.slug})

    @property
    def explanation(self) -> str:
        """One plain line under the acronym ("DPMPTSP", "Kejari"): the full name, which spells
        it out, without the regency's name that every line would repeat (as the kiosk does)."""
        regency = self.region.name  # "Kabupaten Kutai Kartanegara"
        place = regency.split(" ", 1)[-1]  # "Kejaksaan Negeri Kutai Kartanegara" omits "Kabupaten"
        return self.name.replace(f" {regency}", "").replace(f" {place}", "")

    @property
    def service_days_display(self) -> str:
        return wd.describe(self.service_days)


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> ServiceQuerySet:
        return self.filter(is_active=True)

    def offered_at(self, mall: Mall) -> ServiceQuerySet:
        return self.filter(offerings__mall=mall)


class DurationUnit(models.TextChoices):
    """The unit of a service's published completion time (issue 22's contract values)."""

    MINUTES = "menit", _("menit")
    HOURS = "jam", _("jam")
    WORKING_DAYS = "hari_kerja", _("hari kerja")
    CALENDAR_DAYS = "hari", _("hari kalender")


def minutes_of(value: int | None, unit: str) -> int | None:
    """A same-visit duration (menit, jam) in minutes; None for days or no fixed time."""
    if value is None:
        return None
    if unit == DurationUnit.MINUTES:
        return value
    if unit == DurationUnit.HOURS:
        return value * 60
    return None


class Service(models.Model):
    """A service (layanan) with the six published components of its standard.

    The components are those of PermenPAN-RB 15/2014 that must be published to citizens.
    """

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="services", verbose_name=_("instansi")
    )
    slug = models.SlugField(_("alamat singkat"), unique=True, max_length=80)
    name = models.CharField(_("nama layanan"), max_length=200)
    keywords = models.CharField(
        _("kata kunci"),
        max_length=400,
        blank=True,
        help_text=_("Kata sehari-hari yang dipakai warga, dipisah koma: ktp, e-ktp, rekam ktp."),
    )
    is_front_counter = models.BooleanField(
        _("bisa di loket depan Mini MPP?"),
        default=False,
        help_text=_("Layanan yang dapat diterima di Mini MPP kecamatan."),
    )
    # The six components published to citizens (PermenPAN-RB 15/2014, Lampiran).
    requirements = models.JSONField(
        _("persyaratan"), default=list, validators=[_validate_text_list]
    )
    procedure = models.JSONField(
        _("sistem, mekanisme, dan prosedur"), default=list, validators=[_validate_text_list]
    )
    duration = models.CharField(_("jangka waktu penyelesaian"), max_length=120)
    # The same time as a value and a unit, which deadlines are computed from; both empty when
    # the standard names no fixed time ("Sesuai jadwal persidangan").
    duration_value = models.PositiveSmallIntegerField(
        _("jangka waktu (angka)"), null=True, blank=True
    )
    duration_unit = models.CharField(
        _("jangka waktu (satuan)"), max_length=10, choices=DurationUnit.choices, blank=True
    )
    fee = models.CharField(_("biaya/tarif"), max_length=255)
    fee_amount = models.PositiveBigIntegerField(
        _("biaya (Rp)"), null=True, blank=True, help_text=_("Kosongkan bila besarnya bervariasi.")
    )
    product = models.CharField(_("produk pelayanan"), max_length=255)
    complaints = models.TextField(
        _("penanganan pengaduan, saran, dan masukan"),
        blank=True,
        help_text=_("Kosongkan untuk memakai saluran pengaduan instansi."),
    )
    legal_basis = models.JSONField(_("dasar hukum"), default=list, validators=[_validate_text_list])
    is_active = models.BooleanField(_("aktif?"), default=True)
    # Folded, stemmed words of the name, keywords and tenant, kept up to date on save (search.py).
    search_text = models.TextField(editable=False, default="", verbose_name=_("teks pencarian"))

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["tenant__sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(duration_value__isnull=True, duration_unit="")
                    | (models.Q(duration_value__gte=1) & ~models.Q(duration_unit=""))
                ),
                name="service_duration_value_with_unit",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        from mpp.catalog.search import index_text  # search imports models: avoid a cycle

        self.search_text = index_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("catalog:service-detail", kwargs={"pk": self.pk})

    @property
    def complaints_text(self) -> str:
        return self.complaints or self.tenant.complaints

    @property
    def standard_minutes(self) -> int | None:
        """The published completion time in minutes when it is done during the visit
        ("15 menit", "1 jam setelah berkas lengkap"); None when it takes days or names no fixed
        time, and cannot be held against the time at the counter."""
        return minutes_of(self.duration_value, self.duration_unit)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class MallTenant(models.Model):
    """A tenant present at a mall, on its days there and at its counters."""

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="mall_tenants", verbose_name=_("mal")
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="mall_tenants", verbose_name=_("instansi")
    )
    service_days = models.CharField(
        _("hari layanan"),
        max_length=7,
        blank=True,
        validators=[wd.validate],
        help_text=_("Kosongkan untuk memakai hari layanan instansi."),
    )
    counter_label = models.CharField(_("loket"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("instansi di mal")
        verbose_name_plural = _("instansi di mal")
        ordering = ["tenant__sort_order"]
        constraints = [models.UniqueConstraint(fields=["mall", "tenant"], name="mall_tenant_once")]

    def __str__(self) -> str:
        return f"{self.tenant} @ {self.mall.short_name}"

    @property
    def days(self) -> str:
        return self.service_days or self.tenant.service_days

    @property
    def days_display(self) -> str:
        return wd.describe(self.days)


class MallService(models.Model):
    """A service offered at a mall (a Mini MPP offers a front-counter subset)."""

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("mal")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("layanan")
    )
    daily_quota = models.PositiveIntegerField(
        _("kuota harian"),
        null=True,
        blank=True,
        help_text=_("Nomor antrean paling banyak per hari; kosongkan bila tidak dibatasi."),
    )

    class Meta:
        verbose_name = _("layanan di mal")
        verbose_name_plural = _("layanan di mal")
        constraints = [
            models.UniqueConstraint(fields=["mall", "service"], name="mall_service_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.mall.short_name}"

    def clean(self) -> None:
        """A Mini MPP is a front counter: it offers only services marked for one."""
        if (
            self.mall_id
            and self.service_id
            and self.mall.kind == Mall.Kind.MINI_MPP
            and not self.service.is_front_counter
        ):
            raise ValidationError(
                {"service": _("Layanan ini tidak dapat dilayani di loket depan Mini MPP.")}
            )
        if (
            self.mall_id
            and self.service_id
            and self.mall.region_id != self.service.tenant.region_id
        ):
            raise ValidationError({"service": _("Layanan ini milik wilayah lain.")})
