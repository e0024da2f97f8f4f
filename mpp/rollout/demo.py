"""A plausible, labelled Mini MPP rollout for the demo (`mpp demo`; issue 19, item 6).

Consistent with the malls' statuses in the region data (malls.yaml, every Mini MPP's status a
placeholder: `status_is_sample`): an operating Mini MPP has every mandatory item done with its
evidence (a small generated PDF or PNG in default_storage, a decree's number and date), a trial
day that issued and called numbers, two to four staff (mostly living in the kecamatan) trained
at the MPP; a preparing one is partly done, with late items of different owner agencies, one
of them (Tabang) blocked on its network link; a planned one is mostly open. Every note the demo
writes says "Data contoh", the training's title too. Staff names are invented and NIPs are
synthetic (sequence numbers from 900: no real civil servant's).

The history is written directly (items done in 2025, a training in January 2026) rather than
through the actions, which date every step "now"; the states are the ones the actions make,
and the go-live gate (gate.gate_problems) holds for every operating Mini MPP.
Deterministic (a fixed seed) and done once per region: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from mpp.core import clock
from mpp.malls.models import Mall, Region, Village
from mpp.rollout import readiness, training
from mpp.rollout.models import (
    Assessment,
    Assignment,
    Attendance,
    Evidence,
    ReadinessItem,
    RolloutPlan,
    StaffMember,
    TrainingModule,
    TrainingSession,
    TrialDay,
)

SEED = 4_2010  # Permendagri 4/2010 (PATEN): fixed, so every demo shows the same rollout
SAMPLE = "Data contoh"
SESSION_TITLE = "Pelatihan Operator Mini MPP Angkatan I (data contoh)"
SECOND_SESSION_TITLE = "Pelatihan Operator Mini MPP Angkatan II (data contoh)"
TRAINING_VENUE = "mpp-kukar"
STARTED = dt.date(2025, 1, 15)  # the rollout's start: when the checklists were drawn up
STAFF_FROM = dt.date(2026, 1, 5)  # postings of the Mini MPPs that opened on 2 February 2026
TRAINING_DAYS = (dt.date(2026, 1, 12), dt.date(2026, 1, 16))  # a week at the MPP
TRIAL_FROM = dt.date(2026, 1, 26)
PERBUP = ("Peraturan Bupati Kutai Kartanegara Nomor 27 Tahun 2025", dt.date(2025, 6, 16))

# The demo officers who open Mini MPP counters (regions.demo): they are staff who passed every
# module, so the counter gate lets them open once the demo requires training.
OFFICERS = {
    "mini-mpp-tenggarong-seberang": ("petugas.dukcapil", "Petugas loket depan (Disdukcapil)"),
    "mini-mpp-loa-kulu": ("pengawas.loakulu", "Koordinator Mini MPP"),
}
# Who marks an agency's items done in the demo (regions.demo's liaison accounts); the rest:
# DPMPTSP's administrator.
MARKED_BY = {"dinas-pu": "pu", "bkpsdm": "bkpsdm", "diskominfo": "diskominfo"}
CAMAT_ACCOUNTS = {"mini-mpp-loa-kulu": "camat.loakulu"}

# Network links of the operating Mini MPPs (the checklist's detail); the rest: fibre.
LINKS = {
    "mini-mpp-sebulu": "radio",
    "mini-mpp-marang-kayu": "radio",
    "mini-mpp-kota-bangun": "radio",
    "mini-mpp-muara-kaman": "seluler 4G",
    "mini-mpp-muara-muntai": "seluler 4G",
    "mini-mpp-kenohan": "seluler 4G",
    "mini-mpp-kembang-janggut": "radio",
    "mini-mpp-muara-wis": "satelit (VSAT)",
}
POWER = {
    "mini-mpp-muara-muntai": "PLN 24 jam, genset cadangan",
    "mini-mpp-muara-kaman": "PLN 24 jam, genset cadangan",
    "mini-mpp-kembang-janggut": "PLN 24 jam, genset cadangan",
    "mini-mpp-muara-wis": "PLN 12 jam malam, panel surya dan genset siang hari",
    "mini-mpp-tabang": "PLN 12 jam malam, genset cadangan siang hari",
}


@dataclass(frozen=True)
class Plan:
    """A Mini MPP still preparing (or planned): which items are done, in progress, late
    (overdue: still open past their due date), and which one is blocked."""

    done: tuple[str, ...]
    in_progress: tuple[str, ...] = ()
    late: dict[str, str] = field(default_factory=dict)  # code → note
    blocked: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (detail, note)
    staff: int = 0
    trial: tuple[int, int] | None = None  # (issued, called) some days ago


PLANS: dict[str, Plan] = {
    "mini-mpp-kenohan": Plan(
        done=(
            "lokasi",
            "desain-ruang",
            "listrik",
            "jaringan",
            "perbup-paten",
            "pegawai",
            "aula-metapers",
        ),
        in_progress=("sk-standar-pelayanan",),
        late={"renovasi": "Kontraktor meminta tambahan waktu; lantai dan plafon belum selesai."},
        staff=2,
    ),
    "mini-mpp-kembang-janggut": Plan(
        done=(
            "lokasi",
            "desain-ruang",
            "renovasi",
            "listrik",
            "jaringan",
            "perbup-paten",
            "aula-metapers",
        ),
        in_progress=("branding",),
        late={
            "pegawai": "Baru satu pegawai ditugaskan; BKPSDM menunggu formasi PPPK.",
            "perangkat": "Kios dan printer belum dikirim; TV sudah terpasang.",
        },
        staff=1,
    ),
    "mini-mpp-tabang": Plan(
        done=("lokasi", "desain-ruang", "listrik", "perbup-paten", "pegawai", "aula-metapers"),
        in_progress=("renovasi",),
        blocked={
            "jaringan": (
                "menunggu jaringan satelit (VSAT)",
                "Tidak ada sinyal seluler di kantor camat; Diskominfo menunggu pemasangan VSAT.",
            )
        },
        late={"perangkat": "Perangkat dikirim setelah jaringan tersambung."},
        staff=2,
    ),
    "mini-mpp-muara-wis": Plan(
        done=(
            "lokasi",
            "desain-ruang",
            "renovasi",
            "listrik",
            "jaringan",
            "perbup-paten",
            "pegawai",
            "perangkat",
            "aula-metapers",
        ),
        in_progress=("branding",),
        late={"sk-standar-pelayanan": "Rancangan keputusan masih dibahas dengan Bagian Hukum."},
        staff=3,
        trial=(9, 7),
    ),
    "mini-mpp-kota-bangun-darat": Plan(
        done=(),
        in_progress=("aula-metapers",),
        late={"lokasi": "Kantor camat baru masih dibangun; lokasi sementara sedang dibahas."},
    ),
    "mini-mpp-samboja-barat": Plan(done=("lokasi",), in_progress=("desain-ruang", "aula-metapers")),
}

FIRST_NAMES = (
    ("Ahmad", 1), ("Muhammad", 1), ("Rahmat", 1), ("Syahrani", 1), ("Abdul", 1), ("Hendra", 1),
    ("Rudi", 1), ("Andi", 1), ("Fajar", 1), ("Irwan", 1), ("Yusuf", 1), ("Agus", 1),
    ("Riduan", 1), ("Samsul", 1), ("Taufik", 1), ("Wahyu", 1), ("Hairil", 1), ("Aspiannur", 1),
    ("Siti", 2), ("Nur", 2), ("Rahmawati", 2), ("Dewi", 2), ("Fitri", 2), ("Rina", 2),
    ("Wulan", 2), ("Sri", 2), ("Norhayati", 2), ("Yuliana", 2), ("Herlina", 2), ("Mariani", 2),
    ("Rusmini", 2), ("Anisa", 2), ("Dian", 2), ("Intan", 2), ("Ratna", 2), ("Halimah", 2),
)  # fmt: skip
LAST_NAMES = (
    "Saputra", "Rahman", "Hidayat", "Pratama", "Setiawan", "Wijaya", "Nugroho", "Kurniawan",
    "Hasanah", "Lestari", "Wahyuni", "Aryani", "Maulana", "Ramadhan", "Fadillah", "Anwar",
    "Effendi", "Hamdani", "Noor", "Aini", "Sari", "Permata", "Hakim", "Yusran",
)  # fmt: skip
POSITIONS = ("Koordinator Mini MPP", "Petugas loket depan", "Petugas loket depan",
             "Operator kios dan Metapers")  # fmt: skip


@dataclass
class DemoRollout:
    """What the demo made."""

    items_done: int = 0
    staff: int = 0
    assessments: int = 0
    certificates: int = 0
    files: int = 0


def load_demo_rollout(region: Region) -> DemoRollout | None:
    """Write the demo's rollout state once; None when there is nothing to do (no rollout
    template in the region, or the demo's training already exists)."""
    plan = RolloutPlan.objects.filter(region=region).first()
    if plan is None:
        return None
    if TrainingSession.objects.filter(region=region, title=SESSION_TITLE).exists():
        return None
    return _Demo(region, plan).run()


