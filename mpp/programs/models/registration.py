"""A couple's registration and what hangs on it: its people (the only rows with personal data),
its document checklist, and the civil-registry follow-up once married."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.malls.models import Village
from mpp.programs.models.programme import AkadSession, FeeBearer, Programme, TariffBasis

# Registration codes are published (the draw's list of entrants): short, easy to read aloud,
# without 0/O and 1/I/L. The couple's own page is reached with a separate secret key.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6

nik_validator = RegexValidator(r"^[0-9]{16}$", _("NIK harus 16 angka."))
phone_validator = RegexValidator(
    r"^(\+62|62|0)8[0-9]{7,11}$", _("Nomor HP ditulis 08…, 628… atau +628…, 10–14 angka.")
)


def new_code(prefix: str = "NM") -> str:
    """A registration code such as NM-7K3Q9X (31^6 ≈ 890 million codes)."""
    return f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_access_key() -> str:
    """The secret in the couple's own link (receipt QR): 160 bits, URL-safe."""
    return secrets.token_urlsafe(20)


class Registration(models.Model):
    """A couple registered for a programme, by themselves (phone) or by an officer (counter)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Menunggu pemeriksaan KUA")
        RETURNED = "returned", _("Dikembalikan untuk dilengkapi")
        APPROVED = "approved", _("Disetujui KUA")
        SCHEDULED = "scheduled", _("Terjadwal akad")
        MARRIED = "married", _("Telah menikah")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Daring (ponsel)")
        COUNTER = "counter", _("Loket")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("program"),
    )
    code = models.CharField(_("kode pendaftaran"), max_length=12, unique=True)
    access_key = models.CharField(_("kunci akses"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    registered_on = models.DateField(_("tanggal daftar"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("didaftarkan oleh"),
    )
    session = models.ForeignKey(
        AkadSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("sesi akad"),
    )
    # What the eligibility check found to bring (codes of programs.eligibility.Need).
    needs = models.JSONField(_("dokumen tambahan yang diperlukan"), default=list, blank=True)
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)
    phone = models.CharField(_("nomor HP"), max_length=16, blank=True, validators=[phone_validator])
    # Fees (PP 48/2014, PP 59/2018): basis, amount due, who bore it, the bank receipt.
    tariff_basis = models.CharField(_("dasar tarif"), max_length=10, choices=TariffBasis.choices)
    fee_idr = models.PositiveIntegerField(_("biaya (Rp)"), default=0)
    fee_bearer = models.CharField(_("penanggung biaya"), max_length=10, choices=FeeBearer.choices)
    sponsor_name = models.CharField(_("nama sponsor"), max_length=120, blank=True)
    receipt_number = models.CharField(_("nomor bukti setor bank"), max_length=60, blank=True)
    paid_on = models.DateField(_("tanggal setor"), null=True, blank=True)
    # The ceremony day.
    couple_checked_in_at = models.DateTimeField(_("pasangan hadir"), null=True, blank=True)
    wali_checked_in_at = models.DateTimeField(_("wali hadir"), null=True, blank=True)
    witnesses_checked_in_at = models.DateTimeField(_("saksi hadir"), null=True, blank=True)
    marriage_book_number = models.CharField(_("nomor buku nikah"), max_length=60, blank=True)
    married_at = models.DateTimeField(_("akad tercatat pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    anonymised_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        ordering = ["programme_id", "created_at", "pk"]
        indexes = [models.Index(fields=["programme", "status"], name="programs_reg_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="married") | models.Q(married_at__isnull=False),
                name="registration_married_has_time",
            ),
            models.UniqueConstraint(
                fields=["programme", "marriage_book_number"],
                condition=~models.Q(marriage_book_number=""),
                name="registration_book_number_once",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_paid_or_free(self) -> bool:
        return self.fee_idr == 0 or bool(self.receipt_number)


class Person(models.Model):
    """One person of a registration: the groom, the bride, the wali or a witness. Personal
    data lives here only, so anonymising a past programme clears these rows' fields."""

    class Role(models.TextChoices):
        GROOM = "groom", _("Calon suami")
        BRIDE = "bride", _("Calon istri")
        WALI = "wali", _("Wali nikah")
        WITNESS_1 = "witness_1", _("Saksi 1")
        WITNESS_2 = "witness_2", _("Saksi 2")

    class Marital(models.TextChoices):
        NEVER = "never", _("Belum pernah menikah")
        DIVORCED = "divorced", _("Cerai hidup")
        WIDOWED = "widowed", _("Cerai mati")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="people", verbose_name=_("pendaftaran")
    )
    # The registration's programme, kept here so that the database refuses one groom or bride
    # registered twice in one programme, whatever the concurrency (person_couple_nik_once).
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", verbose_name=_("program")
    )
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)
    name = models.CharField(_("nama lengkap"), max_length=120)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[nik_validator])
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa/kelurahan domisili"),
    )
    # The wali's relation to the bride (ayah kandung, kakek, saudara laki-laki, wali hakim).
    relation = models.CharField(_("hubungan"), max_length=60, blank=True)
    marital_status = models.CharField(
        _("status perkawinan"), max_length=10, choices=Marital.choices, blank=True
    )
    is_tni_polri = models.BooleanField(_("anggota TNI/POLRI?"), default=False)

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        ordering = ["registration_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "role"], name="person_role_once"),
            models.UniqueConstraint(
                fields=["programme", "nik"],
                condition=models.Q(role__in=["groom", "bride"]) & ~models.Q(nik=""),
                name="person_couple_nik_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class DocumentKind(models.TextChoices):
    """Documents by content, not by form number: villages still print the pre-2020 numbers."""

    VILLAGE_LETTER = "village_letter", _("Surat pengantar nikah dari desa/kelurahan (N1)")
    BIRTH_CERTIFICATE = "birth_certificate", _("Akta kelahiran")
    KTP = "ktp", _("KTP-el")
    KK = "kk", _("Kartu Keluarga")
    CONSENT = "consent", _("Persetujuan kedua calon mempelai (N4)")
    PARENTAL_PERMISSION = "parental_permission", _("Izin orang tua bagi yang belum 21 tahun (N5)")
    COURT_DISPENSATION = "court_dispensation", _("Dispensasi kawin dari pengadilan (di bawah 19)")
    LATE_DISPENSATION = (
        "late_registration_dispensation",
        _("Dispensasi camat atau pernyataan bermeterai (daftar kurang dari 10 hari kerja)"),
    )
    DIVORCE_OR_DEATH = "divorce_or_death", _("Akta cerai atau akta kematian pasangan terdahulu")
    SUPERIOR_PERMIT = "superior_permit", _("Izin komandan/atasan (TNI/POLRI)")
    PHOTO = "photo", _("Pas foto 2x3 dan 4x6 latar biru")
    COURSE = "course", _("Sertifikat bimbingan perkawinan")


class Document(models.Model):
    """One item of a registration's checklist, for one person: uploaded or marked "dibawa",
    then checked by the KUA."""

    class Status(models.TextChoices):
        MISSING = "missing", _("Belum ada")
        UPLOADED = "uploaded", _("Diunggah")
        BROUGHT = "brought", _("Dibawa saat pemeriksaan")
        ACCEPTED = "accepted", _("Diterima KUA")
        REJECTED = "rejected", _("Ditolak KUA")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("pendaftaran"),
    )
    kind = models.CharField(_("dokumen"), max_length=40, choices=DocumentKind.choices)
    # groom, bride, wali, or "" for a document of the couple.
    who = models.CharField(_("milik"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MISSING
    )
    file = models.CharField(_("berkas"), max_length=300, blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=160, blank=True)
    file_type = models.CharField(_("jenis berkas"), max_length=60, blank=True)
    note = models.CharField(_("catatan KUA"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperiksa oleh"),
    )
    checked_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["registration_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "who"], name="document_kind_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class CivilTask(models.Model):
    """A follow-up at the civil registry for a married couple: the new KK, each one's KTP-el
    with the new status. Disdukcapil's officers work it to "selesai"."""

    class Kind(models.TextChoices):
        KK = "kk", _("Kartu Keluarga baru")
        KTP_GROOM = "ktp_groom", _("KTP-el suami (status kawin)")
        KTP_BRIDE = "ktp_bride", _("KTP-el istri (status kawin)")

    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu")
        IN_PROGRESS = "in_progress", _("Diproses")
        DONE = "done", _("Selesai")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="civil_tasks",
        verbose_name=_("pendaftaran"),
    )
    kind = models.CharField(_("layanan"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    # The queue ticket when Disdukcapil serves at the event's mall (queueing.Ticket).
    ticket = models.ForeignKey(
        "queueing.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nomor antrean"),
    )
    document_number = models.CharField(_("nomor dokumen terbit"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )

    class Meta:
        verbose_name = _("tindak lanjut Disdukcapil")
        verbose_name_plural = _("tindak lanjut Disdukcapil")
        ordering = ["registration_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="civil_task_once"),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_at__isnull=False),
                name="civil_task_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.code}: {self.get_kind_display()}"
