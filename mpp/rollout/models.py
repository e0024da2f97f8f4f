"""The Mini MPP rollout: readiness per kecamatan, the staff BKPSDM assigns, operator training,
and the go-live gate that makes "operating" mean ready (issue 19, docs/adr/0031).

rollout stands on malls and accounts; queueing and metapers call into it (the trial day's
counts, the counter's training gate, the Metapers scenario's module), never the other way.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.malls.models import District, Mall, Region, Village


class RolloutPlan(models.Model):
    """A region's rollout: its target date and whether a counter needs trained officers."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="rollout_plan", verbose_name=_("wilayah")
    )
    target_date = models.DateField(
        _("target siap"), help_text=_("Tanggal semua Mini MPP harus siap, mis. 31 Desember 2025.")
    )
    training_required_to_open = models.BooleanField(
        _("loket hanya dibuka petugas terlatih"),
        default=False,
        help_text=_(
            "Jika aktif, petugas hanya dapat membuka loket setelah lulus modul pelatihan yang "
            "dibutuhkan perannya."
        ),
    )

    class Meta:
        verbose_name = _("rencana Mini MPP")
        verbose_name_plural = _("rencana Mini MPP")

    def __str__(self) -> str:
        return str(self.region)


class Agency(models.Model):
    """An agency that owns readiness items (region data): DPMPTSP, Dinas PU, BKPSDM,
    Diskominfo, the camat (of each Mini MPP's own kecamatan), the tenant."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Perangkat daerah")
        CAMAT = "camat", _("Camat setempat")
        TENANT = "tenant", _("Instansi penyewa")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="rollout_agencies", verbose_name=_("wilayah")
    )
    code = models.SlugField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=120)
    short_name = models.CharField(_("nama singkat"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.OFFICE)
    # BKPSDM: sees and edits the staff roster's personal data (with DPMPTSP).
    manages_staff = models.BooleanField(_("mengelola data pegawai"), default=False)

    class Meta:
        verbose_name = _("instansi penanggung jawab")
        verbose_name_plural = _("instansi penanggung jawab")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="rollout_agency_code_once")
        ]

    def __str__(self) -> str:
        return self.short_name


class AgencyMember(models.Model):
    """A staff user (role "agency_liaison") who acts for one agency; a camat's liaison for one
    kecamatan."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="rollout_agency",
        verbose_name=_("pengguna"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="members", verbose_name=_("instansi")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan"),
        help_text=_("Khusus camat: kecamatan yang diwakili."),
    )

    class Meta:
        verbose_name = _("petugas instansi penanggung jawab")
        verbose_name_plural = _("petugas instansi penanggung jawab")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"


class Evidence(models.TextChoices):
    NONE = "none", _("Tanpa bukti")
    DOCUMENT = "document", _("Dokumen (PDF)")
    PHOTO = "photo", _("Foto")
    DECREE = "decree", _("Nomor dan tanggal keputusan/peraturan")


