"""Who may marry in a mass wedding, and what they must bring: the rules of UU 16/2019 (age 19,
under 21 with parental permission) and PMA 30/2024 Art. 3 (registration at least 10 working days
before the akad), checked as the couple types (POST /api/v1/nikah/eligibility). Stores nothing.

`problems` refuse (the couple cannot register as typed); `needs` are documents to bring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.core.nik import FAULT_MESSAGES, Nik, Sex, parse_nik
from mpp.malls.calendar import latest_day_before, working_days_between
from mpp.malls.models import Region

MINIMUM_AGE = 19  # UU 16/2019 Art. 7(1), for both
PERMISSION_AGE = 21  # UU 1/1974 Art. 6(2): under 21 needs the parents' permission
NOTICE_WORKING_DAYS = 10  # PMA 30/2024 Art. 3


class Problem(StrEnum):
    NIK_INVALID = "nik_invalid"
    NIK_BIRTH_DATE_MISMATCH = "nik_birth_date_mismatch"
    NIK_SEX_MISMATCH = "nik_sex_mismatch"
    UNDER_19 = "under_19"


class Need(StrEnum):
    PARENTAL_PERMISSION = "parental_permission"
    COURT_DISPENSATION = "court_dispensation"
    LATE_REGISTRATION_DISPENSATION = "late_registration_dispensation"


WHO_LABEL = {"groom": gettext_lazy("calon suami"), "bride": gettext_lazy("calon istri")}


@dataclass(frozen=True)
class Finding:
    code: Problem
    who: str | None
    message: str


@dataclass
class Eligibility:
    problems: list[Finding] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.problems

    def need(self, need: Need) -> None:
        if need not in self.needs:
            self.needs.append(need)

    def as_dict(self) -> dict[str, object]:
        return {
            "eligible": self.eligible,
            "problems": [
                {"code": str(p.code), "who": p.who, "message": p.message} for p in self.problems
            ],
            "needs": [str(n) for n in self.needs],
        }


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day`. Someone born on 29 February turns a year older on 1 March in
    common years (the birthday has not come while 28 February lasts)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def _check_person(
    result: Eligibility, who: str, nik: str, birth_date: dt.date, akad_date: dt.date
) -> None:
    label = WHO_LABEL[who]
    parsed = parse_nik(nik)
    if isinstance(parsed, Nik):
        if not parsed.matches_birth_date(birth_date):
            result.problems.append(
                Finding(
                    Problem.NIK_BIRTH_DATE_MISMATCH,
                    who,
                    _(
                        "Tanggal lahir %(who)s tidak sama dengan tanggal lahir pada NIK-nya. "
                        "Periksa kembali NIK atau tanggal lahir."
                    )
                    % {"who": label},
                )
            )
        expected = Sex.MALE if who == "groom" else Sex.FEMALE
        if parsed.sex != expected:
            digits = "01–31" if who == "groom" else "41–71"
            result.problems.append(
                Finding(
                    Problem.NIK_SEX_MISMATCH,
                    who,
                    _(
                        "NIK %(who)s tercatat untuk jenis kelamin lain: angka tanggal lahir "
                        "pada NIK %(who)s harus %(digits)s."
                    )
                    % {"who": label, "digits": digits},
                )
            )
    else:
        result.problems.append(
            Finding(
                Problem.NIK_INVALID,
                who,
                _("NIK %(who)s: %(fault)s") % {"who": label, "fault": _(FAULT_MESSAGES[parsed])},
            )
        )
    age = age_on(birth_date, akad_date)
    if age < MINIMUM_AGE:
        result.problems.append(
            Finding(
                Problem.UNDER_19,
                who,
                _(
                    "Pada tanggal akad %(who)s belum berusia 19 tahun (UU 16/2019). Pernikahan "
                    "hanya dapat dicatat dengan dispensasi kawin dari pengadilan agama."
                )
                % {"who": label},
            )
        )
        result.need(Need.COURT_DISPENSATION)
    if age < PERMISSION_AGE:
        result.need(Need.PARENTAL_PERMISSION)


def check_eligibility(
    *,
    region: Region,
    akad_date: dt.date,
    registered_on: dt.date,
    groom: tuple[str, dt.date],
    bride: tuple[str, dt.date],
) -> Eligibility:
    """The contract's check: each person's NIK and age, and the notice before the akad."""
    result = Eligibility()
    # Needs in a stable order: the contract lists parental permission, dispensation, notice.
    _check_person(result, "groom", groom[0], groom[1], akad_date)
    _check_person(result, "bride", bride[0], bride[1], akad_date)
    if working_days_between(region, registered_on, akad_date) < NOTICE_WORKING_DAYS:
        result.need(Need.LATE_REGISTRATION_DISPENSATION)
    order = list(Need)
    result.needs.sort(key=order.index)
    return result


def registration_deadline(region: Region, akad_date: dt.date) -> dt.date:
    """The last day to register without a dispensation: 10 working days must lie between it
    and the akad, both excluded."""
    return latest_day_before(region, akad_date, working_days=NOTICE_WORKING_DAYS)
