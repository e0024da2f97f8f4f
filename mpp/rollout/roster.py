"""The staff roster of the Mini MPPs (issue 19, item 3): the people BKPSDM posts to each Mini
MPP, where they live, and the share of them who live in the kecamatan they serve.

- The domicile village is the family card's address. It is never derived from the NIK: the
  NIK's region code is where the NIK was issued, not where the person lives now.
- One person serves at one Mini MPP at a time (`assign` refuses a second posting that overlaps;
  the member's row is locked so two assigns at the same instant cannot both pass).
- Every write is audited without personal data in the entry (ids and field names only).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.malls.models import Mall, Region, Village
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.models import Assignment, StaffMember

NIP_LENGTH = 18
# NIP (PP 11/2017 and BKN's numbering): birth date YYYYMMDD, TMT as CPNS YYYYMM, sex 1/2, a
# three-digit sequence. A PPPK's number (NI PPPK) carries "21" where a PNS's has the month.
PPPK_MONTH = 21
MASK = "•"

P = ParamSpec("P")
R = TypeVar("R")


def _in_write_transaction(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` in core.db.write_transaction (serialised in-process on SQLite)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with write_transaction():
            return func(*args, **kwargs)

    return wrapper


# --- reading --------------------------------------------------------------------------------


def mask_nip(nip: str) -> str:
    """A NIP as lists show it: only its last four digits (the rest tells birth date and sex)."""
    if not nip:
        return ""
    return MASK * (len(nip) - 4) + nip[-4:]


def is_local(member: StaffMember, mall: Mall) -> bool:
    """Whether the member lives in the mall's kecamatan (the domicile village's district)."""
    return bool(member.domicile_village.district_id == mall.district_id)


def today_in(region: Region) -> dt.date:
    """The region's calendar day (Kukar: WITA), the default of start and end dates."""
    return clock.local_now(region.timezone).date()


def active_assignments(
    mall_ids: list[int] | None = None, on: dt.date | None = None
) -> QuerySet[Assignment]:
    """Postings running on day `on` (default: today), with member, village and mall loaded.

    `end_date` is the last day served: a posting ending on `on` still counts that day."""
    day = on or timezone.localdate()
    qs = Assignment.objects.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    if mall_ids is not None:
        qs = qs.filter(mall_id__in=mall_ids)
    return qs.select_related("member__domicile_village__district", "mall__district").order_by(
        "mall__district__code", "member__full_name", "pk"
    )


@dataclass(frozen=True)
class StaffCount:
    """Staff on one Mini MPP (or the regency): how many, and how many live in its kecamatan."""

    total: int
    local: int

    @property
    def local_percent(self) -> int | None:
        """The local share rounded to a whole percent; None without staff (not 0 %)."""
        if not self.total:
            return None
        return round(100 * self.local / self.total)


def staff_counts(
    mall_ids: list[int] | None = None, on: dt.date | None = None
) -> dict[int, StaffCount]:
    """Active staff per mall id, and how many of them are local (one query)."""
    totals: dict[int, list[int]] = {}
    for assignment in active_assignments(mall_ids, on):
        entry = totals.setdefault(assignment.mall_id, [0, 0])
        entry[0] += 1
        entry[1] += int(is_local(assignment.member, assignment.mall))
    return {mall_id: StaffCount(total, local) for mall_id, (total, local) in totals.items()}


def regency_count(counts: dict[int, StaffCount]) -> StaffCount:
    """The regency's total of per-mall counts (a person serves at one Mini MPP at a time)."""
    return StaffCount(sum(c.total for c in counts.values()), sum(c.local for c in counts.values()))


# --- the member's record --------------------------------------------------------------------


def check_nip(nip: str, employment: str, *, today: dt.date) -> None:
    """The NIP's shape: 18 digits for PNS and PPPK (a birth date and TMT that can be true),
    none for honorer staff. Raises ValidationError (code names the fault)."""
    Employment = StaffMember.Employment
    if employment == Employment.HONORER:
        if nip:
            raise ValidationError(
                _("Pegawai honorer/non-ASN tidak memiliki NIP; kosongkan NIP."), code="nip_honorer"
            )
        return
    if not nip:
        raise ValidationError(_("NIP wajib diisi untuk PNS dan PPPK (18 angka)."), code="required")
    if len(nip) != NIP_LENGTH or not nip.isascii() or not nip.isdigit():
        raise ValidationError(
            _("NIP terdiri atas tepat 18 angka, tanpa spasi atau titik."), code="nip_format"
        )
    try:
        born = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        born = None
    if born is None or not (today.year - 80 <= born.year <= today.year - 17):
        raise ValidationError(
            _(
                "Delapan angka pertama NIP harus tanggal lahir yang mungkin (TTTTBBHH), usia "
                "17 sampai 80 tahun."
            ),
            code="nip_birth_date",
        )
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    months = set(range(1, 13)) | ({PPPK_MONTH} if employment == Employment.PPPK else set())
    if not (born.year + 17 <= tmt_year <= today.year + 1) or tmt_month not in months:
        raise ValidationError(
            _(
                "Angka ke-9 s.d. 14 NIP harus tahun dan bulan TMT yang mungkin (TTTTBB; PPPK: "
                "TTTT21), paling cepat pada usia 17 tahun."
            ),
            code="nip_tmt",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Angka ke-15 NIP (jenis kelamin) harus 1 atau 2."), code="nip_sex_digit"
        )