class _Demo:
    def __init__(self, region: Region, plan: RolloutPlan) -> None:
        self.region = region
        self.plan = plan
        self.rng = random.Random(SEED)
        self.zone = ZoneInfo(region.timezone)
        self.today = clock.local_now(region.timezone).date()
        self.result = DemoRollout()
        users = get_user_model().objects.filter(
            username__in=[
                "admin",
                *MARKED_BY.values(),
                *CAMAT_ACCOUNTS.values(),
                *(u for u, _p in OFFICERS.values()),
            ]
        )
        self.users = {u.username: u for u in users}
        self.admin = self.users.get("admin")
        self.villages: dict[int, list[Village]] = {}
        for village in Village.objects.filter(district__region=region).order_by("code"):
            self.villages.setdefault(village.district_id, []).append(village)
        self.names: set[str] = set()
        self.nips: set[str] = set(StaffMember.objects.exclude(nip="").values_list("nip", flat=True))
        self.members: dict[int, list[StaffMember]] = {}

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, self.rng.randrange(0, 60)), self.zone)

    def run(self) -> DemoRollout:
        with transaction.atomic():
            minis = list(
                Mall.objects.filter(region=self.region, kind=Mall.Kind.MINI_MPP)
                .select_related("district")
                .order_by("district__code")
            )
            for mall in minis:
                readiness.ensure_items(mall)
            ReadinessItem.objects.filter(mall__in=minis).update(created_at=self.at(STARTED, 9))
            for mall in minis:
                if mall.status == Mall.Status.OPERATING:
                    self.operating(mall)
                else:
                    self.preparing(mall, PLANS.get(mall.slug) or self.generic(mall))
            self.train(minis)
            self.plan.training_required_to_open = True
            self.plan.save(update_fields=["training_required_to_open"])
        return self.result

    # --- readiness ----------------------------------------------------------------------------

    def generic(self, mall: Mall) -> Plan:
        """A Mini MPP the demo has no story for: the first items done."""
        if mall.status == Mall.Status.PLANNED:
            return Plan(done=(), in_progress=("lokasi",))
        return Plan(done=("lokasi", "desain-ruang", "perbup-paten"), staff=2)

    def items(self, mall: Mall) -> list[ReadinessItem]:
        return list(
            ReadinessItem.objects.filter(mall=mall)
            .select_related("template", "owner")
            .order_by("template__order", "template__code")
        )

    def operating(self, mall: Mall) -> None:
        trial_day = TRIAL_FROM + dt.timedelta(days=self.rng.randrange(0, 4))
        issued = self.rng.randrange(18, 46)
        TrialDay.objects.create(
            mall=mall,
            day=trial_day,
            opened_by=self.admin,
            note=f"{SAMPLE}: uji coba dengan warga sekitar.",
            tickets_issued=issued,
            tickets_called=issued - self.rng.randrange(0, 4),
        )
        for item in self.items(mall):
            template = item.template
            if not template.mandatory and self.rng.random() < 0.3:
                self.progress(item, ReadinessItem.Status.IN_PROGRESS, self.later(60))
                continue
            if template.code == "uji-coba":
                day = trial_day
            else:
                # Mostly on time, some a few weeks late; all before the staff's postings.
                day = template.due_date - dt.timedelta(days=self.rng.randrange(0, 45))
                if self.rng.random() < 0.15:
                    day = template.due_date + dt.timedelta(days=self.rng.randrange(3, 25))
                day = min(day, STAFF_FROM - dt.timedelta(days=3))
            self.done(mall, item, day)
        self.staff(mall, self.rng.choice((2, 3, 3, 4)), STAFF_FROM)

    def preparing(self, mall: Mall, plan: Plan) -> None:
        for offset, item in enumerate(self.items(mall)):
            code = item.template.code
            if code in plan.done:
                self.done(mall, item, item.template.due_date - dt.timedelta(days=10))
            elif code in plan.blocked:
                detail, note = plan.blocked[code]
                self.progress(item, ReadinessItem.Status.BLOCKED, self.later(30), note, detail)
            elif code in plan.late:
                # Rescheduled once by DPMPTSP, and missed again: overdue by two to seven weeks.
                due = self.today - dt.timedelta(days=self.rng.randrange(14, 50))
                status = (
                    ReadinessItem.Status.IN_PROGRESS
                    if self.rng.random() < 0.5
                    else ReadinessItem.Status.OPEN
                )
                self.progress(item, status, due, plan.late[code])
            elif code in plan.in_progress:
                self.progress(item, ReadinessItem.Status.IN_PROGRESS, self.later(20 + offset * 5))
            else:
                item.due_date = self.later(30 + offset * (7 if mall.status == "preparing" else 20))
                item.save(update_fields=["due_date"])
        if plan.staff:
            self.staff(mall, plan.staff, self.today - dt.timedelta(days=60))
        if plan.trial:
            TrialDay.objects.create(
                mall=mall,
                day=self.today - dt.timedelta(days=10),
                opened_by=self.admin,
                note=f"{SAMPLE}: uji coba pertama.",
                tickets_issued=plan.trial[0],
                tickets_called=plan.trial[1],
            )

    def later(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def progress(
        self,
        item: ReadinessItem,
        status: str,
        due: dt.date,
        note: str = "",
        detail: str = "",
    ) -> None:
        item.status = status
        item.due_date = due
        item.note = f"{SAMPLE}. {note}".strip()
        item.detail = detail
        item.save(update_fields=["status", "due_date", "note", "detail"])

    def done(self, mall: Mall, item: ReadinessItem, day: dt.date) -> None:
        """Mark `item` done on `day` with what its template asks for."""
        template = item.template
        code = template.code
        day = max(day, STARTED + dt.timedelta(days=14))
        item.status = ReadinessItem.Status.DONE
        item.done_at = self.at(day)
        item.done_by = self.marker(mall, item)
        item.note = f"{SAMPLE}."
        if code == "listrik":
            item.detail = POWER.get(mall.slug, "PLN 24 jam")
        elif code == "jaringan":
            item.detail = LINKS.get(mall.slug, "serat optik")
        if template.evidence == Evidence.DECREE:
            item.decree_number, item.decree_date = self.decree(mall, code, day)
        elif template.evidence in (Evidence.DOCUMENT, Evidence.PHOTO):
            self.evidence(mall, item)
        item.save()
        self.result.items_done += 1

    def marker(self, mall: Mall, item: ReadinessItem) -> Any:
        code = item.owner.code
        if code == "camat":
            return self.users.get(CAMAT_ACCOUNTS.get(mall.slug, "admin"))
        return self.users.get(MARKED_BY.get(code, "admin"))

    def decree(self, mall: Mall, code: str, day: dt.date) -> tuple[str, dt.date]:
        number = int(mall.district.code[-2:])
        if code == "perbup-paten":
            return PERBUP
        if code == "pegawai":
            return f"800.1.11/{140 + number:03d}/BKPSDM/{day:%Y}", day
        return f"500.16.7/{60 + number:03d}/DPMPTSP/{day:%Y}", day

    def evidence(self, mall: Mall, item: ReadinessItem) -> None:
        title = f"{item.template.title} - {mall.short_name}"
        if item.template.evidence == Evidence.PHOTO:
            data, kind, ext = _png(mall, title), "image/png", "png"
        else:
            data, kind, ext = _pdf([SAMPLE.upper(), title]), "application/pdf", "pdf"
        name = uuid.UUID(int=self.rng.getrandbits(128)).hex
        item.evidence_file = default_storage.save(
            f"rollout/evidence/{mall.pk}/{name}.{ext}", ContentFile(data)
        )
        item.evidence_name = f"{item.template.code}-{mall.slug}.{ext}"
        item.evidence_type = kind
        self.result.files += 1

    # --- staff -------------------------------------------------------------------------------

    def staff(self, mall: Mall, count: int, start: dt.date) -> None:
        officer = OFFICERS.get(mall.slug)
        members = []
        away = (count - 1) // 2  # most of them live in the kecamatan: at most this many not
        for index in range(count):
            local = index == 0 or away == 0 or self.rng.random() < 0.75
            away -= 0 if local else 1
            user = None
            position = POSITIONS[index % len(POSITIONS)]
            if officer is not None and index == count - 1:
                user = self.users.get(officer[0])
                position = officer[1]
                local = True
            member = self.member(mall, local=local, user=user)
            Assignment.objects.create(
                member=member,
                mall=mall,
                position=position,
                start_date=start,
                assigned_by=self.users.get("bkpsdm") or self.admin,
            )
            members.append(member)
        self.members[mall.pk] = members
        self.result.staff += count

    def member(self, mall: Mall, *, local: bool, user: Any) -> StaffMember:
        rng = self.rng
        while True:
            first, sex = rng.choice(FIRST_NAMES)
            name = f"{first} {rng.choice(LAST_NAMES)}"
            if name not in self.names:
                break
        self.names.add(name)
        employment = rng.choices(list(StaffMember.Employment), [4, 4, 2])[0]
        if user is not None:
            employment = StaffMember.Employment.PNS
        nip = ""
        if employment != StaffMember.Employment.HONORER:
            born = dt.date(rng.randrange(1975, 2001), rng.randrange(1, 13), rng.randrange(1, 29))
            tmt = (
                f"{rng.randrange(max(born.year + 20, 2000), 2025)}{rng.randrange(1, 13):02d}"
                if employment == StaffMember.Employment.PNS
                else f"{rng.choice((2023, 2024))}21"  # PPPK: month 21
            )
            # Synthetic: the sequence starts at 900 so no NIP here is a real civil servant's.
            while True:
                nip = f"{born:%Y%m%d}{tmt}{sex}{rng.randrange(900, 1000)}"
                if nip not in self.nips:
                    break
            self.nips.add(nip)
        if local:
            village = rng.choice(self.villages[mall.district_id])
        else:  # from a neighbouring kecamatan (district codes next to it)
            others = [d for d in self.villages if d != mall.district_id]
            village = rng.choice(self.villages[rng.choice(others)])
        return StaffMember.objects.create(
            region=self.region,
            full_name=name,
            nip=nip,
            employment=employment,
            domicile_village=village,
            user=user,
        )

    # --- training ------------------------------------------------------------------------------

    def train(self, minis: list[Mall]) -> None:
        modules = list(TrainingModule.objects.filter(region=self.region).order_by("order"))
        venue = Mall.objects.filter(slug=TRAINING_VENUE).first() or minis[0]
        first = [
            m for mall in minis if mall.status == Mall.Status.OPERATING
            for m in self.members.get(mall.pk, [])
        ]  # fmt: skip
        second = [
            m for mall in minis if mall.status != Mall.Status.OPERATING
            for m in self.members.get(mall.pk, [])
        ]  # fmt: skip
        officers = {u.pk for u in self.users.values() if u.username in dict(OFFICERS.values())}
        later = (self.today - dt.timedelta(days=40), self.today - dt.timedelta(days=36))
        # Operators of the open Mini MPPs mostly passed everything; the newer ones retake more.
        for title, (start, end), people, retakes in (
            (SESSION_TITLE, TRAINING_DAYS, first, 0.02),
            (SECOND_SESSION_TITLE, later, second, 0.12),
        ):
            if not people:
                continue
            session = TrainingSession.objects.create(
                region=self.region,
                title=title,
                venue=venue,
                start_date=start,
                end_date=end,
                trainer=f"Tim DPMPTSP dan Diskominfo ({SAMPLE.lower()})",
            )
            session.modules.set(modules)
            session.participants.set(people)
            days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
            Attendance.objects.bulk_create(
                Attendance(session=session, member=m, day=d, present=self.rng.random() > 0.05)
                for m in people
                for d in days
            )
            assessed_at = self.at(end, 15)
            rows = []
            for member in people:
                sure = member.user_id in officers
                for module in modules:
                    score = self.rng.randrange(module.pass_mark + 2, 99)
                    if not sure and self.rng.random() < retakes:
                        score = module.pass_mark - self.rng.randrange(1, 15)
                    rows.append(
                        Assessment(
                            member=member,
                            module=module,
                            session=session,
                            score=min(score, 100),
                            passed=score >= module.pass_mark,
                            assessed_by=self.admin,
                            assessed_at=assessed_at,
                        )
                    )
            Assessment.objects.bulk_create(rows)
            self.result.assessments += len(rows)
            # Certificates through the training's own step (gapless numbers, audited): to
            # whoever attended and passed every module of the session.
            for member in people:
                if not training.certificate_problems(member, session):
                    training.issue_certificate(member, session, self.admin)
                    self.result.certificates += 1


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (ASCII), built by hand: no PDF library for a demo file."""
    text = "\n".join(
        f"BT /F1 {18 if n == 0 else 12} Tf 60 {760 - n * 28} Td ({_pdf_text(line)}) Tj ET"
        for n, line in enumerate(lines)
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _pdf_text(line: str) -> str:
    plain = line.encode("ascii", "replace").decode()
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _png(mall: Mall, title: str) -> bytes:
    """A small PNG "photo": the mall's two colours in bands (no text: fonts differ by host)."""
    width, height = 160, 90

    def rgb(color: str) -> bytes:
        return bytes.fromhex(color.lstrip("#"))

    top, bottom = rgb(mall.color_primary), rgb(mall.color_secondary)
    seed = zlib.crc32(title.encode()) % 40  # each item's "photo" differs a little
    rows = b"".join(
        b"\x00" + (top if y < 60 + seed % 20 else bottom) * width for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
