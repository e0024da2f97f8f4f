"""Community satisfaction survey (SKM, PermenPAN-RB 14/2017): questionnaires, responses, tokens.

Answers are stored under their element (unsur) code — `u1` … `u9` — never by question position:
the common printed form asks facilities (U9) as question 8 and complaints (U8) as question 9.
A response carries no personal data and no link to the ticket, counter or officer it rates
(docs/surveys-privacy.md).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall
from mpp.queueing.models import Ticket

# The nine elements of PermenPAN-RB 14/2017, in the regulation's order.
STANDARD_CODES: tuple[str, ...] = tuple(f"U{i}" for i in range(1, 10))
SCORES = (1, 2, 3, 4)


class QuestionnaireQuerySet(models.QuerySet["Questionnaire"]):
    def in_force_for(self, mall: Mall, tenant: Tenant | None = None) -> Questionnaire | None:
        """The questionnaire a response at `mall` for `tenant` answers: the most specific
        active one (tenant at this mall, then this mall, then the regency's default)."""
        candidates = self.filter(is_active=True).filter(
            models.Q(mall__isnull=True) | models.Q(mall=mall)
        )
        candidates = candidates.filter(models.Q(tenant__isnull=True) | models.Q(tenant=tenant))
        ranked = sorted(candidates, key=lambda q: (q.tenant_id is None, q.mall_id is None, -q.pk))
        return ranked[0] if ranked else None


class Questionnaire(models.Model):
    """Which questions are asked, in what order and wording, with each element's weight."""

    title = models.CharField(_("judul"), max_length=200)
    mall = models.ForeignKey(
        Mall,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaires",
        help_text=_("Kosong: berlaku untuk semua mal."),
        verbose_name=_("mal"),
    )
    tenant = models.ForeignKey(
        Tenant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaires",
        help_text=_("Kosong: berlaku untuk semua instansi."),
        verbose_name=_("instansi"),
    )
    is_active = models.BooleanField(_("berlaku"), default=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("kuesioner")
        verbose_name_plural = _("kuesioner")

    def __str__(self) -> str:
        return self.title

    def weights(self) -> dict[str, Fraction]:
        return {e.code: e.weight for e in self.elements.all()}

    def check_weights(self) -> None:
        """The weights of a questionnaire sum to exactly 1 (PermenPAN-RB 14/2017, Lampiran)."""
        total = sum((e.weight for e in self.elements.all()), Fraction(0))
        if total != 1:
            raise ValidationError(
                _("Jumlah bobot unsur harus tepat 1, sekarang %(t)s.") % {"t": total}
            )


class Element(models.Model):
    """One element (unsur) as asked by one questionnaire."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="elements",
        verbose_name=_("kuesioner"),
    )
    code = models.CharField(
        _("kode unsur"),
        max_length=8,
        help_text=_("U1–U9 menurut PermenPAN-RB 14/2017; unsur tambahan U10 dan seterusnya."),
    )
    name = models.CharField(_("unsur"), max_length=120)
    question = models.TextField(_("pertanyaan"))
    position = models.PositiveSmallIntegerField(_("urutan"))
    weight_numerator = models.PositiveIntegerField(_("bobot (pembilang)"), default=1)
    weight_denominator = models.PositiveIntegerField(_("bobot (penyebut)"), default=9)
    label_1 = models.CharField(_("jawaban 1"), max_length=80)
    label_2 = models.CharField(_("jawaban 2"), max_length=80)
    label_3 = models.CharField(_("jawaban 3"), max_length=80)
    label_4 = models.CharField(_("jawaban 4"), max_length=80)

    class Meta:
        verbose_name = _("unsur")
        verbose_name_plural = _("unsur")
        ordering = ["questionnaire_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="element_code_once"),
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="element_position_once"
            ),
            models.CheckConstraint(
                condition=models.Q(weight_denominator__gt=0), name="element_weight_denominator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        code = (self.code or "").upper()
        if not (code.startswith("U") and code[1:].isdigit() and int(code[1:]) >= 1):
            raise ValidationError({"code": _("Kode unsur berbentuk U diikuti angka, mis. U10.")})
        self.code = code

    @property
    def weight(self) -> Fraction:
        return Fraction(self.weight_numerator, self.weight_denominator)

    @property
    def labels(self) -> list[tuple[int, str]]:
        return [(1, self.label_1), (2, self.label_2), (3, self.label_3), (4, self.label_4)]

    @property
    def column(self) -> str | None:
        """The response column of a standard element; None for a unit's extra element."""
        return self.code.lower() if self.code in STANDARD_CODES else None


class SurveyImport(models.Model):
    """One file of paper survey sheets imported by staff (all rows or none)."""

    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, related_name="survey_imports", verbose_name=_("mal")
    )
    file_name = models.CharField(max_length=255, verbose_name=_("nama berkas"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    rows = models.PositiveIntegerField(default=0, verbose_name=_("jumlah baris"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diimpor oleh"),
    )
    imported_at = models.DateTimeField(verbose_name=_("diimpor pada"))

    class Meta:
        verbose_name = _("impor lembar survei")
        verbose_name_plural = _("impor lembar survei")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name


_SCORE = [MinValueValidator(1), MaxValueValidator(4)]


def _answer(code: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(code, null=True, blank=True, validators=_SCORE)


class ResponseQuerySet(models.QuerySet["Response"]):
    def between(self, start: dt.date, end: dt.date) -> ResponseQuerySet:
        return self.filter(answered_on__gte=start, answered_on__lte=end)


class Response(models.Model):
    """One filled-in questionnaire. No personal data; nothing that leads back to a ticket.

    The primary key is random so that neither ids nor their order tell when, relative to the
    tickets finished that day, a response arrived (docs/surveys-privacy.md)."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Ponsel (halaman tiket)")
        TABLET = "tablet", _("Tablet di loket")
        PAPER = "paper", _("Lembar kertas (diketik petugas)")
        IMPORT = "import", _("Impor berkas")

    class TimeBand(models.TextChoices):
        MORNING = "08-12", _("08.00–12.00")
        AFTERNOON = "13-17", _("13.00–17.00")

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Education(models.TextChoices):
        """By level, lowest first: every list of them (the form, the report's profile, the
        paper entry) keeps this order, never A–Z (which put SD last)."""

        SD = "SD", _("SD")
        SMP = "SMP", _("SMP")
        SMA = "SMA", _("SMA")
        DIPLOMA = "D1-D3", _("D1–D3")
        S1 = "S1", _("S1")
        S2 = "S2", _("S2")
        S3 = "S3", _("S3")

    class Occupation(models.TextChoices):
        PNS = "PNS", _("PNS")
        TNI = "TNI", _("TNI")
        POLRI = "POLRI", _("POLRI")
        SWASTA = "Swasta", _("Swasta")
        WIRAUSAHA = "Wirausaha", _("Wirausaha")
        LAINNYA = "Lainnya", _("Lainnya")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="+", verbose_name=_("kuesioner")
    )
    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("mal")
    )
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("instansi"),
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("layanan"),
    )
    answered_on = models.DateField(_("tanggal survei"), db_index=True)
    time_band = models.CharField(_("waktu survei"), max_length=5, choices=TimeBand, blank=True)
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel)
    u1 = _answer("U1")
    u2 = _answer("U2")
    u3 = _answer("U3")
    u4 = _answer("U4")
    u5 = _answer("U5")
    u6 = _answer("U6")
    u7 = _answer("U7")
    u8 = _answer("U8")
    u9 = _answer("U9")
    extra_answers = models.JSONField(_("unsur tambahan"), default=dict, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex, blank=True)
    age = models.PositiveSmallIntegerField(
        _("usia"), null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(120)]
    )
    education = models.CharField(_("pendidikan"), max_length=6, choices=Education, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation, blank=True)
    suggestion = models.TextField(_("saran dan masukan"), blank=True, max_length=1000)
    source = models.ForeignKey(
        SurveyImport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("impor asal"),
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{c.lower()}__isnull": True})
                | models.Q(**{f"{c.lower()}__gte": 1, f"{c.lower()}__lte": 4}),
                name=f"response_{c.lower()}_1_to_4",
            )
            for c in STANDARD_CODES
        ]
        indexes = [models.Index(fields=["mall", "answered_on"])]

    def __str__(self) -> str:
        return f"{self.mall} {self.answered_on}"

    def answers(self) -> dict[str, int | None]:
        found: dict[str, int | None] = {c: getattr(self, c.lower()) for c in STANDARD_CODES}
        found.update({k: int(v) for k, v in (self.extra_answers or {}).items()})
        return found


def new_survey_token() -> str:
    """128 random bits, URL-safe: the single-use key of one finished ticket's survey."""
    return secrets.token_urlsafe(16)


class SurveyTokenQuerySet(models.QuerySet["SurveyToken"]):
    def unused(self) -> SurveyTokenQuerySet:
        return self.filter(used_on__isnull=True)


class SurveyToken(models.Model):
    """The right to answer the survey once for one finished ticket.

    Only the day it was used is kept, not the moment, so it cannot be matched to a response."""

    token = models.CharField(max_length=32, unique=True, default=new_survey_token, editable=False)
    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.CASCADE,
        related_name="survey_token",
        verbose_name=_("tiket antrean"),
    )
    expires_at = models.DateTimeField(verbose_name=_("berlaku sampai"))
    used_on = models.DateField(null=True, blank=True, verbose_name=_("dipakai pada"))

    objects = SurveyTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token survei")
        verbose_name_plural = _("token survei")

    def __str__(self) -> str:
        return f"{self.ticket}"


class FollowUpAction(models.Model):
    """One line of the follow-up plan (rencana tindak lanjut) for a period's weak elements."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
        DONE = "done", _("Selesai")

    mall = models.ForeignKey(
        Mall, on_delete=models.CASCADE, related_name="survey_follow_ups", verbose_name=_("mal")
    )
    tenant = models.ForeignKey(
        Tenant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_follow_ups",
        verbose_name=_("instansi"),
    )
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    element_code = models.CharField(_("unsur"), max_length=8)
    action = models.TextField(_("tindak lanjut"))
    owner = models.CharField(_("penanggung jawab"), max_length=120)
    deadline = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("diperbarui pada"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diperbarui oleh"),
    )

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        ordering = ["period_start", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="follow_up_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.element_code}: {self.action[:40]}"