def check_domicile(village: Village, region: Region) -> None:
    """The domicile must be a desa/kelurahan of the member's region (Kukar's: not Samarinda)."""
    district = village.district
    if district.region_id != region.pk:
        raise ValidationError(
            _(
                "%(village)s (Kecamatan %(district)s) tidak berada di %(region)s. Domisili "
                "pegawai Mini MPP harus desa/kelurahan di %(region)s, sesuai alamat Kartu "
                "Keluarga."
            )
            % {"village": village, "district": district.name, "region": region.name},
            code="domicile_outside_region",
        )


def member_errors(
    *,
    region: Region,
    nip: str,
    employment: str,
    domicile_village: Village | None,
    member: StaffMember | None = None,
    user: Any = None,
) -> dict[str, list[ValidationError]]:
    """Every fault of a member's record, by field (forms show them; save_member raises them)."""
    errors: dict[str, list[ValidationError]] = {}
    if user is not None:
        errors.update(_user_errors(user, region, member))
    today = today_in(region)
    if employment not in StaffMember.Employment.values:
        errors["employment"] = [
            ValidationError(_("Pilih status kepegawaian: PNS, PPPK, atau honorer."), "invalid")
        ]
    else:
        try:
            check_nip(nip, employment, today=today)
        except ValidationError as error:
            errors["nip"] = [error]
    if nip and "nip" not in errors:
        taken = StaffMember.objects.filter(nip=nip)
        if member is not None and member.pk:
            taken = taken.exclude(pk=member.pk)
        if taken.exists():
            errors["nip"] = [
                ValidationError(_("NIP ini sudah terdaftar untuk pegawai lain."), "nip_taken")
            ]
    if domicile_village is None:
        errors["domicile_village"] = [
            ValidationError(_("Pilih desa/kelurahan domisili sesuai Kartu Keluarga."), "required")
        ]
    else:
        try:
            check_domicile(domicile_village, region)
        except ValidationError as error:
            errors["domicile_village"] = [error]
    return errors


def _user_errors(
    user: Any, region: Region, member: StaffMember | None
) -> dict[str, list[ValidationError]]:
    """The staff account a member opens counters with (training.missing_modules_for_counter
    reads it): an account of the region, of no other member."""
    profile = getattr(user, "staff_profile", None)
    if profile is None or profile.region_id != region.pk:
        return {
            "user": [ValidationError(_("Pilih akun petugas wilayah ini."), "user_other_region")]
        }
    taken = StaffMember.objects.filter(user=user)
    if member is not None and member.pk:
        taken = taken.exclude(pk=member.pk)
    if taken.exists():
        return {
            "user": [ValidationError(_("Akun ini sudah ditautkan ke pegawai lain."), "user_taken")]
        }
    return {}


@_in_write_transaction
def save_member(
    *,
    region: Region,
    actor: object,
    full_name: str,
    nip: str,
    employment: str,
    domicile_village: Village,
    user: Any = None,
    member: StaffMember | None = None,
) -> StaffMember:
    """Add a staff member of `region`, or change `member`: checked (member_errors) and audited.
    Raises ValidationError with the faults by field."""
    if member is not None and member.region_id != region.pk:
        raise ValidationError(_("Pegawai ini bukan pegawai wilayah Anda."), code="other_region")
    nip = (nip or "").strip()
    full_name = " ".join((full_name or "").split())
    errors = member_errors(
        region=region,
        nip=nip,
        employment=employment,
        domicile_village=domicile_village,
        member=member,
        user=user,
    )
    if not full_name:
        errors["full_name"] = [ValidationError(_("Nama lengkap wajib diisi."), "required")]
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    values = {
        "full_name": full_name,
        "nip": nip,
        "employment": employment,
        "domicile_village": domicile_village,
        "user": user,
    }
    if member is None:
        member = StaffMember.objects.create(region=region, **values)
        changed = sorted(values)
        action = "rollout.staff_added"
    else:
        member = StaffMember.objects.select_for_update().get(pk=member.pk)
        changed = sorted(name for name, value in values.items() if getattr(member, name) != value)
        for name, value in values.items():
            setattr(member, name, value)
        member.save(update_fields=[*values])
        action = "rollout.staff_changed"
    # Field names only: the audit trail is read by auditors, who see no personal data.
    audit(actor=actor, action=action, obj=member, data={"fields": changed})
    return member


