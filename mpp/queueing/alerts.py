"""A ticket's alerts: "3 nomor lagi" and "Giliran Anda", for those who ask (docs/adr/0033).

On the phone page a citizen leaves a mobile number (or an e-mail address) for their ticket. After
every call at their mall, once the call has committed, a background task (`check`) looks at the
mall's tickets with an alert: a ticket that waits with at most SOON_AHEAD people ahead of it
(position.position_of) is told "3 nomor lagi" once; a ticket that is called is told its counter
once. Once means once: the alert's stamp is set by a conditional UPDATE, and the outbox's key
(`ticket:<id>:soon`, `ticket:<id>:turn`) refuses a second message in any case.

The calls only ask for the check when today's tickets of the mall have an alert (one indexed
query); the check never runs in the request. A periodic sweep checks again every minute, so a
check lost with the queue is made up. The contact is blanked by a daily job once the ticket's
day has ended. Texts are short, Indonesian, without name or NIK.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.malls.models import Mall
from mpp.notifications import outbox
from mpp.notifications.phone import InvalidPhone, mask_phone, parse_phone
from mpp.queueing.exceptions import QueueCode, QueueError, WrongState
from mpp.queueing.issuing import service_day
from mpp.queueing.models import Ticket, TicketAlert
from mpp.queueing.position import position_of

logger = logging.getLogger("mpp.queueing")

SOON_AHEAD = 3  # "3 nomor lagi": told when this many people or fewer are ahead
SOON_VALID = dt.timedelta(minutes=30)  # not sent later than this after the check
TURN_VALID = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class AlertShown:
    """What the phone page says of a ticket's alert (never the contact in full)."""

    on: bool
    contact: str  # masked: 0812****789, or b***@contoh.id


def shown(ticket: Ticket) -> AlertShown:
    alert = TicketAlert.objects.filter(ticket=ticket).first()
    if alert is None or not (alert.phone or alert.email):
        return AlertShown(on=False, contact="")
    if alert.phone:
        return AlertShown(on=True, contact=mask_phone(alert.phone))
    local, _at, domain = alert.email.partition("@")
    return AlertShown(on=True, contact=f"{local[:1]}***@{domain}")


def _contact(phone: str, email: str) -> tuple[str, str]:
    """(phone as 628…, e-mail), validated; QueueError (400) with a message for the citizen."""
    phone, email = (phone or "").strip(), (email or "").strip()
    if not phone and not email:
        raise QueueError(
            _("Isi nomor HP (atau surel) untuk menerima pemberitahuan."),
            code=QueueCode.CONTACT_REQUIRED,
        )
    if phone:
        try:
            phone = parse_phone(phone)
        except InvalidPhone as invalid:
            raise QueueError(str(invalid), code=QueueCode.INVALID_PHONE) from invalid
    if email:
        try:
            EmailValidator()(email)
        except ValidationError as invalid:
            raise QueueError(
                _("Alamat surel tidak sah; periksa kembali."), code=QueueCode.INVALID_EMAIL
            ) from invalid
    return phone, email


def turn_on(ticket: Ticket, *, phone: str = "", email: str = "") -> TicketAlert:
    """Alerts for `ticket` to this contact (replacing an earlier one). Only a waiting ticket:
    WrongState (409) otherwise. The first check runs after the commit: a ticket already close
    to its turn is told at once."""
    phone, email = _contact(phone, email)
    if ticket.status != Ticket.Status.WAITING:
        raise WrongState(
            _("Nomor %(n)s tidak lagi menunggu; pemberitahuan tidak dapat diaktifkan.")
            % {"n": ticket.display_number},
            code=f"ticket_{ticket.status}",
        )
    with write_transaction():
        alert, _created = TicketAlert.objects.update_or_create(
            ticket=ticket, defaults={"phone": phone, "email": email, "created_at": clock.now()}
        )
        mall_id = ticket.mall_id
        transaction.on_commit(lambda: ask_check(mall_id), robust=True)
    return alert


def turn_off(ticket: Ticket) -> bool:
    """No more alerts for `ticket`; its contact is deleted. False if none was on."""
    with write_transaction():
        deleted, _per_model = TicketAlert.objects.filter(ticket=ticket).delete()
    return deleted > 0


def after_call(ticket: Ticket) -> None:
    """Called in the transaction of a call: ask for a check once it commits, when today's
    tickets of the mall have an alert to send."""
    pending = TicketAlert.objects.filter(
        ticket__mall_id=ticket.mall_id,
        ticket__service_day=ticket.service_day,
        turn_sent_at__isnull=True,
    ).exists()
    if pending:
        mall_id = ticket.mall_id
        transaction.on_commit(lambda: ask_check(mall_id), robust=True)


