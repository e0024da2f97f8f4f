"""Registering a couple for a mass wedding: eligibility, the document checklist by content, the
fee's basis and bearer, and the quota, in one transaction (issue 20, docs/adr/0032).

Nothing is half saved: the registration, its people, its checklist and the programme's count
are written together or not at all. The quota is a conditional UPDATE of the programme's
count (never above the quota under concurrent registrations, SQLite or PostgreSQL), and one
groom or bride cannot be registered twice in one programme (a unique index on their NIK).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError
from django.db.models import F
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.malls.models import Village
from mpp.programs.eligibility import (
    MINIMUM_AGE,
    PERMISSION_AGE,
    Eligibility,
    Need,
    age_on,
    check_eligibility,
    registration_deadline,
)
from mpp.programs.exceptions import ProgramCode, ProgramRefused
from mpp.programs.models import (
    TARIFF_IDR,
    Document,
    DocumentKind,
    Person,
    Programme,
    Registration,
    new_access_key,
    new_code,
)


@dataclass
class PersonData:
    """What a form or the API collected for one person."""

    name: str
    nik: str = ""
    birth_date: dt.date | None = None
    address: str = ""
    village: Village | None = None
    relation: str = ""
    marital_status: str = Person.Marital.NEVER
    is_tni_polri: bool = False


@dataclass
class CoupleData:
    groom: PersonData
    bride: PersonData
    wali: PersonData
    witnesses: list[PersonData] = field(default_factory=list)  # up to two
    phone: str = ""


def akad_date_of(programme: Programme) -> dt.date | None:
    """The first akad date of the programme (what ages and the notice are counted against)."""
    first = programme.sessions.order_by("date", "starts_at").first()
    return first.date if first is not None else None


def deadline_of(programme: Programme) -> dt.date | None:
    """The last day to register without a dispensation (PMA 30/2024 Art. 3)."""
    akad = akad_date_of(programme)
    return registration_deadline(programme.region, akad) if akad else None


def check_couple(programme: Programme, couple: CoupleData, *, today: dt.date) -> Eligibility:
    """The contract's eligibility check against the programme's first akad date."""
    akad = akad_date_of(programme)
    assert akad is not None and couple.groom.birth_date and couple.bride.birth_date
    return check_eligibility(
        region=programme.region,
        akad_date=akad,
        registered_on=today,
        groom=(couple.groom.nik, couple.groom.birth_date),
        bride=(couple.bride.nik, couple.bride.birth_date),
    )


def required_documents(
    couple: CoupleData, needs: list[str], akad: dt.date
) -> list[tuple[str, str]]:
    """The checklist as (kind, who): who is groom, bride, wali or "" for the couple's."""
    items: list[tuple[str, str]] = [(DocumentKind.VILLAGE_LETTER, "")]
    for who in ("groom", "bride"):
        items += [(DocumentKind.BIRTH_CERTIFICATE, who), (DocumentKind.KTP, who)]
        items += [(DocumentKind.KK, who), (DocumentKind.PHOTO, who)]
    items += [(DocumentKind.KTP, "wali"), (DocumentKind.KK, "wali")]
    items += [(DocumentKind.CONSENT, ""), (DocumentKind.COURSE, "")]
    for who, person in (("groom", couple.groom), ("bride", couple.bride)):
        age = age_on(person.birth_date, akad) if person.birth_date else PERMISSION_AGE
        if age < PERMISSION_AGE:
            items.append((DocumentKind.PARENTAL_PERMISSION, who))
        if age < MINIMUM_AGE:
            items.append((DocumentKind.COURT_DISPENSATION, who))
        if person.marital_status in (Person.Marital.DIVORCED, Person.Marital.WIDOWED):
            items.append((DocumentKind.DIVORCE_OR_DEATH, who))
        if person.is_tni_polri:
            items.append((DocumentKind.SUPERIOR_PERMIT, who))
    if Need.LATE_REGISTRATION_DISPENSATION in needs:
        items.append((DocumentKind.LATE_DISPENSATION, ""))
    return items