# --- postings -------------------------------------------------------------------------------


@_in_write_transaction
def assign(
    member: StaffMember,
    mall: Mall,
    *,
    position: str,
    start_date: dt.date,
    actor: object,
) -> Assignment:
    """Post `member` at the Mini MPP `mall` from `start_date`, open-ended.

    Refused (RolloutRefused) when the mall is no Mini MPP of the member's region, or the member
    has a posting that runs on or after `start_date` (code "already_assigned", naming it).
    The member's row is locked first: two assigns of one person at the same instant queue up
    here, and the second sees the first's posting (PostgreSQL; SQLite's IMMEDIATE transactions
    serialize every writer anyway)."""
    if mall.kind != Mall.Kind.MINI_MPP:
        raise RolloutRefused(
            _("Pegawai hanya dapat ditugaskan ke Mini MPP; %(m)s bukan Mini MPP.")
            % {"m": mall.short_name},
            code="not_mini_mpp",
        )
    if mall.region_id != member.region_id:
        raise RolloutRefused(
            _("%(m)s bukan Mini MPP di wilayah pegawai ini.") % {"m": mall.short_name},
            code="other_region",
        )
    position = " ".join((position or "").split())
    if not position:
        raise RolloutRefused(_("Jabatan/tugas wajib diisi."), code="position_required")
    member = StaffMember.objects.select_for_update().get(pk=member.pk)
    clash = (
        Assignment.objects.filter(member=member)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .select_related("mall")
        .order_by("start_date")
        .first()
    )
    if clash is not None:
        if clash.end_date is None:
            message = _(
                "%(name)s masih bertugas di %(mall)s sejak %(start)s. Akhiri penugasan itu "
                "dahulu; satu pegawai hanya bertugas di satu Mini MPP pada satu waktu."
            )
        else:
            message = _(
                "%(name)s bertugas di %(mall)s sampai %(end)s. Penugasan baru paling cepat "
                "dimulai sehari sesudahnya; satu pegawai hanya bertugas di satu Mini MPP pada "
                "satu waktu."
            )
        raise RolloutRefused(
            message
            % {
                "name": member.full_name,
                "mall": clash.mall.short_name,
                "start": f"{clash.start_date:%d-%m-%Y}",
                "end": f"{clash.end_date:%d-%m-%Y}" if clash.end_date else "",
            },
            code="already_assigned",
            extra={"mall_id": clash.mall_id, "assignment_id": clash.pk},
        )
    assignment = Assignment.objects.create(
        member=member,
        mall=mall,
        position=position,
        start_date=start_date,
        assigned_by_id=getattr(actor, "pk", None),
    )
    audit(
        actor=actor,
        action="rollout.staff_assigned",
        obj=assignment,
        mall_id=mall.pk,
        data={"member": member.pk, "position": position, "start_date": start_date.isoformat()},
    )
    return assignment


@_in_write_transaction
def end_assignment(assignment: Assignment, *, end_date: dt.date, actor: object) -> Assignment:
    """Close a running posting on `end_date` (its last day served), audited. Refused when it
    has already ended or would end before it started."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("member", "mall")
        .get(pk=assignment.pk)
    )
    if assignment.end_date is not None:
        raise RolloutRefused(
            _("Penugasan ini sudah berakhir pada %(d)s.")
            % {"d": f"{assignment.end_date:%d-%m-%Y}"},
            code="already_ended",
        )
    if end_date < assignment.start_date:
        raise RolloutRefused(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai bertugas (%(d)s).")
            % {"d": f"{assignment.start_date:%d-%m-%Y}"},
            code="ends_before_start",
        )
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    audit(
        actor=actor,
        action="rollout.staff_assignment_ended",
        obj=assignment,
        mall_id=assignment.mall_id,
        data={"member": assignment.member_id, "end_date": end_date.isoformat()},
    )
    return assignment
