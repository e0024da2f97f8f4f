"""Operator training of the Mini MPP rollout (issue 19, item 4): the curriculum's modules
(region data), sessions with attendance per day, an assessment per module, the certificate, and
the counter's gate (queueing asks `missing_modules_for_counter` before an officer opens a Mini
MPP's counter).

Rules:
- a module is passed by a passing Assessment (score >= the module's pass mark), from a session
  or from the Metapers operator scenario (`record_scenario_completion`);
- attendance is recorded only on a day within the session's dates;
- a certificate is issued once per participant and session, only to a participant who attended
  at least one day and passed every module of the session. Its number is gapless per region
  and year ("MPP-KKR/PLT/2026/0001"), taken under a lock of the region's row; its check code is
  random (the public verification page /sertifikat/<code>/ finds it by that code alone).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.malls.models import Mall, Region
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.models import (
    Assessment,
    Attendance,
    Certificate,
    RolloutPlan,
    StaffMember,
    TrainingModule,
    TrainingSession,
)


class TrainingCode(StrEnum):
    """Stable codes of the training's refusals (RolloutRefused.code)."""

    SCORE_OUT_OF_RANGE = "score_out_of_range"
    OTHER_REGION = "other_region"
    NOT_PARTICIPANT = "not_participant"
    MODULE_NOT_IN_SESSION = "module_not_in_session"
    DAY_OUTSIDE_SESSION = "day_outside_session"
    DATES_REVERSED = "dates_reversed"
    NO_MODULES = "no_modules"
    NOT_ATTENDED = "not_attended"
    MODULES_NOT_PASSED = "modules_not_passed"
    HAS_RECORDS = "has_records"


# -- what a counter needs ----------------------------------------------------------------------


def required_modules(region: Region, *, front_desk: bool) -> list[TrainingModule]:
    """The modules an officer must pass to open a counter in `region`; the front desk (a Mini
    MPP's counter of no tenant) also needs the modules `for_front_desk_only`."""
    modules = TrainingModule.objects.filter(region=region, required_to_open_counter=True)
    if not front_desk:
        modules = modules.filter(for_front_desk_only=False)
    return list(modules.order_by("order", "code"))


def passed_modules(member: StaffMember) -> set[int]:
    """The ids of the modules `member` has a passing assessment of."""
    return set(
        Assessment.objects.filter(member=member, passed=True).values_list("module_id", flat=True)
    )


def training_required(mall: Mall) -> bool:
    """Whether opening a counter of `mall` needs trained officers: a Mini MPP whose region's
    RolloutPlan says so (the demo turns it on; region data leaves it off)."""
    if mall.kind != Mall.Kind.MINI_MPP:
        return False
    return RolloutPlan.objects.filter(
        region_id=mall.region_id, training_required_to_open=True
    ).exists()


def missing_modules_for_counter(
    user: Any, counter_mall: Mall, *, front_desk: bool
) -> list[TrainingModule]:
    """The required modules `user` has not passed to open a counter at `counter_mall`; empty
    when the region does not require training or the mall is not a Mini MPP. A user who is no
    StaffMember has passed nothing."""
    if not training_required(counter_mall):
        return []
    required = required_modules(counter_mall.region, front_desk=front_desk)
    if not required:
        return []
    member = _member_of(user)
    passed = passed_modules(member) if member is not None else set()
    return [m for m in required if m.pk not in passed]


def _member_of(user: Any) -> StaffMember | None:
    """The roster's record of a signed-in user (None for anyone else)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    return StaffMember.objects.filter(user_id=user_id).first()


def missing_message(missing: list[TrainingModule]) -> str:
    """The counter gate's refusal, naming the modules still to pass."""
    return _(
        "Loket Mini MPP hanya dapat dibuka petugas yang telah lulus pelatihan. Modul yang "
        "belum Anda lulusi: %(modules)s. Hubungi DPMPTSP untuk jadwal pelatihan."
    ) % {"modules": ", ".join(m.title for m in missing)}


# -- assessments -------------------------------------------------------------------------------