def register_couple(
    *,
    programme: Programme,
    couple: CoupleData,
    channel: str,
    acting_user: object | None,
) -> Registration:
    """Register `couple` (online by themselves, or at the counter by `acting_user`).

    Refuses (ProgramRefused) a programme not open, a late online registration, an ineligible
    couple (the problems' messages), a groom or bride already registered, a full quota."""
    today = clock.local_now(programme.region.timezone).date()
    _check_open(programme, channel=channel, today=today)
    eligibility = check_couple(programme, couple, today=today)
    if not eligibility.eligible:
        raise ProgramRefused(
            " ".join(p.message for p in eligibility.problems), code=ProgramCode.NOT_ELIGIBLE
        )
    akad = akad_date_of(programme)
    assert akad is not None
    needs = [str(n) for n in eligibility.needs]
    try:
        with write_transaction():
            taken = Programme.objects.filter(
                pk=programme.pk, registered_count__lt=F("quota")
            ).update(registered_count=F("registered_count") + 1)
            if not taken:
                raise ProgramRefused(
                    _("Kuota %(q)d pasangan sudah penuh.") % {"q": programme.quota},
                    code=ProgramCode.QUOTA_FULL,
                    status=409,
                )
            registration = _write(programme, couple, channel, acting_user, today, needs, akad)
    except IntegrityError as exc:
        if "nik" in str(exc).lower():
            raise ProgramRefused(
                _(
                    "NIK calon suami atau calon istri sudah terdaftar pada program ini. "
                    "Buka halaman pendaftaran Anda dari tautan pada tanda terima."
                ),
                code=ProgramCode.ALREADY_REGISTERED,
                status=409,
            ) from exc
        raise
    return registration


def _check_open(programme: Programme, *, channel: str, today: dt.date) -> None:
    if programme.status != Programme.Status.OPEN or today < programme.registration_opens:
        raise ProgramRefused(
            _("Pendaftaran %(p)s belum atau tidak lagi dibuka.") % {"p": programme.title},
            code=ProgramCode.NOT_OPEN,
        )
    akad = akad_date_of(programme)
    if akad is None or today >= akad:
        raise ProgramRefused(
            _("Pendaftaran %(p)s sudah ditutup.") % {"p": programme.title},
            code=ProgramCode.NOT_OPEN,
        )
    deadline = registration_deadline(programme.region, akad)
    # Online, the deadline closes registration; at the counter the KUA may still register a
    # couple who brings the camat's dispensation (PMA 30/2024 Art. 3(2)).
    if channel == Registration.Channel.ONLINE and today > deadline:
        raise ProgramRefused(
            _(
                "Pendaftaran daring ditutup sejak %(d)s (10 hari kerja sebelum akad). Datang ke "
                "loket Kemenag dengan dispensasi dari camat."
            )
            % {"d": deadline.strftime("%d-%m-%Y")},
            code=ProgramCode.NOT_OPEN,
        )


def _write(
    programme: Programme,
    couple: CoupleData,
    channel: str,
    acting_user: object | None,
    today: dt.date,
    needs: list[str],
    akad: dt.date,
) -> Registration:
    code = new_code()
    while Registration.objects.filter(code=code).exists():  # pragma: no cover - 1 in 10^8
        code = new_code()
    registration = Registration.objects.create(
        programme=programme,
        code=code,
        access_key=new_access_key(),
        channel=channel,
        registered_on=today,
        registered_by=acting_user if getattr(acting_user, "pk", None) else None,  # type: ignore[misc]
        needs=needs,
        phone=couple.phone,
        tariff_basis=programme.tariff_basis,
        fee_idr=TARIFF_IDR[programme.tariff_basis],  # type: ignore[index]
        fee_bearer=programme.fee_bearer,
        sponsor_name=programme.sponsor_name,
    )
    people = [("groom", couple.groom), ("bride", couple.bride), ("wali", couple.wali)]
    people += [(f"witness_{i}", w) for i, w in enumerate(couple.witnesses[:2], start=1)]
    Person.objects.bulk_create(
        Person(
            registration=registration,
            programme=programme,
            role=role,
            name=data.name.strip(),
            nik=data.nik,
            birth_date=data.birth_date,
            address=data.address.strip(),
            village=data.village,
            relation=data.relation.strip(),
            marital_status=data.marital_status if role in ("groom", "bride") else "",
            is_tni_polri=data.is_tni_polri,
        )
        for role, data in people
    )
    Document.objects.bulk_create(
        Document(registration=registration, kind=kind, who=who)
        for kind, who in required_documents(couple, needs, akad)
    )
    audit(
        actor=acting_user,
        action="programs.registration.created",
        obj=registration,
        mall_id=programme.mall_id,
        data={"programme": programme.slug, "code": code, "channel": channel},
    )
    return registration
