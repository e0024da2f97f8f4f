"""The KUA's verification of a couple (issue 20, items 3 and 4): each document checked, the
registration approved or returned with reasons, the couple scheduled into an akad session, the
fee's basis, bearer and bank receipt recorded, and who read the couple's NIKs.

The steps follow one order: submitted (or returned) → approved → scheduled → married
(ceremony.record_marriage). A step out of order is refused with `bad_step` (409). Every step is
one write transaction with its audit entry, so nothing is half done.

A session's places are taken by a conditional UPDATE of its `scheduled_count`
(`scheduled_count < capacity`): never above the capacity, whatever the concurrency, on SQLite
and PostgreSQL alike; the CheckConstraint akad_session_within_capacity is the last guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import F
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.programs.exceptions import ProgramCode, ProgramRefused
from mpp.programs.models import (
    TARIFF_IDR,
    AkadSession,
    Document,
    FeeBearer,
    Programme,
    Registration,
    TariffBasis,
)

# Where the KUA may still check documents, approve or return.
VERIFYING = (Registration.Status.SUBMITTED, Registration.Status.RETURNED)
# After the akad nothing of the registration's fee or schedule changes.
CLOSED = (Registration.Status.MARRIED, Registration.Status.CANCELLED)


def bad_step(registration: Registration, message: str) -> ProgramRefused:
    """A step the registration's status does not allow now (409)."""
    return ProgramRefused(
        _("%(m)s Status pendaftaran %(c)s: %(s)s.")
        % {"m": message, "c": registration.code, "s": registration.get_status_display()},
        code=ProgramCode.BAD_STEP,
        status=409,
    )


def _locked(registration: Registration) -> Registration:
    """The registration's row, locked until the transaction ends: two officers acting on one
    couple at once take turns (SQLite's one writer does the same)."""
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _today(programme: Programme) -> dt.date:
    return clock.local_now(programme.region.timezone).date()


def check_document(
    *, document: Document, accepted: bool, note: str, acting_user: object
) -> Document:
    """Accept or reject one document of a couple under verification; a rejection needs a note
    (the couple reads it on their page). A document marked "dibawa" or even missing online may
    be accepted: the officer checks the paper the couple brought to the KUA."""
    note = note.strip()
    if not accepted and not note:
        raise ProgramRefused(
            _("Tulis alasan dokumen ditolak: pasangan membacanya di halaman mereka."),
            code=ProgramCode.REASON_REQUIRED,
        )
    with write_transaction():
        registration = _locked(document.registration)
        if registration.status not in VERIFYING:
            raise bad_step(registration, _("Dokumen hanya diperiksa sebelum disetujui."))
        document = Document.objects.select_for_update().get(pk=document.pk)
        document.status = Document.Status.ACCEPTED if accepted else Document.Status.REJECTED
        document.note = note[:300]
        document.checked_by = acting_user  # type: ignore[assignment]
        document.checked_at = clock.now()
        document.save(update_fields=["status", "note", "checked_by", "checked_at"])
        audit(
            actor=acting_user,
            action="programs.document.accepted" if accepted else "programs.document.rejected",
            obj=document,
            mall_id=_programme(registration).mall_id,
            data={"code": registration.code, "kind": document.kind, "who": document.who},
        )
    document.registration = registration
    return document


def approve_registration(*, registration: Registration, acting_user: object) -> Registration:
    """Approve a couple whose every document the KUA accepted."""
    with write_transaction():
        locked = _locked(registration)
        if locked.status not in VERIFYING:
            raise bad_step(locked, _("Hanya pendaftaran yang sedang diperiksa dapat disetujui."))
        open_items = locked.documents.exclude(status=Document.Status.ACCEPTED).count()
        if open_items:
            raise ProgramRefused(
                _("%(n)d dokumen belum diterima KUA: periksa semuanya sebelum menyetujui.")
                % {"n": open_items},
                code=ProgramCode.DOCUMENTS_INCOMPLETE,
                status=409,
            )
        locked.status = Registration.Status.APPROVED
        locked.return_reason = ""
        locked.decided_by = acting_user  # type: ignore[assignment]
        locked.decided_at = clock.now()
        locked.save(
            update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"]
        )
        audit(
            actor=acting_user,
            action="programs.registration.approved",
            obj=locked,
            mall_id=_programme(locked).mall_id,
            data={"code": locked.code},
        )
    return locked