def ask_check(mall_id: int) -> None:
    """Queue the check of a mall's alerts (a lost hand-off is made up by the minute's sweep)."""
    from mpp.queueing.jobs import check_ticket_alerts

    try:
        check_ticket_alerts(mall_id)
    except Exception:
        logger.exception("alert check of mall %s not queued; the sweep will", mall_id)


def _current(ticket: Ticket) -> Ticket:
    """The ticket a number became by transfers (the one that will be called)."""
    hops = 0
    while ticket.transferred_to_id is not None and hops < 10:
        ticket = Ticket.objects.select_related("queue", "counter", "mall").get(
            pk=ticket.transferred_to_id
        )
        hops += 1
    return ticket


def check(mall_id: int) -> int:
    """Send what today's alerts of the mall are due; answers the number of messages asked."""
    mall = Mall.objects.select_related("region").get(pk=mall_id)
    alerts = (
        TicketAlert.objects.filter(
            ticket__mall_id=mall_id,
            ticket__service_day=service_day(mall),
            turn_sent_at__isnull=True,
        )
        .exclude(phone="", email="")
        .select_related("ticket__queue", "ticket__counter", "ticket__mall")
        .order_by("pk")
    )
    sent = 0
    for alert in alerts:
        ticket = _current(alert.ticket)
        if ticket.status == Ticket.Status.CALLED:
            sent += _send_turn(alert, ticket)
        elif ticket.status == Ticket.Status.WAITING and alert.soon_sent_at is None:
            ahead = position_of(ticket).ahead
            if ahead <= SOON_AHEAD:
                sent += _send_soon(alert, ticket, ahead)
    return sent


def _send_soon(alert: TicketAlert, ticket: Ticket, ahead: int) -> int:
    now = clock.now()
    if ahead > 0:
        text = _(
            "%(mall)s: tinggal %(n)d nomor lagi sebelum nomor %(number)s dipanggil. "
            "Mohon bersiap di dekat loket."
        )
    else:
        text = _("%(mall)s: nomor %(number)s segera dipanggil. Mohon bersiap di dekat loket.")
    text %= {"mall": ticket.mall.short_name, "n": ahead, "number": ticket.display_number}
    with write_transaction():
        if not TicketAlert.objects.filter(pk=alert.pk, soon_sent_at__isnull=True).update(
            soon_sent_at=now
        ):
            return 0  # another check sent it
        outbox.send(
            kind="queue.soon",
            key=f"ticket:{ticket.pk}:soon",
            text=text,
            phone=alert.phone,
            email=alert.email,
            subject=_("%(n)d nomor lagi") % {"n": ahead} if ahead else _("Segera dipanggil"),
            mall=ticket.mall,
            expires_at=now + SOON_VALID,
        )
    return 1


def _send_turn(alert: TicketAlert, ticket: Ticket) -> int:
    now = clock.now()
    text = _("Giliran Anda: nomor %(number)s, silakan ke loket %(counter)s. (%(mall)s)") % {
        "number": ticket.display_number,
        "counter": ticket.counter.number if ticket.counter else "-",
        "mall": ticket.mall.short_name,
    }
    with write_transaction():
        stamped = TicketAlert.objects.filter(pk=alert.pk, turn_sent_at__isnull=True).update(
            turn_sent_at=now, soon_sent_at=alert.soon_sent_at or now
        )
        if not stamped:
            return 0
        outbox.send(
            kind="queue.turn",
            key=f"ticket:{ticket.pk}:turn",
            text=text,
            phone=alert.phone,
            email=alert.email,
            subject=_("Giliran Anda"),
            mall=ticket.mall,
            expires_at=now + TURN_VALID,
        )
    return 1


def malls_with_pending_alerts() -> list[int]:
    """Malls with an alert of a recent day still to send (for the minute's sweep)."""
    since = clock.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date() - dt.timedelta(days=1)
    return list(
        TicketAlert.objects.filter(ticket__service_day__gte=since, turn_sent_at__isnull=True)
        .exclude(phone="", email="")
        .values_list("ticket__mall_id", flat=True)
        .distinct()
    )


def erase_ended() -> int:
    """Blank the contact of alerts whose ticket's day has ended (in the region's zone, which
    is every mall's: Kukar is on WITA)."""
    today = clock.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return (
        TicketAlert.objects.filter(ticket__service_day__lt=today)
        .exclude(phone="", email="")
        .update(phone="", email="")
    )