def record_assessment(
    member: StaffMember,
    module: TrainingModule,
    *,
    score: int,
    session: TrainingSession | None = None,
    actor: Any,
) -> Assessment:
    """Record `member`'s score on `module` (passed: score >= the module's pass mark), audited.
    In a session, the participant's score on that module is replaced rather than added.

    Invariants: 0 <= score <= 100; member and module of one region; in a session, the member
    is a participant and the module one of the session's."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise RolloutRefused(
            _("Nilai harus bilangan bulat 0 sampai 100."), TrainingCode.SCORE_OUT_OF_RANGE
        )
    if module.region_id != member.region_id:
        raise RolloutRefused(
            _("Modul ini milik wilayah lain."), TrainingCode.OTHER_REGION, status=404
        )
    if session is not None:
        _require_participant(session, member)
        if not session.modules.filter(pk=module.pk).exists():
            raise RolloutRefused(
                _("Modul %(m)s tidak diajarkan pada sesi ini.") % {"m": module.title},
                TrainingCode.MODULE_NOT_IN_SESSION,
            )
    passed = score >= module.pass_mark
    with write_transaction():
        assessment = None
        if session is not None:
            assessment = (
                Assessment.objects.select_for_update()
                .filter(member=member, module=module, session=session)
                .first()
            )
        before = assessment.score if assessment is not None else None
        if assessment is None:
            assessment = Assessment(member=member, module=module, session=session)
        assessment.score = score
        assessment.passed = passed
        assessment.assessed_by = actor if getattr(actor, "pk", None) else None
        assessment.assessed_at = clock.now()
        assessment.save()
        audit(
            actor=actor,
            action="training.assessed",
            obj=assessment,
            data={
                "member": member.pk,
                "module": module.code,
                "session": session.pk if session else None,
                "score": score,
                "from": before,
                "passed": passed,
            },
        )
    return assessment


def record_scenario_completion(*, user: Any, scenario: str) -> Assessment | None:
    """The Metapers operator scenario was completed by `user`: a passing assessment (score 100)
    of the module whose `metapers_scenario` is `scenario`, when the user is a StaffMember and
    the region has such a module (None otherwise). Called inside Metapers' own transaction."""
    member = _member_of(user)
    if member is None or not scenario:
        return None
    module = TrainingModule.objects.filter(
        region_id=member.region_id, metapers_scenario=scenario
    ).first()
    if module is None:
        return None
    return record_assessment(member, module, score=100, actor=user)


# -- sessions and attendance -------------------------------------------------------------------


def create_session(
    *,
    region: Region,
    title: str,
    venue: Mall,
    start_date: dt.date,
    end_date: dt.date,
    trainer: str = "",
    modules: Iterable[TrainingModule],
    actor: Any,
) -> TrainingSession:
    """Plan a training session of `region`, held at `venue`, teaching `modules`; audited.

    Invariants: end_date >= start_date; venue and modules of `region`; at least one module."""
    module_list = list(modules)
    if end_date < start_date:
        raise RolloutRefused(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai."), TrainingCode.DATES_REVERSED
        )
    if not module_list:
        raise RolloutRefused(_("Pilih sedikitnya satu modul."), TrainingCode.NO_MODULES)
    if venue.region_id != region.pk or any(m.region_id != region.pk for m in module_list):
        raise RolloutRefused(
            _("Tempat dan modul harus dari wilayah yang sama."), TrainingCode.OTHER_REGION
        )
    with write_transaction():
        session = TrainingSession.objects.create(
            region=region,
            title=title,
            venue=venue,
            start_date=start_date,
            end_date=end_date,
            trainer=trainer,
        )
        session.modules.set(module_list)
        audit(
            actor=actor,
            action="training.session_created",
            obj=session,
            mall_id=venue.pk,
            data={"modules": [m.code for m in module_list], "from": str(start_date)},
        )
    return session


def session_days(session: TrainingSession) -> list[dt.date]:
    """Every day from the session's start to its end."""
    count = (session.end_date - session.start_date).days + 1
    return [session.start_date + dt.timedelta(days=i) for i in range(count)]


def add_participants(
    session: TrainingSession, members: Iterable[StaffMember], *, actor: Any
) -> int:
    """Add `members` (of the session's region) to the session; returns how many were new."""
    wanted = list(members)
    if any(m.region_id != session.region_id for m in wanted):
        raise RolloutRefused(_("Peserta harus pegawai wilayah ini."), TrainingCode.OTHER_REGION)
    with write_transaction():
        present = set(session.participants.values_list("pk", flat=True))
        new = [m for m in wanted if m.pk not in present]
        session.participants.add(*new)
        if new:
            audit(
                actor=actor,
                action="training.participants_added",
                obj=session,
                mall_id=session.venue_id,
                data={"members": [m.pk for m in new]},
            )
    return len(new)