def return_registration(
    *, registration: Registration, reason: str, acting_user: object
) -> Registration:
    """Return a couple's registration to be completed, with the reasons they read. An approved
    couple not yet scheduled may be returned too (a document found wrong later)."""
    reason = reason.strip()
    if not reason:
        raise ProgramRefused(
            _("Tulis alasan pengembalian: pasangan perlu tahu apa yang harus dilengkapi."),
            code=ProgramCode.REASON_REQUIRED,
        )
    with write_transaction():
        locked = _locked(registration)
        if locked.status not in (Registration.Status.SUBMITTED, Registration.Status.APPROVED):
            raise bad_step(locked, _("Pendaftaran ini tidak dapat dikembalikan sekarang."))
        before = locked.status
        locked.status = Registration.Status.RETURNED
        locked.return_reason = reason
        locked.decided_by = acting_user  # type: ignore[assignment]
        locked.decided_at = clock.now()
        locked.save(
            update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"]
        )
        audit(
            actor=acting_user,
            action="programs.registration.returned",
            obj=locked,
            mall_id=_programme(locked).mall_id,
            data={"code": locked.code, "from": before, "reason": reason},
        )
    return locked


def cancel_registration(
    *, registration: Registration, reason: str, acting_user: object
) -> Registration:
    """Withdraw a couple who will not marry at this programme (they asked, or cannot come),
    with the reason they read: their place in the quota and in their session go back to the
    programme. A married couple is never cancelled. The couple's NIKs stay registered in this
    programme (the unique index): they register again in a later one."""
    reason = reason.strip()
    if not reason:
        raise ProgramRefused(
            _("Tulis alasan pembatalan: pasangan membacanya di halaman pendaftaran mereka."),
            code=ProgramCode.REASON_REQUIRED,
        )
    with write_transaction():
        locked = _locked(registration)
        if locked.status in (Registration.Status.MARRIED, Registration.Status.CANCELLED):
            raise bad_step(locked, _("Pendaftaran ini tidak dapat dibatalkan lagi."))
        before, session_id = locked.status, locked.session_id
        Programme.objects.filter(pk=locked.programme_id, registered_count__gt=0).update(
            registered_count=F("registered_count") - 1
        )
        if session_id is not None:
            AkadSession.objects.filter(pk=session_id, scheduled_count__gt=0).update(
                scheduled_count=F("scheduled_count") - 1
            )
        locked.status = Registration.Status.CANCELLED
        locked.session = None
        locked.return_reason = reason
        locked.decided_by = acting_user  # type: ignore[assignment]
        locked.decided_at = clock.now()
        locked.save(
            update_fields=[
                "status",
                "session",
                "return_reason",
                "decided_by",
                "decided_at",
                "updated_at",
            ]
        )
        audit(
            actor=acting_user,
            action="programs.registration.cancelled",
            obj=locked,
            mall_id=_programme(locked).mall_id,
            data={"code": locked.code, "from": before, "session": session_id, "reason": reason},
        )
    return locked


def schedule_couple(
    *, registration: Registration, session: AkadSession, acting_user: object
) -> Registration:
    """Put an approved couple into `session` (or move a scheduled couple to it), taking one of
    its places by conditional UPDATE: refused with `session_full` (409) when none is left."""
    if session.programme_id != registration.programme_id:
        raise ProgramRefused(
            _("Sesi akad ini bukan milik program pasangan."), code=ProgramCode.BAD_STEP, status=409
        )
    with write_transaction():
        locked = _locked(registration)
        if locked.status not in (Registration.Status.APPROVED, Registration.Status.SCHEDULED):
            raise bad_step(locked, _("Hanya pasangan yang disetujui KUA dapat dijadwalkan."))
        before = locked.session_id
        if before == session.pk:
            return locked
        taken = AkadSession.objects.filter(pk=session.pk, scheduled_count__lt=F("capacity")).update(
            scheduled_count=F("scheduled_count") + 1
        )
        if not taken:
            raise ProgramRefused(
                _("Sesi akad %(s)s sudah penuh (%(c)d pasangan). Pilih sesi lain.")
                % {"s": session, "c": session.capacity},
                code=ProgramCode.SESSION_FULL,
                status=409,
            )
        if before is not None:  # a move gives the old session's place back
            AkadSession.objects.filter(pk=before, scheduled_count__gt=0).update(
                scheduled_count=F("scheduled_count") - 1
            )
        locked.session = session
        locked.status = Registration.Status.SCHEDULED
        locked.save(update_fields=["session", "status", "updated_at"])
        audit(
            actor=acting_user,
            action="programs.registration.scheduled",
            obj=locked,
            mall_id=_programme(locked).mall_id,
            data={"code": locked.code, "session": session.pk, "from_session": before},
        )
    return locked


