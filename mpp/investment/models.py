"""Investment realization as LKPM reports give it (Peraturan BKPM 5/2021), the datasets it was
imported from, the regency's classification of sectors, and yearly targets."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

nib_validator = RegexValidator(r"^\d{13}$", _("NIB terdiri atas 13 angka."))
kbli_validator = RegexValidator(r"^\d{5}$", _("KBLI terdiri atas 5 angka."))
kbli_prefix_validator = RegexValidator(
    r"^\d{2,5}$", _("Awalan KBLI terdiri atas 2 sampai 5 angka.")
)


class Period(models.TextChoices):
    """Medium and large businesses report per quarter, small businesses per semester."""

    Q1 = "Q1", _("Triwulan I")
    Q2 = "Q2", _("Triwulan II")
    Q3 = "Q3", _("Triwulan III")
    Q4 = "Q4", _("Triwulan IV")
    S1 = "S1", _("Semester I")
    S2 = "S2", _("Semester II")


# The quarter in which a period ends: a semester's realization is known at the end of its last
# quarter, so "January to the end of Q3" holds S1 but not S2.
PERIOD_END_QUARTER = {"Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4, "S1": 2, "S2": 4}


class Nature(models.TextChoices):
    EXTRACTIVE = "ekstraktif", _("Ekstraktif")
    RESOURCE_BASED = "berbasis_sumber_daya", _("Berbasis sumber daya alam")
    NON_EXTRACTIVE = "non_ekstraktif", _("Non-ekstraktif")


class Sector(models.Model):
    """One of the 23 national sectors; reference data, loaded by a migration."""

    class Group(models.TextChoices):
        PRIMARY = "primer", _("Primer")
        SECONDARY = "sekunder", _("Sekunder")
        TERTIARY = "tersier", _("Tersier")

    number = models.PositiveSmallIntegerField(
        _("nomor"), primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(23)]
    )
    name = models.CharField(_("nama"), max_length=120)
    group = models.CharField(_("kelompok"), max_length=10, choices=Group.choices)

    class Meta:
        verbose_name = _("sektor")
        verbose_name_plural = _("sektor")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SectorClassification(models.Model):
    """The regency's view of a sector: extractive, resource-based or not. Sectors without a row
    take the default of `sectors.SECTORS`."""

    region = models.ForeignKey(
        "malls.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("wilayah")
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.CASCADE, related_name="classifications", verbose_name=_("sektor")
    )
    nature = models.CharField(_("sifat"), max_length=24, choices=Nature.choices)

    class Meta:
        verbose_name = _("klasifikasi sektor")
        verbose_name_plural = _("klasifikasi sektor")
        constraints = [
            models.UniqueConstraint(fields=["region", "sector"], name="one_class_per_sector")
        ]

    def __str__(self) -> str:
        return f"{self.sector}: {self.get_nature_display()}"


class DownstreamKbli(models.Model):
    """A KBLI prefix that counts as downstreaming (hilirisasi), whatever its sector."""

    region = models.ForeignKey(
        "malls.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("wilayah")
    )
    prefix = models.CharField(_("awalan KBLI"), max_length=5, validators=[kbli_prefix_validator])
    commodity = models.CharField(_("komoditas"), max_length=120)

    class Meta:
        verbose_name = _("KBLI hilirisasi")
        verbose_name_plural = _("KBLI hilirisasi")
        ordering = ["prefix"]
        constraints = [
            models.UniqueConstraint(fields=["region", "prefix"], name="one_downstream_prefix")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.commodity}"


class Dataset(models.Model):
    """One import: where the figures come from, up to when, who brought them in."""

    region = models.ForeignKey(
        "malls.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    source = models.CharField(_("sumber"), max_length=200)
    cut_off = models.DateField(_("data per tanggal"))
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)
    file_name = models.CharField(_("nama berkas"), max_length=200)
    file_sha256 = models.CharField(_("SHA-256 berkas"), max_length=64)
    periods = models.JSONField(_("periode"), default=list)  # ["2024-Q1", "2024-S1", ...]
    row_count = models.PositiveIntegerField(_("jumlah baris"))
    replaced_count = models.PositiveIntegerField(_("baris lama yang diganti"), default=0)
    total_idr = models.BigIntegerField(_("jumlah (rupiah)"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("waktu impor"), auto_now_add=True)

    class Meta:
        verbose_name = _("set data realisasi")
        verbose_name_plural = _("set data realisasi")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.cut_off:%d-%m-%Y})"


class FinalPeriod(models.Model):
    """DPMPTSP's word that a year's figures from January through quarter `through` are complete
    (every LKPM report of those quarters is in): only such a period is shown by default; a later
    quarter is shown when asked for, marked provisional (docs/adr/0007, "Provisional periods")."""

    region = models.ForeignKey(
        "malls.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("wilayah")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    through = models.PositiveSmallIntegerField(
        _("final s.d. triwulan"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditetapkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("waktu penetapan"))

    class Meta:
        verbose_name = _("periode final")
        verbose_name_plural = _("periode final")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_final_period_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} s.d. TW{self.through}"


class ReportStatus(models.TextChoices):
    APPROVED = "disetujui", _("Disetujui")
    SUBMITTED = "diajukan", _("Diajukan")
    NEEDS_FIX = "perlu_perbaikan", _("Perlu perbaikan")
    REJECTED = "ditolak", _("Ditolak")


class Realization(models.Model):
    """One LKPM report line: a company's realization in a period, at a project location."""

    class Status(models.TextChoices):
        PMA = "PMA", _("PMA (penanaman modal asing)")
        PMDN = "PMDN", _("PMDN (penanaman modal dalam negeri)")

    # No index of its own: the composite indexes below all start with the region.
    region = models.ForeignKey(
        "malls.Region",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("wilayah"),
    )
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.PROTECT,
        related_name="realizations",
        verbose_name=_("kumpulan data"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.CharField(_("periode"), max_length=2, choices=Period.choices)
    end_quarter = models.PositiveSmallIntegerField(_("triwulan akhir periode"))
    company = models.CharField(_("perusahaan"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, validators=[nib_validator])
    status = models.CharField(_("status penanaman modal"), max_length=4, choices=Status.choices)
    kbli = models.CharField(_("KBLI"), max_length=5, validators=[kbli_validator])
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sektor")
    )
    district = models.ForeignKey(
        "malls.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan")
    )
    currency = models.CharField(_("mata uang"), max_length=3, default="IDR")
    amount = models.DecimalField(_("nilai (mata uang asal)"), max_digits=22, decimal_places=2)
    rate = models.DecimalField(
        _("kurs (rupiah per unit)"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    fixed_capital = models.DecimalField(
        _("modal tetap"), max_digits=22, decimal_places=2, null=True, blank=True
    )
    working_capital = models.DecimalField(
        _("modal kerja"), max_digits=22, decimal_places=2, null=True, blank=True
    )
    amount_idr = models.BigIntegerField(_("nilai (rupiah)"))
    workers_male = models.PositiveIntegerField(_("TKI laki-laki"))
    workers_female = models.PositiveIntegerField(_("TKI perempuan"))
    workers_foreign = models.PositiveIntegerField(_("TKA"))
    report_status = models.CharField(
        _("status laporan"), max_length=16, choices=ReportStatus.choices
    )
    is_downstream = models.BooleanField(_("hilirisasi"), default=False)

    class Meta:
        verbose_name = _("realisasi investasi")
        verbose_name_plural = _("realisasi investasi")
        constraints = [
            # One report per project (company, activity, location) and period.
            models.UniqueConstraint(
                fields=["region", "year", "period", "nib", "kbli", "district"],
                name="one_report_per_project_period",
            )
        ]
        indexes = [
            # Every dashboard figure: approved reports of a region, by year and quarter.
            models.Index(
                fields=["region", "report_status", "year", "end_quarter"], name="inv_scope_idx"
            ),
            models.Index(fields=["region", "year", "period"], name="inv_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.period} {self.company}"


class Target(models.Model):
    """A yearly investment target: the regency plan's (RPJMD) or the province's."""

    class Level(models.TextChoices):
        REGENCY = "kabupaten", _("Target kabupaten (RPJMD)")
        PROVINCE = "provinsi", _("Target provinsi")

    region = models.ForeignKey(
        "malls.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("wilayah")
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    amount_idr = models.BigIntegerField(_("target (rupiah)"), validators=[MinValueValidator(1)])
    source = models.CharField(_("sumber"), max_length=200)

    class Meta:
        verbose_name = _("target investasi")
        verbose_name_plural = _("target investasi")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "level"], name="one_target_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_level_display()}"


class RealizationRollup(models.Model):
    """Approved realization summed per dataset, year, period, status, sector and downstreaming:
    a few thousand rows where the records are hundreds of thousands. Every dashboard figure
    that does not need the company or the kecamatan reads this table. Kept by the actions that
    write records (import, retagging), in their transaction."""

    region = models.ForeignKey(
        "malls.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("wilayah")
    )
    dataset = models.ForeignKey(
        Dataset, on_delete=models.PROTECT, related_name="+", verbose_name=_("kumpulan data")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("tahun"))
    period = models.CharField(max_length=2, choices=Period.choices, verbose_name=_("periode"))
    end_quarter = models.PositiveSmallIntegerField(verbose_name=_("triwulan akhir"))
    status = models.CharField(max_length=4, choices=Realization.Status.choices)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sektor")
    )
    is_downstream = models.BooleanField(verbose_name=_("hilirisasi"))
    total_idr = models.BigIntegerField(verbose_name=_("jumlah (Rp)"))
    workers_male = models.BigIntegerField(verbose_name=_("tenaga kerja laki-laki"))
    workers_female = models.BigIntegerField(verbose_name=_("tenaga kerja perempuan"))
    workers_foreign = models.BigIntegerField(verbose_name=_("tenaga kerja asing"))
    reports = models.PositiveIntegerField(verbose_name=_("jumlah laporan"))

    class Meta:
        verbose_name = _("ringkasan realisasi")
        verbose_name_plural = _("ringkasan realisasi")
        indexes = [models.Index(fields=["region", "year", "end_quarter"], name="inv_rollup_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.period} {self.status} {self.sector_id}"
