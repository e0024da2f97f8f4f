"""Regions, kecamatan, villages, the MPP and Mini MPP buildings, their hours and holidays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mpp.core import clock
from mpp.core import weekdays as wd
from mpp.core.usercontent import SanitizedSVGField

district_code_validator = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}$", _("Kode kecamatan Kemendagri berbentuk 64.02.06.")
)
village_code_validator = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", _("Kode desa/kelurahan Kemendagri berbentuk 64.02.06.1001.")
)
color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Warna ditulis #RRGGBB."))


class Region(models.Model):
    """A regency (kabupaten) or city whose data package is loaded: Kukar is the first."""

    slug = models.SlugField(_("kode paket"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    short_name = models.CharField(_("nama singkat"), max_length=40)
    province = models.CharField(_("provinsi"), max_length=80)
    kemendagri_code = models.CharField(_("kode Kemendagri"), max_length=5, unique=True)
    bps_code = models.CharField(_("kode BPS"), max_length=4)
    seat = models.CharField(_("ibu kota"), max_length=80)
    timezone = models.CharField(_("zona waktu"), max_length=40, default="Asia/Makassar")
    data_version = models.CharField(_("versi data"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A kecamatan. Kemendagri and BPS codes are separate systems and are kept apart."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="districts", verbose_name=_("wilayah")
    )
    code = models.CharField(
        _("kode Kemendagri"), max_length=8, unique=True, validators=[district_code_validator]
    )
    bps_code = models.CharField(_("kode BPS"), max_length=7, blank=True)
    name = models.CharField(_("nama"), max_length=80)
    seat = models.CharField(_("ibu kota kecamatan"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A desa or kelurahan. In Kemendagri codes the fourth part starts with 1 for a kelurahan."""

    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="villages", verbose_name=_("kecamatan")
    )
    code = models.CharField(
        _("kode Kemendagri"), max_length=13, unique=True, validators=[village_code_validator]
    )
    name = models.CharField(_("nama"), max_length=80)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Holiday(models.Model):
    """A day the malls of a region are closed: national holidays and collective leave."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("wilayah")
    )
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=120)
    is_collective_leave = models.BooleanField(_("cuti bersama?"), default=False)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["region", "date"], name="holiday_one_per_region_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class MallClosure(models.Model):
    """Days a mall is closed beyond the region's holidays: planned (renovation, an election
    day) or sudden ("tutup mulai sekarang": a flood, a power cut), from `starts_on` to
    `ends_on`. A closure day counts as a holiday for the mall (Mall.hours_on): no numbers, no
    booking slots, and the bookings it hits are cancelled and their people told
    (appointments.jobs, docs/adr/0035). A sudden closure today closes the rest of the day."""

    mall = models.ForeignKey(
        "Mall", on_delete=models.CASCADE, related_name="closures", verbose_name=_("mal")
    )
    starts_on = models.DateField(_("tutup mulai tanggal"))
    ends_on = models.DateField(_("tutup sampai tanggal"))
    from_time = models.TimeField(
        _("mulai pukul"),
        null=True,
        blank=True,
        help_text=_(
            "Untuk penutupan mendadak hari ini: sejak pukul berapa. Kosongkan bila sehari penuh."
        ),
    )
    reason = models.CharField(
        _("alasan"), max_length=160, help_text=_("Ditampilkan kepada warga, mis. “Banjir”.")
    )
    created_at = models.DateTimeField(_("dicatat pada"), default=clock.now)

    class Meta:
        verbose_name = _("penutupan mal")
        verbose_name_plural = _("penutupan mal")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="closure_starts_before_it_ends",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d} {self.reason}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError(
                {"ends_on": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")}
            )
        if self.from_time and self.starts_on != self.ends_on:
            raise ValidationError(
                {"from_time": _("Jam mulai hanya untuk penutupan satu hari (mendadak).")}
            )


# How far ahead "open again on ..." looks (long holidays such as Idulfitri last about a week).
LOOKAHEAD_DAYS = 14

# The MPP first, then the Mini MPPs by kecamatan code. Field names only: "mpp" sorts after
# "mini_mpp", so the kind descending puts the MPP first (a test holds every kind to that). An
# expression here (Case/When) broke every admin list sorted by a mall column: Django cannot
# follow a related model's ordering through a When's condition.
MALL_ORDER = ("-kind", "district__code")


def mall_order(prefix: str = "") -> list[Any]:
    """MALL_ORDER for a related lookup, e.g. mall_order("mall__")."""
    return [f"-{prefix}kind", f"{prefix}district__code"]


class MallQuerySet(models.QuerySet["Mall"]):
    def public(self) -> MallQuerySet:
        """Malls shown to citizens: every status, the MPP first, then Mini MPPs by kecamatan."""
        return self.select_related("district", "region").order_by(*MALL_ORDER)


class Mall(models.Model):
    """A service building: the MPP of the regency or the Mini MPP of one kecamatan."""

    class Kind(models.TextChoices):
        MPP = "mpp", _("MPP")
        MINI_MPP = "mini_mpp", _("Mini MPP")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        PREPARING = "preparing", _("Persiapan")
        OPERATING = "operating", _("Beroperasi")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="malls", verbose_name=_("wilayah")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="malls", verbose_name=_("kecamatan")
    )
    slug = models.SlugField(_("alamat singkat"), unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=160)
    short_name = models.CharField(_("nama singkat"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    address = models.CharField(_("alamat"), max_length=255)
    paten_room = models.CharField(
        _("ruang PATEN yang dipakai"),
        max_length=160,
        blank=True,
        help_text=_("Khusus Mini MPP: ruang Pelayanan Administrasi Terpadu Kecamatan."),
    )
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    opened_on = models.DateField(_("mulai beroperasi"), null=True, blank=True)
    status_is_sample = models.BooleanField(
        _("status masih data contoh"),
        default=False,
        help_text=_("Status dan tanggal beroperasi belum dipastikan; halaman menandainya."),
    )
    color_primary = models.CharField(
        _("warna utama"), max_length=7, default="#0b5d3b", validators=[color_validator]
    )
    color_secondary = models.CharField(
        _("warna kedua"), max_length=7, default="#f2b705", validators=[color_validator]
    )
    tagline = models.CharField(_("slogan"), max_length=160, blank=True)
    # Cleaned by svg-hush on every save, served with a sandboxing CSP (docs/adr/0013).
    logo_svg = SanitizedSVGField(
        _("logo (SVG)"),
        blank=True,
        help_text=_(
            "Kosongkan untuk lencana otomatis dari warna mal. Skrip, tautan, dan rujukan ke "
            "luar dibuang saat disimpan."
        ),
    )

    objects = MallQuerySet.as_manager()

    class Meta:
        verbose_name = _("mal pelayanan")
        verbose_name_plural = _("mal pelayanan")
        ordering = MALL_ORDER
        constraints = [
            models.UniqueConstraint(
                fields=["district"],
                condition=models.Q(kind="mini_mpp"),
                name="mall_one_mini_mpp_per_district",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("malls:mall-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.kind == self.Kind.MINI_MPP and not self.paten_room:
            raise ValidationError(
                {"paten_room": _("Mini MPP wajib menyebut ruang PATEN yang dipakai.")}
            )

    @property
    def initials(self) -> str:
        """The letters of the badge drawn when the mall has no logo of its own ("MPP", or the
        kecamatan's initials for a Mini MPP): the SVG logo and the printed slip's."""
        if self.kind == self.Kind.MPP:
            return "MPP"
        words = self.district.name.replace("-", " ").split()
        return "".join(w[0] for w in words[:3]).upper()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.region.timezone)

    @property
    def is_operating(self) -> bool:
        return self.status == self.Status.OPERATING

    def local_now(self) -> dt.datetime:
        return clock.now().astimezone(self.zone)

    def hours_on(
        self,
        day: dt.date,
        *,
        hours: list[OpeningHours] | None = None,
        holidays: set[dt.date] | None = None,
    ) -> OpeningHours | None:
        """The opening hours that apply on `day`, or None when closed (weekend, holiday).

        `hours` and `holidays` may be passed pre-fetched so that list pages stay at a fixed
        number of queries.
        """
        if holidays is None:
            holidays = self._days_off(day, day)
        if day in holidays:
            return None
        if hours is None:
            hours = list(self.opening_hours.all())
        for row in hours:
            if row.weekday == day.isoweekday():
                return row
        return None

    def holidays_between(self, first: dt.date, days: int) -> set[dt.date]:
        """The region's holidays and this mall's closure days from `first` on, in one query
        (closures are days off like holidays: the kiosk, the mall page and the booking slots
        agree; MallClosure)."""
        last = first + dt.timedelta(days=days)
        return self._days_off(first, last)

    def _days_off(self, first: dt.date, last: dt.date) -> set[dt.date]:
        holidays = (
            self.region.holidays.filter(date__range=(first, last))
            .annotate(until=models.F("date"))
            .values_list("date", "until")
            .order_by()
        )
        closures = (
            MallClosure.objects.filter(mall=self, starts_on__lte=last, ends_on__gte=first)
            .values_list("starts_on", "ends_on")
            .order_by()
        )
        days: set[dt.date] = set()
        for start, end in holidays.union(closures, all=True):
            day = max(start, first)
            while day <= min(end, last):
                days.add(day)
                day += dt.timedelta(days=1)
        return days

    def next_opening(
        self, after: dt.date, hours: list[OpeningHours], holidays: set[dt.date]
    ) -> dt.datetime | None:
        """When the mall next opens after the day `after` (local time), within LOOKAHEAD_DAYS."""
        for offset in range(1, LOOKAHEAD_DAYS + 1):
            day = after + dt.timedelta(days=offset)
            row = self.hours_on(day, hours=hours, holidays=holidays)
            if row is not None:
                return dt.datetime.combine(day, row.opens, tzinfo=self.zone)
        return None

    def state_at(
        self,
        instant: dt.datetime,
        *,
        hours: list[OpeningHours] | None = None,
        holidays: set[dt.date] | None = None,
    ) -> OpenState:
        """Whether the mall is open at `instant`, on a break, or closed, and until/from when.

        `holidays` must cover the next LOOKAHEAD_DAYS days when given (see next_opening).
        """
        local = instant.astimezone(self.zone)
        if not self.is_operating:
            return OpenState(code="not_operating")
        if hours is None:
            hours = list(self.opening_hours.all())
        if holidays is None:
            holidays = self.holidays_between(local.date(), LOOKAHEAD_DAYS)
        row = self.hours_on(local.date(), hours=hours, holidays=holidays)
        if row is None:
            return OpenState(
                code="closed_today", next_open=self.next_opening(local.date(), hours, holidays)
            )
        t = local.time()
        if t < row.opens:
            return OpenState(code="before_open", until=row.opens)
        if t >= row.closes:
            return OpenState(
                code="after_close", next_open=self.next_opening(local.date(), hours, holidays)
            )
        if row.break_starts and row.break_ends and row.break_starts <= t < row.break_ends:
            return OpenState(code="break", until=row.break_ends)
        taking_numbers = row.last_ticket_at is None or t < row.last_ticket_at
        return OpenState(
            code="open",
            until=row.closes,
            is_taking_numbers=taking_numbers,
            last_ticket_at=row.last_ticket_at,
        )


@dataclass(frozen=True)
class OpenState:
    """What "open now" means for a mall at one instant."""

    code: str  # open | break | before_open | after_close | closed_today | not_operating
    until: dt.time | None = None
    is_taking_numbers: bool = False
    last_ticket_at: dt.time | None = None
    next_open: dt.datetime | None = None  # local time, when closed for the rest of the day

    @property
    def is_open(self) -> bool:
        return self.code == "open"


class OpeningHours(models.Model):
    """Hours of one weekday at one mall, with the Friday prayer break and the number cut-off."""

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("mal")
    )
    weekday = models.PositiveSmallIntegerField(
        _("hari"), choices=[(n, label) for n, label in wd.DAY_NAMES.items()]
    )
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))
    break_starts = models.TimeField(_("istirahat mulai"), null=True, blank=True)
    break_ends = models.TimeField(_("istirahat selesai"), null=True, blank=True)
    last_ticket_at = models.TimeField(
        _("batas pengambilan nomor"),
        null=True,
        blank=True,
        help_text=_("Setelah jam ini tidak ada nomor antrean baru."),
    )

    class Meta:
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "weekday"], name="hours_one_row_per_weekday"),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="hours_open_before_close"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Jam tutup harus sesudah jam buka.")})
        if bool(self.break_starts) != bool(self.break_ends):
            raise ValidationError(
                {"break_ends": _("Isi jam mulai dan selesai istirahat, atau kosongkan keduanya.")}
            )
        if (
            self.break_starts
            and self.break_ends
            and not (self.opens < self.break_starts < self.break_ends < self.closes)
        ):
            raise ValidationError(
                {"break_starts": _("Istirahat harus berada di dalam jam layanan.")}
            )
        if self.last_ticket_at and not (self.opens < self.last_ticket_at <= self.closes):
            raise ValidationError(
                {"last_ticket_at": _("Batas pengambilan nomor harus di dalam jam layanan.")}
            )