def record_fee(
    *,
    registration: Registration,
    tariff_basis: str,
    fee_bearer: str,
    sponsor_name: str,
    receipt_number: str,
    paid_on: dt.date | None,
    acting_user: object,
) -> Registration:
    """Record a couple's fee: its legal basis (the amount follows from it, TARIFF_IDR), who
    bears it, and the bank receipt once the PNBP is paid (PP 48/2014 jo. PP 59/2018).

    Invariants: a sponsor is named; a receipt has both its number and a date not in the
    future; nothing changes after the akad."""
    basis = TariffBasis(tariff_basis)
    bearer = FeeBearer(fee_bearer)
    sponsor_name, receipt_number = sponsor_name.strip(), receipt_number.strip()
    if bearer == FeeBearer.SPONSOR and not sponsor_name:
        raise ProgramRefused(
            _("Tulis nama sponsor yang menanggung biaya."), code=ProgramCode.SPONSOR_REQUIRED
        )
    if bool(receipt_number) != (paid_on is not None):
        raise ProgramRefused(
            _("Bukti setor bank dicatat dengan nomor dan tanggal setornya."),
            code=ProgramCode.RECEIPT_INVALID,
        )
    programme = _programme(registration)
    if paid_on is not None and paid_on > _today(programme):
        raise ProgramRefused(
            _("Tanggal setor tidak boleh setelah hari ini."), code=ProgramCode.RECEIPT_INVALID
        )
    fee = TARIFF_IDR[basis]
    with write_transaction():
        locked = _locked(registration)
        if locked.status in CLOSED:
            raise bad_step(locked, _("Biaya tidak lagi diubah setelah akad atau pembatalan."))
        locked.tariff_basis = basis
        locked.fee_idr = fee
        locked.fee_bearer = bearer
        locked.sponsor_name = sponsor_name if bearer == FeeBearer.SPONSOR else ""
        # Nothing is paid where nothing is due: a receipt of Rp0 would mislead the report.
        locked.receipt_number = receipt_number if fee else ""
        locked.paid_on = paid_on if fee else None
        locked.save(
            update_fields=[
                "tariff_basis",
                "fee_idr",
                "fee_bearer",
                "sponsor_name",
                "receipt_number",
                "paid_on",
                "updated_at",
            ]
        )
        audit(
            actor=acting_user,
            action="programs.fee.recorded",
            obj=locked,
            mall_id=programme.mall_id,
            data={
                "code": locked.code,
                "tariff_basis": str(basis),
                "fee_idr": fee,
                "fee_bearer": str(bearer),
                "sponsor_name": locked.sponsor_name,
                "receipt_number": locked.receipt_number,
                "paid_on": locked.paid_on.isoformat() if locked.paid_on else None,
            },
        )
    return locked


def record_nik_read(
    *,
    programme: Programme,
    registrations: Sequence[Registration],
    where: str,
    acting_user: object,
) -> None:
    """Log that `acting_user` was shown the NIKs of these couples (UU 27/2022: who read whose
    personal data): one entry per showing, on the couple (one) or the programme (a list),
    naming the codes whose NIKs were on the screen."""
    codes = [r.code for r in registrations]
    if not codes:
        return
    with write_transaction():
        audit(
            actor=acting_user,
            action="programs.nik.read",
            obj=registrations[0] if len(codes) == 1 else programme,
            mall_id=programme.mall_id,
            data={"programme": programme.slug, "codes": codes, "where": where},
        )


def record_file_read(*, document: Document, acting_user: object) -> None:
    """Log that `acting_user` opened a couple's uploaded document (personal data)."""
    registration = document.registration
    with write_transaction():
        audit(
            actor=acting_user,
            action="programs.document.read",
            obj=document,
            mall_id=registration.programme.mall_id,
            data={"code": registration.code, "kind": document.kind, "who": document.who},
        )


def _programme(registration: Registration) -> Programme:
    return registration.programme
