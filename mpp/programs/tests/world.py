"""People and rows of the programmes' tests, on Kukar's data: the KUA of Tenggarong, its
officer, a Syawal mass wedding with an akad on Friday 10 April 2026 at the MPP, and couples.

Freeze time with `time_machine.travel(REGISTRATION_TIME, tick=False)` (or later) around
anything that registers: the registration deadline of that akad is Wednesday 25 March 2026.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.catalog.models import Service, Tenant
from mpp.malls.models import District, Mall, Region, Village
from mpp.programs.models import (
    AkadSession,
    FeeBearer,
    Kua,
    KuaOfficer,
    Prize,
    Programme,
    Registration,
    TariffBasis,
)
from mpp.programs.registration import CoupleData, PersonData, register_couple

WITA = ZoneInfo("Asia/Makassar")
AKAD_DATE = dt.date(2026, 4, 10)  # Friday; Good Friday (3 April) is a holiday before it
DEADLINE = dt.date(2026, 3, 25)  # Wednesday: 10 working days before, both excluded
REGISTRATION_TIME = dt.datetime(2026, 3, 10, 9, 0, tzinfo=WITA)
AKAD_TIME = dt.datetime(2026, 4, 10, 8, 30, tzinfo=WITA)

_serial = itertools.count(1)


def kukar() -> Region:
    return Region.objects.get(slug="kukar")


def kua(district_code: str = "64.02.06") -> Kua:
    """The KUA of a kecamatan (Tenggarong by default)."""
    district = District.objects.get(code=district_code)
    found, _created = Kua.objects.get_or_create(
        district=district,
        defaults={"region": district.region, "name": f"KUA Kecamatan {district.name}"},
    )
    return found


def kua_officer(district_code: str = "64.02.06", username: str | None = None) -> object:
    """A staff user with the role kua_officer at the KUA of `district_code`."""
    name = username or f"petugas.kua.{district_code.replace('.', '')}"
    user = make_staff(Role.KUA_OFFICER, username=name)
    KuaOfficer.objects.get_or_create(user=user, defaults={"kua": kua(district_code)})
    return user


def programme(
    *,
    slug: str = "nikah-massal-syawal-1447",
    quota: int = 50,
    capacities: tuple[int, ...] = (25, 25),
    status: str = Programme.Status.OPEN,
    prizes: int = 3,
) -> Programme:
    """The Syawal 1447 H mass wedding at the MPP in Tenggarong, with its akad sessions."""
    region = kukar()
    dukcapil = Tenant.objects.get(slug="disdukcapil")
    found = Programme.objects.create(
        region=region,
        slug=slug,
        title="Nikah Massal Syawal 1447 H",
        description="Akad nikah bersama bagi pasangan se-Kutai Kartanegara.",
        status=status,
        kua=kua(),
        mall=Mall.objects.get(slug="mpp-kukar"),
        quota=quota,
        registration_opens=dt.date(2026, 3, 1),
        tariff_basis=TariffBasis.OUTSIDE,
        fee_bearer=FeeBearer.REGENCY,
        registration_tenant=Tenant.objects.get(slug="kemenag-kukar"),
        civil_registry_tenant=dukcapil,
        kk_service=Service.objects.get(tenant=dukcapil, slug="perubahan-kk"),
        ktp_service=Service.objects.get(tenant=dukcapil, slug="penggantian-ktp-el"),
    )
    for i, capacity in enumerate(capacities):
        AkadSession.objects.create(
            programme=found,
            date=AKAD_DATE,
            starts_at=dt.time(8 + 2 * i, 30),
            place="Aula MPP Kutai Kartanegara, Tenggarong",
            capacity=capacity,
        )
    for rank in range(1, prizes + 1):
        Prize.objects.create(programme=found, rank=rank, name=f"Hadiah {rank} dari Bupati")
    return found


def nik(
    *, female: bool, birth: dt.date, region_code: str = "640206", serial: int | None = None
) -> str:
    """A synthetic, well-formed NIK for `birth`."""
    day = birth.day + (40 if female else 0)
    number = serial if serial is not None else next(_serial)
    return f"{region_code}{day:02d}{birth.month:02d}{birth.year % 100:02d}{number:04d}"


def couple(
    *,
    groom_birth: dt.date = dt.date(1998, 5, 17),
    bride_birth: dt.date = dt.date(2000, 8, 7),
    phone: str = "081234567890",
) -> CoupleData:
    """A couple of fresh, well-formed NIKs (each call new serials), both over 21."""
    village = Village.objects.filter(district__code="64.02.06").first()
    return CoupleData(
        groom=PersonData(
            name="Ahmad Fauzi",
            nik=nik(female=False, birth=groom_birth),
            birth_date=groom_birth,
            address="Jl. Mulawarman No. 5",
            village=village,
        ),
        bride=PersonData(
            name="Siti Rahmawati",
            nik=nik(female=True, birth=bride_birth),
            birth_date=bride_birth,
            address="Jl. Pesut No. 12",
            village=village,
        ),
        wali=PersonData(
            name="H. Abdul Rahman",
            nik=nik(female=False, birth=dt.date(1968, 2, 3)),
            birth_date=dt.date(1968, 2, 3),
            relation="Ayah kandung",
        ),
        witnesses=[PersonData(name="Budi Santoso"), PersonData(name="Rudi Hartono")],
        phone=phone,
    )


def register(found: Programme, *, by: object | None = None, **kwargs: object) -> Registration:
    """Register a fresh couple (online, or at the counter when `by` is an officer). Call with
    time frozen between the opening and the deadline."""
    channel = Registration.Channel.COUNTER if by is not None else Registration.Channel.ONLINE
    return register_couple(
        programme=found,
        couple=couple(**kwargs),
        channel=channel,
        acting_user=by,  # type: ignore[arg-type]
    )