def remove_participant(session: TrainingSession, member: StaffMember, *, actor: Any) -> None:
    """Take `member` off the session, unless attendance, a score or a certificate is recorded
    for them there (those records stay true: correct them instead)."""
    _require_participant(session, member)
    has_records = (
        Attendance.objects.filter(session=session, member=member, present=True).exists()
        or Assessment.objects.filter(session=session, member=member).exists()
        or Certificate.objects.filter(session=session, member=member).exists()
    )
    if has_records:
        raise RolloutRefused(
            _("%(n)s sudah punya catatan kehadiran, nilai, atau sertifikat pada sesi ini.")
            % {"n": member.full_name},
            TrainingCode.HAS_RECORDS,
            status=409,
        )
    with write_transaction():
        session.participants.remove(member)
        Attendance.objects.filter(session=session, member=member).delete()
        audit(
            actor=actor,
            action="training.participant_removed",
            obj=session,
            mall_id=session.venue_id,
            data={"member": member.pk},
        )


def _require_participant(session: TrainingSession, member: StaffMember) -> None:
    if not session.participants.filter(pk=member.pk).exists():
        raise RolloutRefused(
            _("%(n)s bukan peserta sesi ini.") % {"n": member.full_name},
            TrainingCode.NOT_PARTICIPANT,
        )


def _require_day_in_session(session: TrainingSession, day: dt.date) -> None:
    if not session.start_date <= day <= session.end_date:
        raise RolloutRefused(
            _("Tanggal %(d)s di luar sesi (%(a)s sampai %(b)s).")
            % {
                "d": day.strftime("%d-%m-%Y"),
                "a": session.start_date.strftime("%d-%m-%Y"),
                "b": session.end_date.strftime("%d-%m-%Y"),
            },
            TrainingCode.DAY_OUTSIDE_SESSION,
        )


def record_attendance(
    session: TrainingSession, member: StaffMember, day: dt.date, *, present: bool, actor: Any
) -> Attendance:
    """Whether `member` attended `session` on `day` (a day within the session); audited."""
    _require_participant(session, member)
    _require_day_in_session(session, day)
    with write_transaction():
        attendance, _created = Attendance.objects.update_or_create(
            session=session, member=member, day=day, defaults={"present": present}
        )
        audit(
            actor=actor,
            action="training.attendance",
            obj=session,
            mall_id=session.venue_id,
            data={"member": member.pk, "day": day.isoformat(), "present": present},
        )
    return attendance


def set_attendance(
    session: TrainingSession, present: set[tuple[int, dt.date]], *, actor: Any
) -> int:
    """The whole attendance grid of `session` at once: (member id, day) pairs in `present`
    attended, every other participant's day did not. Returns how many cells changed; one
    audit entry. Invariants: every pair names a participant and a day within the session."""
    participants = {m.pk: m for m in session.participants.all()}
    days = session_days(session)
    for member_id, day in present:
        if member_id not in participants:
            raise RolloutRefused(
                _("Peserta tidak terdaftar pada sesi ini."), TrainingCode.NOT_PARTICIPANT
            )
        _require_day_in_session(session, day)
    changed = 0
    with write_transaction():
        recorded = {
            (a.member_id, a.day): a
            for a in Attendance.objects.select_for_update().filter(session=session)
        }
        for member_id in participants:
            for day in days:
                want = (member_id, day) in present
                row = recorded.get((member_id, day))
                if row is None and want:
                    Attendance.objects.create(
                        session=session, member_id=member_id, day=day, present=True
                    )
                    changed += 1
                elif row is not None and row.present != want:
                    row.present = want
                    row.save(update_fields=["present"])
                    changed += 1
        if changed:
            audit(
                actor=actor,
                action="training.attendance",
                obj=session,
                mall_id=session.venue_id,
                data={"changed": changed, "present": len(present)},
            )
    return changed


# -- certificates ------------------------------------------------------------------------------

