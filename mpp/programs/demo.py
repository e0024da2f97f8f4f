"""The demo's programmes (issue 20): a KUA for every kecamatan, a KUA officer of Tenggarong, the
Syawal 1447 H mass wedding (finished: couples married, books issued, the civil registry's
follow-up mostly done, the door prizes drawn) and the Syawal 1448 H one (registration open).

Names and NIKs are synthetic (well-formed, region 6402xx), drawn from a fixed random seed, so
every `make demo` writes the same rows; a programme already there is left as it is. Rows are
written directly, as they stand after the event (the demo does not replay the KUA's steps);
the draw goes through programs.prizes, the same actions as the organisers' page.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.models import Service, Tenant
from mpp.malls.models import District, Mall, Region, Village
from mpp.programs import prizes
from mpp.programs.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    TARIFF_IDR,
    AkadSession,
    CivilTask,
    Document,
    FeeBearer,
    Kua,
    KuaOfficer,
    Person,
    Prize,
    Programme,
    Registration,
    TariffBasis,
    new_access_key,
)
from mpp.programs.registration import CoupleData, PersonData, required_documents

SEED = 1447
KUA_USERNAME = "kua.tenggarong"
TENGGARONG = "64.02.06"
MALL = "mpp-kukar"
PLACE = "Aula MPP Kutai Kartanegara, Tenggarong"
# The draw's seed of the finished programme: public since its draw, so fixed here.
DRAW_SEED_1447 = "syawal-1447-tenggarong-10-april-2026"

SYAWAL_1447 = "nikah-massal-syawal-1447"
SYAWAL_1448 = "nikah-massal-syawal-1448"
AKAD_1447 = dt.date(2026, 4, 10)  # Friday, after Idulfitri 1447 (20 March 2026)
AKAD_1448 = dt.date(2027, 4, 16)  # Friday, after Idulfitri 1448 (≈ 10 March 2027)

MEN = ["Ahmad", "Muhammad", "Rizky", "Fajar", "Andi", "Budi", "Dedi", "Eko", "Hendra", "Irfan",
       "Joko", "Kurniawan", "Lukman", "Maulana", "Nur", "Rahmat", "Syahrul", "Taufik", "Wahyu",
       "Yusuf", "Arif", "Bayu", "Dimas", "Gilang", "Hafiz", "Ilham", "Rudi", "Sigit"]  # fmt: skip
WOMEN = ["Siti", "Nur", "Dewi", "Rina", "Ayu", "Fitri", "Indah", "Lestari", "Maya", "Nadia",
         "Putri", "Rahma", "Sari", "Tari", "Wulan", "Yuni", "Aisyah", "Dina", "Eka", "Fatimah",
         "Hana", "Intan", "Kartika", "Laila", "Mawar", "Novi", "Rosa", "Zahra"]  # fmt: skip
FAMILY = ["Saputra", "Hidayat", "Pratama", "Setiawan", "Ramadhan", "Santoso", "Wijaya",
          "Nugroho", "Hakim", "Firmansyah", "Kusuma", "Syahputra", "Maulida", "Rahmawati",
          "Anggraini", "Wulandari", "Handayani", "Safitri", "Puspita", "Permata"]  # fmt: skip
STREETS = ["Mulawarman", "Pesut", "Diponegoro", "Sudirman", "Gunung Belah"]
WALI_RELATIONS = ["Ayah kandung", "Ayah kandung", "Ayah kandung", "Kakek", "Saudara laki-laki"]


@dataclass
class DemoProgrammes:
    kuas: int = 0
    accounts: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    couples: int = 0


def ensure_kuas(region: Region) -> int:
    """A "KUA Kecamatan <name>" for every kecamatan of `region`; the number made (0 when all
    exist: existing ones keep their name and address)."""
    made = 0
    for district in District.objects.filter(region=region).order_by("code"):
        _kua, created = Kua.objects.get_or_create(
            district=district,
            defaults={"region": region, "name": f"KUA Kecamatan {district.name}"},
        )
        made += created
    return made


def ensure_kua_officer(region: Region, *, password: str) -> bool:
    """The demo's KUA officer of Tenggarong (`kua.tenggarong`); False when it exists."""
    users = get_user_model()
    if users.objects.filter(username=KUA_USERNAME).exists():
        return False
    user = users.objects.create_user(username=KUA_USERNAME, password=password, is_staff=True)
    StaffProfile.objects.create(user=user, role=Role.KUA_OFFICER, region=region)
    KuaOfficer.objects.create(user=user, kua=Kua.objects.get(district__code=TENGGARONG))
    return True


