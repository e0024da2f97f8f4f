"""Every change of a complaint: filed by a citizen (the form or the API), a reply from the
complainant, verified and assigned to a tenant or dismissed, answered, closed, escalated.

Each action is atomic and audited (a citizen's steps with no actor); its message is written to
the outbox in the same transaction and delivered after the commit (docs/adr/0033). Deadlines
are working days of the region's calendar (malls.calendar): 3 to verify (SP4N-LAPOR!'s
practice under Perpres 76/2013 on complaints about public services), then the tenant's
published `complaint_days` to answer.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mpp.catalog.models import MallTenant, Service, Tenant
from mpp.complaints import messages
from mpp.complaints.access import deployment_region
from mpp.complaints.exceptions import ComplaintCode, ComplaintRefused
from mpp.complaints.models import Complaint, Reply, Source, Status, Topic, new_code
from mpp.core import clock
from mpp.core.models import audit
from mpp.core.privacy import mask_personal_data
from mpp.malls.calendar import add_working_days
from mpp.malls.models import Mall, Region
from mpp.notifications.phone import InvalidPhone, mask_phone, parse_phone

VERIFY_WORKING_DAYS = 3
MAX_TEXT = 2000  # a complaint says what happened; a longer story goes to SP4N-LAPOR!
MAX_REPLY = 2000
MAX_WHERE = 200
MAX_REFERENCE = 40
# A SP4N-LAPOR! tracking number as the site shows it: digits, sometimes with a prefix.
LAPOR_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9/-]{2,39}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def region_of(mall: Mall | None) -> Region:
    """The calendar a complaint's days follow: its mall's region, else the deployment's."""
    if mall is not None:
        return mall.region
    region = deployment_region()
    if region is None:  # pragma: no cover - a deployment always loads its region
        raise RuntimeError("settings.MPP_REGION names no loaded region")
    return region


def region_zone(mall: Mall | None) -> ZoneInfo:
    return ZoneInfo(region_of(mall).timezone)


def local_today(mall: Mall | None) -> dt.date:
    """Today in the region's time zone (a complaint filed at 07:00 WITA is today's there)."""
    return clock.now().astimezone(region_zone(mall)).date()


def parse_contact(text: str) -> str:
    """A phone number (stored as parse_phone gives it) or an e-mail address; "" for none."""
    value = text.strip()
    if not value:
        return ""
    if "@" in value:
        if len(value) > 254 or not _EMAIL.fullmatch(value):
            raise ComplaintRefused(
                _("Alamat e-mail tidak valid."), code=ComplaintCode.INVALID_CONTACT, field="contact"
            )
        return value
    try:
        return parse_phone(value)
    except InvalidPhone:
        raise ComplaintRefused(
            _("Tulis nomor HP (08… atau +62…) atau alamat e-mail."),
            code=ComplaintCode.INVALID_CONTACT,
            field="contact",
        ) from None


def masked_contact(complaint: Complaint) -> str:
    """The contact as shown to staff: a phone as mask_phone gives it, an e-mail's first letter
    and domain."""
    contact = complaint.contact
    if not contact:
        return ""
    if "@" in contact:
        name, _at, domain = contact.partition("@")
        return f"{name[:1]}•••@{domain}"
    return mask_phone(contact)


def clean_text(text: str, *, field: str = "text", limit: int = MAX_TEXT) -> str:
    """The text as stored: trimmed, bounded, NIK- and phone-like numbers masked."""
    value = (text or "").strip()
    if not value:
        raise ComplaintRefused(
            _("Tuliskan apa yang terjadi."), code=ComplaintCode.EMPTY_TEXT, field=field
        )
    if len(value) > limit:
        raise ComplaintRefused(
            _("Paling banyak %(n)s karakter.") % {"n": limit},
            code=ComplaintCode.TEXT_TOO_LONG,
            field=field,
        )
    return mask_personal_data(value)[0]


def clean_lapor_number(text: str) -> str:
    value = (text or "").strip()
    if value and not LAPOR_NUMBER.fullmatch(value):
        raise ComplaintRefused(
            _("Nomor laporan SP4N-LAPOR! hanya huruf, angka, / dan -."),
            code=ComplaintCode.INVALID_LAPOR_NUMBER,
            field="lapor_number",
        )
    return value