# Unambiguous letters and digits (no 0/O, 1/I/L): a code typed from paper is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31^12 ≈ 8·10^17: not guessed by trying


def new_check_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def region_abbreviation(region: Region) -> str:
    """The region's letters in a certificate number: its short name's consonants ("Kukar" →
    "KKR"), at most four."""
    letters = [c for c in region.short_name.upper() if c.isalpha() and c not in "AEIOU"]
    return "".join(letters[:4]) or region.slug[:3].upper()


def number_prefix(region: Region, year: int) -> str:
    return f"MPP-{region_abbreviation(region)}/PLT/{year}/"


def best_scores(member: StaffMember, session: TrainingSession) -> list[tuple[TrainingModule, int]]:
    """Each module of the session with `member`'s best passing score (the certificate's list);
    a module not passed is left out."""
    best: dict[int, int] = {}
    for module_id, score in Assessment.objects.filter(
        member=member, passed=True, module__sessions=session
    ).values_list("module_id", "score"):
        best[module_id] = max(score, best.get(module_id, 0))
    return [(m, best[m.pk]) for m in session.modules.order_by("order", "code") if m.pk in best]


def certificate_problems(member: StaffMember, session: TrainingSession) -> list[str]:
    """Why `member` may not have a certificate of `session` yet (empty: they may)."""
    problems = []
    if not session.participants.filter(pk=member.pk).exists():
        problems.append(_("bukan peserta sesi ini"))
    if not Attendance.objects.filter(session=session, member=member, present=True).exists():
        problems.append(_("belum tercatat hadir satu hari pun"))
    passed = passed_modules(member)
    missing = [m.title for m in session.modules.order_by("order", "code") if m.pk not in passed]
    if missing:
        problems.append(_("belum lulus modul: %(m)s") % {"m": ", ".join(missing)})
    return problems


def issue_certificate(member: StaffMember, session: TrainingSession, actor: Any) -> Certificate:
    """Issue `member`'s certificate of `session` (once: a second call returns the first).

    Invariants: the member attended at least one day and passed every module of the session;
    numbers are gapless per region and year: the region's row is locked while the next number
    is taken, so two certificates issued at once get two numbers (PostgreSQL; SQLite has one
    writer at a time)."""
    earlier = Certificate.objects.filter(member=member, session=session).first()
    if earlier is not None:
        return earlier
    problems = certificate_problems(member, session)
    if problems:
        if not session.participants.filter(pk=member.pk).exists():
            code = TrainingCode.NOT_PARTICIPANT
        elif session.modules.exclude(pk__in=passed_modules(member)).exists():
            code = TrainingCode.MODULES_NOT_PASSED
        else:
            code = TrainingCode.NOT_ATTENDED
        raise RolloutRefused(
            _("Sertifikat belum dapat diterbitkan untuk %(n)s: %(p)s.")
            % {"n": member.full_name, "p": "; ".join(problems)},
            code,
            status=409,
        )
    region = session.region
    now = clock.local_now(region.timezone)  # the year of the number is the region's year
    prefix = number_prefix(region, now.year)
    with write_transaction():
        Region.objects.select_for_update().filter(pk=region.pk).first()
        numbers = Certificate.objects.filter(
            session__region=region, number__startswith=prefix
        ).values_list("number", flat=True)
        last = max((int(n.rsplit("/", 1)[1]) for n in numbers), default=0)
        certificate = Certificate.objects.create(
            member=member,
            session=session,
            number=f"{prefix}{last + 1:04d}",
            code=new_check_code(),
            issued_at=now,
            issued_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="training.certificate_issued",
            obj=certificate,
            mall_id=session.venue_id,
            data={"number": certificate.number, "member": member.pk, "session": session.pk},
        )
    return certificate


def certificates_of(region: Region) -> QuerySet[Certificate]:
    return Certificate.objects.filter(session__region=region).select_related("member", "session")


def masked_name(full_name: str) -> str:
    """A name as the public verification page shows it: each word's first two letters, the
    rest dotted ("Siti Rahmawati" → "Si•• Ra••••••")."""
    return " ".join(
        w[:2] + "•" * max(len(w) - 2, 0) if len(w) > 2 else w[:1] + "•" * (len(w) - 1)
        for w in full_name.split()
    )
