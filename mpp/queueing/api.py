"""The queue's JSON API (contract of issue 3): tickets, counters, the board snapshot."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Path, Router, Schema, Status
from pydantic import Field

from mpp.accounts.tokens import STAFF_AUTH as STAFF
from mpp.accounts.tokens import OptionalBearer
from mpp.applications.models import Application
from mpp.catalog.access import access_service
from mpp.core.ids import MAX_ID, JsonId
from mpp.core.text import NO_NUL
from mpp.malls.access import access_public_mall
from mpp.malls.api import BadRequest, Error
from mpp.queueing import actions
from mpp.queueing.access import (
    access_counter,
    access_issuing,
    access_slip_by_code,
    access_ticket_for_staff,
    idempotency_owner,
    issuing_channel,
)
from mpp.queueing.checkin import check_in, kiosk_device_mall
from mpp.queueing.limits import holder_of
from mpp.queueing.models import CallEstimate, Counter, Ticket
from mpp.queueing.queries import board_snapshot, ticket_status

router = Router(tags=["antrean"])


class QueueProblem(Schema):
    detail: str
    code: str


class TicketIn(Schema):
    service_id: JsonId
    priority: Ticket.Priority = Ticket.Priority.NONE


class EstimateOut(Schema):
    """When the number is expected to be called (docs/adr/0034): `from`–`to` in the mall's
    time, the range that about 85 % of calls land in."""

    from_: str = Field(alias="from", description="HH:MM, waktu mal: paling cepat")
    to: str = Field(description="HH:MM, waktu mal: paling lambat")
    earliest: str = Field(description="ISO 8601, waktu mal")
    latest: str = Field(description="ISO 8601, waktu mal")
    expected: str = Field(description="ISO 8601, waktu mal: perkiraan tengah")
    label: str = Field(description="misalnya “sekitar 10.20–10.35”")


class TicketOut(Schema):
    id: int
    code: str = Field(description="id rahasia halaman ponsel tiket")
    number: str = Field(description="misalnya A001")
    service_id: int
    status: str
    ahead: int
    estimate: EstimateOut | None = Field(
        None, description="perkiraan waktu dipanggil; kosong bila tidak ada loket yang buka"
    )


class TicketStatusOut(Schema):
    number: str
    status: str
    ahead: int = Field(
        description="nomor yang akan dipanggil lebih dulu menurut aturan keadilan (jalur "
        "prioritas dan batas tunggu), bila tidak ada yang datang lagi"
    )
    estimate: EstimateOut | None = Field(
        None, description="perkiraan waktu dipanggil; kosong bila tidak ada loket yang buka"
    )
    can_cancel: bool = Field(False, description="nomor masih menunggu dan dapat dibatalkan")
    counter: int | None
    service: str
    mall_id: int
    transferred_from: str | None = Field(
        None, description="nomor pada slip bila tiket sudah dialihkan ke layanan lain"
    )


class StaffTicketOut(Schema):
    id: int
    number: str
    status: str
    counter: int | None
    priority: str
    call_reason: str
    recall_count: int
    application_code: str | None = Field(
        None, description="kode tanda terima permohonan yang dibuka (hasil `received`)"
    )


class FinishIn(Schema):
    outcome: Ticket.Outcome
    reason: str = Field("", max_length=255, pattern=NO_NUL)
    phone: str = Field(
        "",
        max_length=32,
        pattern=NO_NUL,
        description="hanya untuk `received`: nomor HP warga untuk tanda terima dan kabar siap",
    )


class TransferIn(Schema):
    service_id: JsonId


class CallIn(Schema):
    ticket_id: JsonId
    reason: str = Field(..., min_length=1, max_length=255, pattern=NO_NUL)


class CounterStatusIn(Schema):
    status: Counter.Status


class CounterOut(Schema):
    id: int
    number: int
    status: str


def _staff_ticket(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.pk,
        "number": t.display_number,
        "status": t.status,
        "counter": t.counter.number if t.counter else None,
        "priority": t.priority,
        "call_reason": t.call_reason,
        "recall_count": t.recall_count,
    }


@router.post(
    "/malls/{mall_id}/tickets",
    auth=OptionalBearer(),
    response={
        201: TicketOut,
        200: TicketOut,
        400: QueueProblem | BadRequest,
        401: Error,
        403: QueueProblem | Error,
        404: Error,
        422: QueueProblem,
        429: QueueProblem | Error,
    },
    summary="Ambil nomor antrean (kios, ponsel, petugas)",
    by_alias=True,  # the estimate's "from" (EstimateOut)
    description=(
        "Warga (tanpa token) lewat kanal online yang dibatasi per alamat; perangkat kios hanya "
        "di malnya; administrator, pengawas mal, dan petugas instansi dalam cakupannya "
        "(kanal `staff`, atas nama warga di loket); pimpinan dan auditor tidak dapat mengambil "
        "nomor (403, kode `read_only_role`, `kiosk_other_mall`, atau `outside_scope`). "
        "Sesi peramban petugas memerlukan token CSRF (`X-CSRFToken`); token Bearer tidak. "
        "`Idempotency-Key` menandai satu permintaan dari satu pemanggil (token, pengguna, atau "
        "cookie peramban): diulang dengan isi yang sama oleh pemanggil yang sama, tiket yang "
        "sama dikembalikan (200); dipakai lagi untuk layanan atau prioritas lain, ditolak "
        "dengan 422 dan kode `idempotency_key_reused`; kunci yang sama dari pemanggil lain "
        "adalah kunci lain (tiket baru); pemanggil tanpa token maupun cookie tidak dapat "
        "memakainya (400, `idempotency_key_without_caller`)."
    ),
)
def issue(
    request: HttpRequest,
    payload: TicketIn,
    mall_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", max_length=80, pattern=NO_NUL
    ),
) -> Status[dict[str, Any]]:
    mall, service = access_issuing(mall_id, payload.service_id)
    who = request.auth  # type: ignore[attr-defined]  # set by django-ninja's auth
    channel = issuing_channel(who, mall, service)
    citizen = channel in actions.REMOTE_CHANNELS
    if citizen and not actions.phone_may_issue(request.META.get("REMOTE_ADDR", "")):
        return Status(
            429,
            {
                "detail": _("Terlalu banyak permintaan; coba lagi sebentar lagi."),
                "code": "rate_limited",
            },
        )
    issued = actions.issue_ticket(
        mall=mall,
        service=service,
        channel=channel,
        priority=payload.priority,
        idempotency_key=idempotency_key,
        idempotency_owner=idempotency_owner(request),
        holder=holder_of(request) if citizen else "",
        acting_user=None if citizen else who,
    )
    t = issued.ticket
    status = ticket_status(t, shown=CallEstimate.Shown.API)
    body = {
        "id": t.pk,
        "code": t.code,
        "number": t.display_number,
        "service_id": t.service_id,
        "status": t.status,
        "ahead": status["ahead"],
        "estimate": status["estimate"],
    }
    return Status(201 if issued.created else 200, body)


@router.get(
    "/tickets/{code}",
    response={200: TicketStatusOut, 404: Error},
    summary="Status tiket untuk halaman ponsel",
    by_alias=True,  # the estimate's "from" (EstimateOut)
)
def get_ticket(
    request: HttpRequest, code: str = Path(..., max_length=32, pattern=NO_NUL)
) -> dict[str, Any]:
    slip, ticket = access_slip_by_code(code)
    return ticket_status(ticket, slip=slip, shown=CallEstimate.Shown.API)


@router.post(
    "/tickets/{code}/cancel",
    auth=OptionalBearer(),
    response={
        200: TicketStatusOut,
        400: BadRequest,
        401: Error,
        403: Error,
        404: Error,
        409: QueueProblem,
    },
    summary="Batalkan nomor antrean yang masih menunggu (warga)",
    by_alias=True,  # the estimate's "from" (EstimateOut)
    description=(
        "Kode halaman ponsel adalah izinnya: pemegang kode dapat membatalkan nomornya selama "
        "belum dipanggil (409 dengan kode `ticket_called`, `ticket_cancelled`, dan seterusnya "
        "bila tidak lagi menunggu). Sesi peramban yang masuk memerlukan token CSRF (403)."
    ),
)
def cancel(
    request: HttpRequest, code: str = Path(..., max_length=32, pattern=NO_NUL)
) -> dict[str, Any]:
    slip, ticket = access_slip_by_code(code)
    ticket = actions.cancel_ticket(ticket=ticket, acting_user=None, channel="api")
    return ticket_status(ticket, slip=slip)


class AlertIn(Schema):
    phone: str = Field("", max_length=40, pattern=NO_NUL, description="nomor HP: 08…, 628…")
    email: str = Field("", max_length=254, pattern=NO_NUL)


class AlertOut(Schema):
    on: bool
    contact: str = Field(description="kontak yang disamarkan, misalnya 0812****789")


@router.post(
    "/tickets/{code}/alert",
    auth=OptionalBearer(),
    response={201: AlertOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: QueueProblem},
    summary="Minta pemberitahuan '3 nomor lagi' dan 'giliran Anda' (warga)",
    description=(
        "Kode halaman ponsel adalah izinnya. Pesan dikirim lewat WhatsApp (nomor HP) atau surel, "
        "sekali untuk tiap peristiwa; kontak dihapus setelah hari layanan berakhir. 400 "
        "`contact_required`, `invalid_phone`, `invalid_email`; 409 `ticket_<status>` bila nomor "
        "tidak lagi menunggu. Sesi peramban yang masuk memerlukan token CSRF (403)."
    ),
)
def alert_on(
    request: HttpRequest, payload: AlertIn, code: str = Path(..., max_length=32, pattern=NO_NUL)
) -> Any:
    from mpp.queueing import alerts

    _slip, ticket = access_slip_by_code(code)
    alerts.turn_on(ticket, phone=payload.phone, email=payload.email)
    shown = alerts.shown(ticket)
    return Status(201, {"on": shown.on, "contact": shown.contact})


@router.delete(
    "/tickets/{code}/alert",
    auth=OptionalBearer(),
    response={204: None, 401: Error, 403: Error, 404: Error},
    summary="Matikan pemberitahuan tiket (kontaknya dihapus)",
)
def alert_off(request: HttpRequest, code: str = Path(..., max_length=32, pattern=NO_NUL)) -> Any:
    from mpp.queueing import alerts

    _slip, ticket = access_slip_by_code(code)
    alerts.turn_off(ticket)
    return Status(204, None)


@router.post(
    "/counters/{counter_id}/status",
    auth=STAFF,
    response={
        200: CounterOut,
        400: BadRequest,
        401: Error,
        403: Error,
        404: Error,
        409: QueueProblem,
    },
    summary="Buka, jeda, atau tutup loket",
    description=(
        "409 dengan kode `training_missing` bila loket Mini MPP dibuka oleh petugas yang belum "
        "lulus modul pelatihan yang dibutuhkan (pesannya menyebut modulnya), atau kode antrean "
        "lain bila loket tidak dapat berganti status."
    ),
)
def counter_status(
    request: HttpRequest, payload: CounterStatusIn, counter_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    counter = actions.set_counter_status(
        counter=access_counter(request.user, counter_id),
        status=payload.status,
        acting_user=request.user,
    )
    return {"id": counter.pk, "number": counter.number, "status": counter.status}


@router.post(
    "/counters/{counter_id}/call-next",
    auth=STAFF,
    response={
        200: StaffTicketOut,
        204: None,
        400: BadRequest,
        401: Error,
        403: Error,
        404: Error,
        409: QueueProblem,
    },
    summary="Panggil nomor berikutnya",
)
def call_next(request: HttpRequest, counter_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    ticket = actions.call_next_ticket(
        counter=access_counter(request.user, counter_id), acting_user=request.user
    )
    if ticket is None:
        return Status(204, None)
    return _staff_ticket(ticket)


@router.post(
    "/counters/{counter_id}/call",
    auth=STAFF,
    response={
        200: StaffTicketOut,
        400: BadRequest,
        401: Error,
        403: Error,
        404: Error,
        409: QueueProblem,
    },
    summary="Panggil nomor tertentu di luar urutan (dengan alasan)",
)
def call_specific(
    request: HttpRequest, payload: CallIn, counter_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    counter = access_counter(request.user, counter_id)
    ticket = access_ticket_for_staff(request.user, payload.ticket_id)
    return _staff_ticket(
        actions.call_ticket(
            counter=counter, ticket=ticket, reason=payload.reason, acting_user=request.user
        )
    )


_STEP = {
    200: StaffTicketOut,
    400: BadRequest,
    401: Error,
    403: Error,
    404: Error,
    409: QueueProblem,
}


@router.post("/tickets/{ticket_id}/recall", auth=STAFF, response=_STEP, summary="Panggil ulang")
def recall(request: HttpRequest, ticket_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    ticket = access_ticket_for_staff(request.user, ticket_id)
    return _staff_ticket(actions.recall_ticket(ticket=ticket, acting_user=request.user))


@router.post("/tickets/{ticket_id}/start", auth=STAFF, response=_STEP, summary="Mulai melayani")
def start(request: HttpRequest, ticket_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    ticket = access_ticket_for_staff(request.user, ticket_id)
    return _staff_ticket(actions.start_ticket(ticket=ticket, acting_user=request.user))


@router.post(
    "/tickets/{ticket_id}/finish",
    auth=STAFF,
    response={**_STEP, 400: BadRequest | QueueProblem},
    summary="Selesai (selesai, harus kembali, ditolak dengan alasan, atau berkas diterima)",
    description=(
        "Hasil `received` (berkas diterima) membuka permohonan dengan batas selesai dari "
        "standar waktu layanan; kodenya di `application_code`. 400 `invalid_phone` bila "
        "`phone` bukan nomor HP."
    ),
)
def finish(
    request: HttpRequest, payload: FinishIn, ticket_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    ticket = access_ticket_for_staff(request.user, ticket_id)
    finished = actions.finish_ticket(
        ticket=ticket,
        outcome=payload.outcome,
        reason=payload.reason,
        acting_user=request.user,
        phone=payload.phone,
    )
    out = _staff_ticket(finished)
    if finished.outcome == Ticket.Outcome.FILES_RECEIVED:
        out["application_code"] = (
            Application.objects.filter(ticket_code=finished.code)
            .values_list("code", flat=True)
            .first()
        )
    return out


@router.post(
    "/tickets/{ticket_id}/no-show",
    auth=STAFF,
    response=_STEP,
    summary="Tidak hadir setelah dipanggil ulang",
)
def no_show(request: HttpRequest, ticket_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    ticket = access_ticket_for_staff(request.user, ticket_id)
    return _staff_ticket(actions.mark_no_show(ticket=ticket, acting_user=request.user))


@router.post(
    "/tickets/{ticket_id}/transfer",
    auth=STAFF,
    response=_STEP,
    summary="Alihkan ke layanan lain, waktu tunggu tetap",
    description=(
        "Memberi nomor baru di antrean layanan tujuan dengan waktu tunggu semula. Ditolak "
        "dengan 409 dan kode `same_service` bila tiket sudah berada di layanan itu, dengan 400 "
        "bila layanan tujuan tidak tersedia di mal ini atau tidak menerima nomor hari ini "
        "(misalnya `service_not_offered`, `not_today`)."
    ),
)
def transfer(
    request: HttpRequest, payload: TransferIn, ticket_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    ticket = access_ticket_for_staff(request.user, ticket_id)
    new = actions.transfer_ticket(
        ticket=ticket, service=access_service(payload.service_id), acting_user=request.user
    )
    return _staff_ticket(new)


@router.get(
    "/malls/{mall_id}/board",
    response={200: dict, 400: BadRequest, 404: Error},
    summary="Cuplikan papan antrean dengan nomor urut peristiwa (seq)",
)
def board(request: HttpRequest, mall_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return board_snapshot(access_public_mall(mall_id=mall_id))


# --- checking in a booking at the kiosk (docs/adr/0036) -----------------------------------


class CheckInOut(TicketOut):
    late: bool = Field(
        description="lapor hadir sesudah batas waktunya: nomor diantrekan seperti pengunjung "
        "langsung"
    )
    message: str = Field(description="pesan untuk warga, dalam bahasa Indonesia")


@router.post(
    "/appointments/{code}/check-in",
    auth=STAFF,
    response={
        201: CheckInOut,
        200: CheckInOut,
        400: QueueProblem | BadRequest,
        401: Error,
        403: QueueProblem | Error,
        404: QueueProblem | Error,
        409: QueueProblem,
    },
    summary="Lapor hadir janji temu di kios (perangkat kios mal itu)",
    by_alias=True,  # the estimate's "from" (EstimateOut)
    description=(
        "Hanya perangkat kios, untuk janji temu di malnya (403, kode `not_a_kiosk` atau "
        "`appointment_other_mall` dengan nama mal tujuannya). Kode boleh berkelompok "
        "(`7K3Q-9XM2-PD`). Tepat waktu — sejak `checkin_before_minutes` sebelum sesi sampai "
        "`checkin_after_minutes` sesudah mulainya — nomor menunggu sejak mulainya sesi (aturan "
        "keadilan, docs/adr/0036); sesudahnya nomor diantrekan seperti pengunjung langsung "
        "(`late`: true). Lapor hadir lagi pada hari yang sama mengembalikan nomor yang sama "
        "(200). 400 `too_early` (pesannya menyebut jam mulai lapor hadir) atau penolakan "
        "antrean (`mall_closed`, `not_today`, ...); 404 `appointment_not_found`; 409 "
        "`appointment_cancelled`, `appointment_closed`, `appointment_no_show`, "
        "`appointment_not_today`, `appointment_used`."
    ),
)
def check_in_appointment(
    request: HttpRequest, code: str = Path(..., min_length=1, max_length=64, pattern=NO_NUL)
) -> Status[dict[str, Any]]:
    mall = kiosk_device_mall(request.user)
    done = check_in(code=code, mall=mall, acting_user=request.user)
    t = done.ticket
    # The same answer as a ticket taken at the kiosk (issue above), with the booking's words.
    status = ticket_status(t, shown=CallEstimate.Shown.API)
    body = {
        "id": t.pk,
        "code": t.code,
        "number": t.display_number,
        "service_id": t.service_id,
        "status": t.status,
        "ahead": status["ahead"],
        "estimate": status["estimate"],
        "late": done.late,
        "message": done.message,
    }
    return Status(201 if done.created else 200, body)