class ChecklistTemplateItem(models.Model):
    """One item of a region's readiness checklist (region data): what each Mini MPP needs."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="checklist_items", verbose_name=_("wilayah")
    )
    code = models.SlugField(_("kode"), max_length=40)
    title = models.CharField(_("butir"), max_length=160)
    description = models.TextField(_("penjelasan"), blank=True)
    owner = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="template_items", verbose_name=_("pemilik")
    )
    mandatory = models.BooleanField(_("wajib sebelum beroperasi"), default=True)
    evidence = models.CharField(
        _("bukti yang diminta"), max_length=10, choices=Evidence.choices, default=Evidence.NONE
    )
    due_date = models.DateField(_("tenggat bawaan"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("butir templat kesiapan")
        verbose_name_plural = _("templat kesiapan")
        ordering = ["region_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="checklist_code_once")
        ]

    def __str__(self) -> str:
        return self.title


class ReadinessItem(models.Model):
    """One checklist item of one Mini MPP: owner, due date, status, who marked it done and the
    evidence (a file in default_storage, or a decree's number and date)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Belum dikerjakan")
        IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
        BLOCKED = "blocked", _("Terhambat")
        DONE = "done", _("Selesai")

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="readiness_items", verbose_name=_("mal")
    )
    template = models.ForeignKey(
        ChecklistTemplateItem,
        on_delete=models.PROTECT,
        related_name="mall_items",
        verbose_name=_("butir"),
    )
    owner = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="items", verbose_name=_("pemilik")
    )
    due_date = models.DateField(_("tenggat"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    note = models.TextField(_("catatan"), blank=True)
    # Network link: its kind; electricity: 24 hours or a backup (free text in `detail`).
    detail = models.CharField(_("keterangan"), max_length=160, blank=True)
    evidence_file = models.CharField(_("berkas bukti"), max_length=300, blank=True)
    evidence_name = models.CharField(_("nama berkas bukti"), max_length=160, blank=True)
    evidence_type = models.CharField(_("jenis berkas bukti"), max_length=60, blank=True)
    decree_number = models.CharField(_("nomor keputusan"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditandai selesai oleh"),
    )
    done_at = models.DateTimeField(_("ditandai selesai pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("butir kesiapan")
        verbose_name_plural = _("butir kesiapan")
        ordering = ["mall_id", "template__order", "template__code"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "template"], name="readiness_item_once"),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_at__isnull=False),
                name="readiness_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mall.short_name}: {self.template.title}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != self.Status.DONE and self.due_date < today


class MallStatusChange(models.Model):
    """Every change of a mall's status through the gate (also in the audit trail)."""

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("mal")
    )
    from_status = models.CharField(_("dari"), max_length=10, choices=Mall.Status.choices)
    to_status = models.CharField(_("menjadi"), max_length=10, choices=Mall.Status.choices)
    reason = models.TextField(_("alasan"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan status mal")
        verbose_name_plural = _("perubahan status mal")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.mall.short_name}: {self.from_status} → {self.to_status}"


class TrialDay(models.Model):
    """A day a Mini MPP still preparing issues and calls numbers to try itself out. queueing
    counts what was issued and called on it (rollout.trials); the gate needs one of each."""

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="trial_days", verbose_name=_("mal")
    )
    day = models.DateField(_("tanggal"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuka oleh"),
    )
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    tickets_issued = models.PositiveIntegerField(_("nomor diambil"), default=0)
    tickets_called = models.PositiveIntegerField(_("nomor dipanggil"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("hari uji coba")
        verbose_name_plural = _("hari uji coba")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["mall", "day"], name="trial_day_once")]

    def __str__(self) -> str:
        return f"{self.mall.short_name} {self.day:%Y-%m-%d}"

    @property
    def was_served(self) -> bool:
        return self.tickets_issued > 0 and self.tickets_called > 0


class StaffMember(models.Model):
    """A person BKPSDM assigns to a Mini MPP. Personal data: DPMPTSP and BKPSDM only.
    The domicile village is the family card's address, never read from the NIK (its region is
    where the NIK was issued)."""

    class Employment(models.TextChoices):
        PNS = "pns", _("PNS")
        PPPK = "pppk", _("PPPK")
        HONORER = "honorer", _("Honorer / non-ASN")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="rollout_staff", verbose_name=_("wilayah")
    )
    full_name = models.CharField(_("nama lengkap"), max_length=120)
    nip = models.CharField(
        _("NIP"), max_length=18, blank=True, help_text=_("18 angka; kosong untuk non-ASN.")
    )
    employment = models.CharField(
        _("status kepegawaian"), max_length=10, choices=Employment.choices
    )
    domicile_village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("desa/kelurahan domisili"),
        help_text=_("Sesuai alamat di Kartu Keluarga."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rollout_staff",
        verbose_name=_("akun petugas"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pegawai Mini MPP")
        verbose_name_plural = _("pegawai Mini MPP")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~models.Q(nip=""), name="staff_nip_once"
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class Assignment(models.Model):
    """A staff member's posting at one Mini MPP from `start_date` until `end_date` (open: still
    there). One person is posted at one Mini MPP at a time."""

    member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("pegawai")
    )
    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, related_name="staff_assignments", verbose_name=_("mal")
    )
    position = models.CharField(_("jabatan/tugas"), max_length=120)
    start_date = models.DateField(_("mulai bertugas"))
    end_date = models.DateField(_("selesai bertugas"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditugaskan oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["mall_id", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.mall.short_name}"


class TrainingModule(models.Model):
    """A module of the operator curriculum (region data). `for_front_desk_only`: needed only
    by who opens a Mini MPP's front desk (the front-counter services' standards)."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="training_modules", verbose_name=_("wilayah")
    )
    code = models.SlugField(_("kode"), max_length=40)
    title = models.CharField(_("judul"), max_length=160)
    description = models.TextField(_("isi"), blank=True)
    hours = models.PositiveSmallIntegerField(_("jam pelajaran"), default=2)
    pass_mark = models.PositiveSmallIntegerField(
        _("nilai lulus"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    required_to_open_counter = models.BooleanField(_("wajib untuk membuka loket"), default=True)
    for_front_desk_only = models.BooleanField(_("khusus loket depan Mini MPP"), default=False)
    # The Metapers operator scenario: its completion (metapers.TrainingCompletion) passes it.
    metapers_scenario = models.CharField(_("skenario Metapers"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("modul pelatihan")
        verbose_name_plural = _("modul pelatihan")
        ordering = ["region_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="training_module_code_once")
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    """A training held for operators, e.g. a week at the MPP."""

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="training_sessions",
        verbose_name=_("wilayah"),
    )
    title = models.CharField(_("nama pelatihan"), max_length=160)
    venue = models.ForeignKey(
        Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("tempat")
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    trainer = models.CharField(_("pelatih"), max_length=160, blank=True)
    modules = models.ManyToManyField(
        TrainingModule, related_name="sessions", verbose_name=_("modul")
    )
    participants = models.ManyToManyField(
        StaffMember, related_name="training_sessions", blank=True, verbose_name=_("peserta")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("sesi pelatihan")
        verbose_name_plural = _("sesi pelatihan")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="training_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One participant on one day of a session."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("sesi")
    )
    member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("peserta")
    )
    day = models.DateField(_("tanggal"))
    present = models.BooleanField(_("hadir"), default=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["session_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member", "day"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.day:%Y-%m-%d}"


class Assessment(models.Model):
    """A participant's score on one module (in a session, or by the Metapers scenario)."""

    member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("peserta")
    )
    module = models.ForeignKey(
        TrainingModule,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("modul"),
    )
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("sesi"),
    )
    score = models.PositiveSmallIntegerField(
        _("nilai"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    passed = models.BooleanField(_("lulus"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dinilai oleh"),
    )
    assessed_at = models.DateTimeField(_("dinilai pada"))

    class Meta:
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        ordering = ["member_id", "module__order"]

    def __str__(self) -> str:
        return f"{self.member}: {self.module} ({self.score})"


class Certificate(models.Model):
    """A certificate issued to a participant for a session: a number anyone can check."""

    member = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("peserta"),
    )
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("sesi"),
    )
    number = models.CharField(_("nomor"), max_length=60, unique=True)
    code = models.CharField(_("kode periksa"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("diterbitkan"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        constraints = [
            models.UniqueConstraint(fields=["member", "session"], name="certificate_once")
        ]

    def __str__(self) -> str:
        return self.number