def file_complaint(
    *,
    text: str,
    mall: Mall | None = None,
    service: Service | None = None,
    topic: str = Topic.OTHER,
    where: str = "",
    happened_on: dt.date | None = None,
    source: str = Source.OTHER,
    reference: str = "",
    contact: str = "",
    is_anonymous: bool = False,
    lapor_number: str = "",
) -> Complaint:
    """A citizen's complaint, received: a new tracking code and the date by which the mall
    verifies it (the 3rd working day after today). An anonymous complaint keeps no contact."""
    body = clean_text(text)
    stored_contact = "" if is_anonymous else parse_contact(contact)
    today = local_today(mall)
    if happened_on is not None and happened_on > today:
        raise ComplaintRefused(
            _("Tanggal kejadian tidak boleh setelah hari ini."),
            code=ComplaintCode.FUTURE_DATE,
            field="happened_on",
        )
    lapor = clean_lapor_number(lapor_number)
    now = clock.now()
    verify_by = add_working_days(region_of(mall), today, VERIFY_WORKING_DAYS)
    for _attempt in range(5):  # 31^12 codes: a clash is all but impossible, but cheap to retry
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    code=new_code(),
                    text=body,
                    topic=topic if topic in Topic.values else Topic.OTHER,
                    where=mask_personal_data(where.strip()[:MAX_WHERE])[0],
                    happened_on=happened_on,
                    mall=mall,
                    service=service,
                    source=source if source in Source.values else Source.OTHER,
                    reference=reference.strip()[:MAX_REFERENCE],
                    is_anonymous=is_anonymous,
                    contact=stored_contact,
                    created_at=now,
                    verify_by=verify_by,
                    lapor_number=lapor,
                )
                audit(
                    actor=None,
                    action="complaint.filed",
                    obj=complaint,
                    mall_id=complaint.mall_id,
                    data={"source": complaint.source, "topic": complaint.topic},
                )
                return complaint
        except IntegrityError:
            continue
    raise RuntimeError("no free complaint code after 5 tries")  # pragma: no cover


def _finished(complaint: Complaint) -> ComplaintRefused:
    return ComplaintRefused(
        _("Pengaduan ini sudah selesai atau tidak diproses."),
        code=ComplaintCode.FINISHED,
        status=409,
    )


def add_complainant_reply(
    *, complaint: Complaint, text: str = "", lapor_number: str = ""
) -> Complaint:
    """The complainant adds a message on the complaint's page, or their SP4N-LAPOR! number."""
    lapor = clean_lapor_number(lapor_number)
    body = clean_text(text, field="text", limit=MAX_REPLY) if text.strip() or not lapor else ""
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status in (Status.CLOSED, Status.DISMISSED):
            raise _finished(locked)
        if body:
            Reply.objects.create(complaint=locked, text=body, at=clock.now(), from_complainant=True)
        if lapor:
            locked.lapor_number = lapor
            locked.save(update_fields=["lapor_number"])
        audit(
            actor=None,
            action="complaint.complainant_replied",
            obj=locked,
            mall_id=locked.mall_id,
            data={"lapor_number": bool(lapor), "text": bool(body)},
        )
    return locked


def assignable_tenants(complaint: Complaint) -> list[Tenant]:
    """The tenants a complaint may be assigned to: those present at its mall, else every
    tenant of the region."""
    if complaint.mall_id is not None:
        ids = MallTenant.objects.filter(mall_id=complaint.mall_id).values("tenant_id")
        return list(Tenant.objects.filter(pk__in=ids))
    return list(Tenant.objects.filter(region=region_of(None)))


def verify_complaint(*, complaint: Complaint, tenant: Tenant, acting_user: object) -> Complaint:
    """Verified and assigned to `tenant`: it answers by its published `complaint_days`
    working days after today. A verified complaint not yet answered may be assigned again
    (the agency says it is not theirs, or the supervisor chose wrongly): the new agency's time
    runs from today; the first verification's time is kept for the report."""
    if tenant.pk not in {t.pk for t in assignable_tenants(complaint)}:
        raise ComplaintRefused(
            _("Instansi ini tidak melayani di mal pengaduan ini."),
            code=ComplaintCode.WRONG_TENANT,
            field="tenant",
        )
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status not in (Status.RECEIVED, Status.VERIFIED):
            raise ComplaintRefused(
                _("Pengaduan ini sudah dijawab atau ditutup."),
                code=ComplaintCode.OUT_OF_ORDER,
                status=409,
            )
        reassigned_from = locked.tenant_id if locked.status == Status.VERIFIED else None
        if reassigned_from == tenant.pk:
            raise ComplaintRefused(
                _("Pengaduan ini sudah diteruskan ke instansi itu."),
                code=ComplaintCode.ALREADY_ASSIGNED,
                status=409,
                field="tenant",
            )
        now = clock.now()
        locked.tenant = tenant
        if locked.service is not None and locked.service.tenant_id != tenant.pk:
            locked.service = None  # the service named belongs to another tenant
        locked.verified_at = locked.verified_at or now
        locked.answer_by = add_working_days(
            region_of(locked.mall), local_today(locked.mall), tenant.complaint_days
        )
        locked.status = Status.VERIFIED
        locked.save(update_fields=["tenant", "service", "verified_at", "answer_by", "status"])
        data: dict[str, object] = {"tenant": tenant.pk, "answer_by": locked.answer_by.isoformat()}
        if reassigned_from is not None:
            data["from_tenant"] = reassigned_from
        audit(
            actor=acting_user,
            action="complaint.reassigned" if reassigned_from else "complaint.verified",
            obj=locked,
            mall_id=locked.mall_id,
            data=data,
        )
    return locked


