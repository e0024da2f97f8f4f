"""The ceremony day (issue 20, item 5): a couple found by their code or their receipt's QR, the
couple, wali and witnesses checked in, the marriage book number recorded as the KUA issues it —
which opens the civil registry's follow-up in the same transaction — and the live count for the
organisers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.programs import civil
from mpp.programs.exceptions import ProgramCode, ProgramRefused
from mpp.programs.fees import rupiah
from mpp.programs.kua import bad_step
from mpp.programs.models import CivilTask, Programme, Registration


class Arrival(StrEnum):
    """Who is checked in at the akad."""

    COUPLE = "couple"
    WALI = "wali"
    WITNESSES = "witnesses"


ARRIVAL_FIELD = {
    Arrival.COUPLE: "couple_checked_in_at",
    Arrival.WALI: "wali_checked_in_at",
    Arrival.WITNESSES: "witnesses_checked_in_at",
}

# A registration code as typed or read aloud (NM-7K3Q9X, nm 7k3q9x), and the couple's page
# in the receipt's QR (https://…/program/pendaftaran/<access_key>/).
_CODE = re.compile(r"^([A-Z]{2})[\s-]?([2-9A-HJ-NP-Z]{6})$")
_PAGE = re.compile(r"/program/pendaftaran/([A-Za-z0-9_-]{20,40})/?$")


def find_for_check_in(programme: Programme, text: str) -> Registration | None:
    """The programme's registration named by `text`: a code, or the scanned QR's URL of the
    couple's page (its access key). None when it names nobody in this programme."""
    text = text.strip()
    if not text or len(text) > 500:
        return None
    found = Registration.objects.select_related("session").filter(programme=programme)
    page = _PAGE.search(urlsplit(text).path) if "/" in text else None
    if page is not None:
        return found.filter(access_key=page.group(1)).first()
    code = _CODE.match(text.upper())
    if code is None:
        return None
    return found.filter(code=f"{code.group(1)}-{code.group(2)}").first()


def check_in(*, registration: Registration, who: str, acting_user: object) -> Registration:
    """Mark the couple, the wali or the witnesses present; a second scan keeps the first
    time. Only a scheduled couple is checked in."""
    arrival = Arrival(who)
    field = ARRIVAL_FIELD[arrival]
    with write_transaction():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != Registration.Status.SCHEDULED:
            raise bad_step(locked, _("Hanya pasangan yang terjadwal akad dapat dicatat hadir."))
        if getattr(locked, field) is None:
            setattr(locked, field, clock.now())
            locked.save(update_fields=[field, "updated_at"])
            audit(
                actor=acting_user,
                action="programs.ceremony.checked_in",
                obj=locked,
                mall_id=registration.programme.mall_id,
                data={"code": locked.code, "who": str(arrival)},
            )
    return locked


def record_marriage(
    *, registration: Registration, marriage_book_number: str, acting_user: object
) -> Registration:
    """Record the akad with the marriage book number the KUA issued, and open the couple's
    civil follow-up (civil.open_follow_up) in the same transaction.

    Invariants: only a scheduled couple whose couple and wali are checked in and whose fee is
    paid or Rp0; one book number once per programme (a unique index; the programme's row is
    locked while it is checked, so the second of two officers typing one number at once gets
    the message, not a database error)."""
    number = " ".join(marriage_book_number.split())
    if not number:
        raise ProgramRefused(
            _("Tulis nomor buku nikah yang diterbitkan KUA."),
            code=ProgramCode.BOOK_NUMBER_REQUIRED,
        )
    programme = registration.programme
    with write_transaction():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != Registration.Status.SCHEDULED:
            raise bad_step(locked, _("Hanya pasangan yang terjadwal akad dapat dicatat menikah."))
        if locked.couple_checked_in_at is None or locked.wali_checked_in_at is None:
            raise bad_step(locked, _("Catat kehadiran pasangan dan wali lebih dulu."))
        if not locked.is_paid_or_free:
            raise ProgramRefused(
                _("Biaya nikah %(f)s belum tercatat dibayar: catat bukti setor bank lebih dulu.")
                % {"f": rupiah(locked.fee_idr)},
                code=ProgramCode.FEE_UNPAID,
                status=409,
            )
        taken = (
            Registration.objects.filter(programme_id=programme.pk, marriage_book_number=number)
            .exclude(pk=locked.pk)
            .exists()
        )
        if taken:
            raise ProgramRefused(
                _("Nomor buku nikah %(n)s sudah dicatat untuk pasangan lain.") % {"n": number},
                code=ProgramCode.BOOK_NUMBER_TAKEN,
                status=409,
            )
        locked.status = Registration.Status.MARRIED
        locked.marriage_book_number = number
        locked.married_at = clock.now()
        locked.save(update_fields=["status", "marriage_book_number", "married_at", "updated_at"])
        audit(
            actor=acting_user,
            action="programs.registration.married",
            obj=locked,
            mall_id=programme.mall_id,
            data={"code": locked.code, "marriage_book_number": number},
        )
        locked.programme = programme
        civil.open_follow_up(registration=locked, acting_user=acting_user)
    return locked


@dataclass(frozen=True)
class DayCount:
    """The organisers' live count: numbers only, nobody's name or code."""

    scheduled: int
    checked_in: int
    married: int
    kk_done: int


def day_count(programme: Programme) -> DayCount:
    """Couples scheduled (or married), checked in, married, and new KKs done (two queries)."""
    on_the_day = (Registration.Status.SCHEDULED, Registration.Status.MARRIED)
    row = Registration.objects.filter(programme=programme).aggregate(
        scheduled=Count("pk", filter=Q(status__in=on_the_day)),
        checked_in=Count("pk", filter=Q(status__in=on_the_day, couple_checked_in_at__isnull=False)),
        married=Count("pk", filter=Q(status=Registration.Status.MARRIED)),
    )
    kk_done = CivilTask.objects.filter(
        registration__programme=programme,
        kind=CivilTask.Kind.KK,
        status=CivilTask.Status.DONE,
    ).count()
    return DayCount(
        scheduled=row["scheduled"],
        checked_in=row["checked_in"],
        married=row["married"],
        kk_done=kk_done,
    )