def load_demo_programmes(region: Region, *, password: str) -> DemoProgrammes:
    """The demo's KUA, KUA officer and two programmes, once (idempotent)."""
    result = DemoProgrammes()
    if not District.objects.filter(region=region, code=TENGGARONG).exists():
        return result  # another region: no Tenggarong, no demo programme
    with transaction.atomic():
        result.kuas = ensure_kuas(region)
        if ensure_kua_officer(region, password=password):
            result.accounts.append(KUA_USERNAME)
        builder = _Builder(region)
        if not Programme.objects.filter(slug=SYAWAL_1447).exists():
            result.couples += builder.syawal_1447()
            result.programmes.append(SYAWAL_1447)
        if not Programme.objects.filter(slug=SYAWAL_1448).exists():
            result.couples += builder.syawal_1448()
            result.programmes.append(SYAWAL_1448)
    return result


class _Builder:
    def __init__(self, region: Region) -> None:
        self.region = region
        self.rng = random.Random(SEED)
        self.zone = ZoneInfo(region.timezone)
        self.kua = Kua.objects.get(district__code=TENGGARONG)
        self.mall = Mall.objects.get(slug=MALL)
        self.dukcapil = Tenant.objects.filter(slug="disdukcapil").first()
        self.villages = list(
            Village.objects.filter(district__region=region)
            .select_related("district")
            .order_by("code")
        )
        self.near = [v for v in self.villages if v.district.code == TENGGARONG] or self.villages
        self.serial = 100
        self.admin = get_user_model().objects.filter(username="admin").first()

    # --- programmes -------------------------------------------------------------------------

    def programme(self, slug: str, title: str, **fields: object) -> Programme:
        service = None
        if self.dukcapil is not None:
            service = Service.objects.filter(tenant=self.dukcapil)
        return Programme.objects.create(
            region=self.region,
            slug=slug,
            title=title,
            kua=self.kua,
            mall=self.mall,
            tariff_basis=TariffBasis.OUTSIDE,
            fee_bearer=FeeBearer.REGENCY,
            registration_tenant=Tenant.objects.filter(slug="kemenag-kukar").first(),
            civil_registry_tenant=self.dukcapil,
            kk_service=service.filter(slug="perubahan-kk").first() if service else None,
            ktp_service=service.filter(slug="penggantian-ktp-el").first() if service else None,
            **fields,  # type: ignore[arg-type]
        )

    def syawal_1447(self) -> int:
        """Finished: 42 registered, 40 married at the akad, 2 cancelled; the draw done."""
        found = self.programme(
            SYAWAL_1447,
            "Nikah Massal Syawal 1447 H",
            description=(
                "Akad nikah bersama bagi pasangan se-Kutai Kartanegara, bersama KUA Kecamatan "
                "Tenggarong. PNBP nikah di luar kantor KUA Rp600.000 per pasangan ditanggung "
                "Pemerintah Kabupaten; buku nikah, KK baru, dan KTP-el selesai di hari yang sama."
            ),
            status=Programme.Status.FINISHED,
            quota=50,
            registration_opens=dt.date(2026, 2, 23),
        )
        sessions = [
            AkadSession.objects.create(programme=found, date=AKAD_1447, starts_at=dt.time(8, 30),
                                       place=PLACE, capacity=25),
            AkadSession.objects.create(programme=found, date=AKAD_1447, starts_at=dt.time(10, 30),
                                       place=PLACE, capacity=25),
        ]  # fmt: skip
        names = ["Sepeda motor", "Kulkas dua pintu", "Mesin cuci", "Televisi 32 inci",
                 "Paket perabot dapur"]  # fmt: skip
        for rank, name in enumerate(names, start=1):
            Prize.objects.create(
                programme=found, rank=rank, name=name, sponsor="Bupati Kutai Kartanegara"
            )
        made = 0
        for i in range(42):
            session = sessions[i % 2]
            registration = self.couple(
                found, AKAD_1447, registered=dt.date(2026, 3, 2) + dt.timedelta(days=i % 20)
            )
            if i >= 40:
                registration.status = Registration.Status.CANCELLED
                registration.save(update_fields=["status"])
                continue
            self.married(registration, session, number=i + 1)
            made += 1
        AkadSession.objects.filter(pk=sessions[0].pk).update(scheduled_count=20)
        AkadSession.objects.filter(pk=sessions[1].pk).update(scheduled_count=20)
        Programme.objects.filter(pk=found.pk).update(registered_count=40)
        prizes.publish_draw(programme=found, seed=DRAW_SEED_1447, acting_user=self.admin)
        prizes.run_draw(programme=found, acting_user=self.admin)
        Programme.objects.filter(pk=found.pk).update(
            draw_published_at=self.at(AKAD_1447, 12, 0), drawn_at=self.at(AKAD_1447, 13, 30)
        )
        return made + 2

    def syawal_1448(self) -> int:
        """Registration open (from 1 December 2026) for the akad of Friday 16 April 2027."""
        found = self.programme(
            SYAWAL_1448,
            "Nikah Massal Syawal 1448 H",
            description=(
                "Akad nikah bersama bagi pasangan se-Kutai Kartanegara, bersama KUA Kecamatan "
                "Tenggarong. PNBP nikah di luar kantor KUA Rp600.000 per pasangan ditanggung "
                "Pemerintah Kabupaten."
            ),
            status=Programme.Status.OPEN,
            quota=60,
            registration_opens=dt.date(2026, 12, 1),
        )
        first = AkadSession.objects.create(
            programme=found, date=AKAD_1448, starts_at=dt.time(8, 30), place=PLACE, capacity=30
        )
        AkadSession.objects.create(programme=found, date=AKAD_1448, starts_at=dt.time(10, 30),
                                   place=PLACE, capacity=30)  # fmt: skip
        for rank, name in enumerate(["Sepeda motor", "Kulkas", "Paket perabot dapur"], start=1):
            Prize.objects.create(
                programme=found, rank=rank, name=name, sponsor="Bupati Kutai Kartanegara"
            )
        states = [Registration.Status.SUBMITTED] * 3 + [
            Registration.Status.RETURNED,
            Registration.Status.APPROVED,
            Registration.Status.SCHEDULED,
            Registration.Status.SCHEDULED,
        ]
        for i, state in enumerate(states):
            registration = self.couple(
                found, AKAD_1448, registered=dt.date(2026, 12, 1) + dt.timedelta(days=i)
            )
            self.advance(registration, state, first)
        Programme.objects.filter(pk=found.pk).update(registered_count=len(states))
        AkadSession.objects.filter(pk=first.pk).update(scheduled_count=2)
        return len(states)

    # --- couples ----------------------------------------------------------------------------

    def at(self, day: dt.date, hour: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), self.zone)

    def code(self) -> str:
        while True:
            code = "NM-" + "".join(self.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if not Registration.objects.filter(code=code).exists():
                return code

    def nik(self, *, female: bool, birth: dt.date, village: Village) -> str:
        self.serial += 1
        region_code = village.district.code.replace(".", "")
        day = birth.day + (40 if female else 0)
        return f"{region_code}{day:02d}{birth.month:02d}{birth.year % 100:02d}{self.serial:04d}"

    def person(self, *, female: bool, village: Village, ages: tuple[int, int], akad: dt.date,
               relation: str = "") -> PersonData:  # fmt: skip
        birth = akad - dt.timedelta(days=self.rng.randint(ages[0] * 365 + 30, ages[1] * 365))
        first = self.rng.choice(WOMEN if female else MEN)
        name = f"{first} {self.rng.choice(FAMILY)}"
        nik = self.nik(female=female, birth=birth, village=village)
        street = self.rng.choice(STREETS)
        return PersonData(
            name=name,
            nik=nik,
            birth_date=birth,
            address=f"Jl. {street} No. {self.rng.randint(1, 120)}",
            village=village,
            relation=relation,
        )

    def couple(self, found: Programme, akad: dt.date, *, registered: dt.date) -> Registration:
        village = self.rng.choice(self.near if self.rng.random() < 0.6 else self.villages)
        data = CoupleData(
            groom=self.person(female=False, village=village, ages=(21, 38), akad=akad),
            bride=self.person(female=True, village=village, ages=(21, 34), akad=akad),
            wali=self.person(
                female=False,
                village=village,
                ages=(45, 70),
                akad=akad,
                relation=self.rng.choice(WALI_RELATIONS),
            ),
            witnesses=[
                PersonData(name=f"{self.rng.choice(MEN)} {self.rng.choice(FAMILY)}")
                for _ in range(2)
            ],
            phone=f"0812{self.rng.randint(10_000_000, 99_999_999)}",
        )
        basis, bearer = TariffBasis.OUTSIDE, FeeBearer.REGENCY
        draw = self.rng.random()
        if draw < 0.1:
            basis, bearer = TariffBasis.SKTM, FeeBearer.COUPLE
        elif draw < 0.2:
            bearer = FeeBearer.BAZNAS
        registration = Registration.objects.create(
            programme=found,
            code=self.code(),
            access_key=new_access_key(),
            channel=Registration.Channel.ONLINE
            if self.rng.random() < 0.7
            else Registration.Channel.COUNTER,
            registered_on=registered,
            phone=data.phone,
            tariff_basis=basis,
            fee_idr=TARIFF_IDR[basis],
            fee_bearer=bearer,
        )
        people = [("groom", data.groom), ("bride", data.bride), ("wali", data.wali)]
        people += [(f"witness_{i}", w) for i, w in enumerate(data.witnesses, start=1)]
        Person.objects.bulk_create(
            Person(registration=registration, programme=found, role=role, name=p.name, nik=p.nik,
                   birth_date=p.birth_date, address=p.address, village=p.village,
                   relation=p.relation,
                   marital_status=Person.Marital.NEVER if role in ("groom", "bride") else "")
            for role, p in people
        )  # fmt: skip
        Document.objects.bulk_create(
            Document(registration=registration, kind=kind, who=who)
            for kind, who in required_documents(data, [], akad)
        )
        return registration

    def advance(self, registration: Registration, state: str, session: AkadSession) -> None:
        """A 1448 couple part-way: documents brought, one returned, some approved."""
        documents = registration.documents.all()
        if state == Registration.Status.SUBMITTED:
            documents.filter(pk__in=[d.pk for d in documents[:6]]).update(
                status=Document.Status.BROUGHT
            )
            return
        documents.update(
            status=Document.Status.ACCEPTED, checked_at=self.at(dt.date(2026, 12, 4), 10, 0)
        )
        if state == Registration.Status.RETURNED:
            first = documents.first()
            assert first is not None
            Document.objects.filter(pk=first.pk).update(
                status=Document.Status.REJECTED,
                note="Surat pengantar desa belum ditandatangani kepala desa.",
            )
            registration.return_reason = "Surat pengantar desa belum ditandatangani kepala desa."
        registration.status = state
        registration.decided_at = self.at(dt.date(2026, 12, 4), 10, 30)
        if state == Registration.Status.SCHEDULED:
            registration.session = session
        registration.save()

    def married(self, registration: Registration, session: AkadSession, *, number: int) -> None:
        """A couple married at the akad: checked in, fee paid, book issued, civil follow-up."""
        akad = self.at(AKAD_1447, session.starts_at.hour, session.starts_at.minute)
        registration.documents.update(
            status=Document.Status.ACCEPTED, checked_at=self.at(dt.date(2026, 3, 27), 10, 0)
        )
        registration.status = Registration.Status.MARRIED
        registration.session = session
        registration.decided_at = self.at(dt.date(2026, 3, 27), 11, 0)
        registration.couple_checked_in_at = akad - dt.timedelta(minutes=45)
        registration.wali_checked_in_at = akad - dt.timedelta(minutes=40)
        registration.witnesses_checked_in_at = akad - dt.timedelta(minutes=35)
        registration.married_at = akad + dt.timedelta(minutes=self.rng.randint(5, 90))
        registration.marriage_book_number = f"B-{number:03d}/KUA.17.06/PW.01/IV/2026"
        if registration.fee_idr:
            registration.receipt_number = f"BPD-KALTIMTARA-2026-{7000 + number}"
            registration.paid_on = dt.date(2026, 4, 6)
        registration.save()
        married = registration.married_at
        for kind in CivilTask.Kind:
            roll = self.rng.random()
            if roll < 0.85:  # most leave with their new KK and KTP-el the same day
                done_at = married + dt.timedelta(minutes=self.rng.randint(40, 240))
            elif roll < 0.95:
                done_at = self.at(AKAD_1447 + dt.timedelta(days=3), 10, self.rng.randint(0, 59))
            else:
                done_at = None
            CivilTask.objects.create(
                registration=registration,
                kind=kind,
                status=CivilTask.Status.DONE if done_at else CivilTask.Status.OPEN,
                done_at=done_at,
                document_number=f"6402{self.rng.randint(10**11, 10**12 - 1)}" if done_at else "",
            )