def dismiss_complaint(*, complaint: Complaint, reason: str, acting_user: object) -> Complaint:
    """Not processed (not a complaint about a public service, a duplicate...): the reason is
    shown to the complainant."""
    why = (reason or "").strip()
    if not why:
        raise ComplaintRefused(
            _("Tuliskan alasannya: pengadu akan membacanya."),
            code=ComplaintCode.REASON_REQUIRED,
            field="reason",
        )
    why = clean_text(why, field="reason", limit=MAX_REPLY)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status != Status.RECEIVED:
            raise ComplaintRefused(
                _("Hanya pengaduan yang belum diverifikasi yang dapat tidak diproses."),
                code=ComplaintCode.OUT_OF_ORDER,
                status=409,
            )
        locked.status = Status.DISMISSED
        locked.dismissed_reason = why
        locked.closed_at = clock.now()
        locked.save(update_fields=["status", "dismissed_reason", "closed_at"])
        audit(actor=acting_user, action="complaint.dismissed", obj=locked, mall_id=locked.mall_id)
        messages.dismissed(locked)  # the outbox row in this transaction; sent after commit
    return locked


def reply_to_complaint(
    *, complaint: Complaint, text: str, is_internal: bool, acting_user: object
) -> Reply:
    """A staff reply. A public one needs the complaint verified; the first public reply makes
    it answered (`answered_at`) and the complainant is told when they left a contact."""
    body = clean_text(text, field="text", limit=MAX_REPLY)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status in (Status.CLOSED, Status.DISMISSED):
            raise _finished(locked)
        if not is_internal and locked.status == Status.RECEIVED:
            raise ComplaintRefused(
                _("Verifikasi dan teruskan pengaduan ke instansi sebelum menjawab."),
                code=ComplaintCode.OUT_OF_ORDER,
                status=409,
            )
        now = clock.now()
        reply = Reply.objects.create(
            complaint=locked, text=body, at=now, by_id=getattr(acting_user, "pk", None),
            is_internal=is_internal,
        )  # fmt: skip
        if not is_internal and locked.answered_at is None:
            locked.answered_at = now
            locked.status = Status.ANSWERED
            locked.save(update_fields=["answered_at", "status"])
        audit(
            actor=acting_user,
            action="complaint.replied",
            obj=locked,
            mall_id=locked.mall_id,
            data={"reply": reply.pk, "internal": is_internal},
        )
        if not is_internal:
            messages.replied(locked, reply)  # written here, delivered after the commit
    return reply


def close_complaint(*, complaint: Complaint, acting_user: object) -> Complaint:
    """Closed by the mall's supervisor or the regency administrator once answered."""
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status != Status.ANSWERED:
            raise ComplaintRefused(
                _("Hanya pengaduan yang sudah dijawab yang dapat ditutup."),
                code=ComplaintCode.OUT_OF_ORDER,
                status=409,
            )
        locked.status = Status.CLOSED
        locked.closed_at = clock.now()
        locked.save(update_fields=["status", "closed_at"])
        audit(actor=acting_user, action="complaint.closed", obj=locked, mall_id=locked.mall_id)
    return locked


def is_late(complaint: Complaint, today: dt.date) -> bool:
    """Verification late after `verify_by`, or the answer late after `answer_by` (both days
    count whole: late from the next day on)."""
    if complaint.status == Status.RECEIVED:
        return today > complaint.verify_by
    if complaint.status == Status.VERIFIED and complaint.answer_by is not None:
        return today > complaint.answer_by
    return False


def escalate_late_complaints() -> int:
    """Complaints late in verification or in their answer go to the mall's supervisors (the
    regency administrators for a complaint with no mall): `escalated_at` is set once, by a
    conditional UPDATE, so two runs of the job never tell anyone twice."""
    now = clock.now()
    # No region's clock runs more than 14 hours ahead of UTC: a first cut in SQL, then each
    # complaint's own region decides.
    latest_today = (now + dt.timedelta(hours=14)).date()
    candidates = Complaint.objects.select_related("mall", "mall__region", "tenant").filter(
        Q(status=Status.RECEIVED, verify_by__lt=latest_today)
        | Q(status=Status.VERIFIED, answer_by__lt=latest_today),
        escalated_at__isnull=True,
    )
    escalated = 0
    for complaint in candidates:
        if not is_late(complaint, local_today(complaint.mall)):
            continue
        with transaction.atomic():
            won = Complaint.objects.filter(pk=complaint.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not won:
                continue
            complaint.escalated_at = now
            audit(
                actor=None,
                action="complaint.escalated",
                obj=complaint,
                mall_id=complaint.mall_id,
                data={"status": complaint.status},
            )
            messages.escalated(complaint)
        escalated += 1
    return escalated
