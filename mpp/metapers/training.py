"""Training mode: a sub-district operator serves a virtual visitor (answer a chat, issue a
number, call it), and their completion is recorded once per operator, mall and scenario.

Training never touches real queues, boards, statistics or chats. The scenario runs the REAL
actions (`issue_ticket`, `set_counter_status`, `call_next_ticket`, `call_ticket`), so the
operator meets the real rules (hours, holidays, quotas, the online cut-off, counters that must
be open), but inside one write transaction that is always rolled back (`rehearsal()`):
- events are published only on commit (core.events), so nothing reaches a board, a phone or
  the console, and no event sequence number is spent;
- the day's sequence update is rolled back with the ticket, so no number is lost: numbers stay
  gapless and the next real visitor gets the number they would have got anyway;
- no Ticket, TicketEvent or counter change remains, so statistics never count a training call.
The chat step stores nothing in Conversation/ChatMessage either: the reply is checked with the
chat's own rules and kept only in the operator's session, to show it on the page.

Decisions:
- a refusal of the real rules (the mall closed, a holiday, the quota reached, the counter not
  serving the queue...) is the lesson of that step: it is shown in the rules' own words and the
  step counts as done once the operator has read it ("Saya mengerti"). An operator who trains
  on a Sunday evening learns what a visitor is told on a Sunday evening;
- progress is kept in the session, per mall; only the completion is stored, by
  `metapers.actions.record_completion` (the one write of training);
- the call step uses `call_next_ticket`, the button operators press every day, when no real
  ticket waits at the counter; otherwise it calls the training number explicitly
  (`call_ticket`, reason "Latihan"), since `call_next_ticket` would pick the real visitor;
- steps record what was done and when (ISO times), never the reply's text.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.models import Service
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.privacy import mask_personal_data
from mpp.malls.models import Mall
from mpp.metapers.chat import MAX_LENGTH
from mpp.metapers.exceptions import TrainingRefused as TrainingRefused  # importers keep this name
from mpp.metapers.models import TrainingCompletion
from mpp.queueing.access import counters_for
from mpp.queueing.actions import (
    call_next_ticket,
    call_ticket,
    issue_ticket,
    service_day,
    set_counter_status,
)
from mpp.queueing.announce import call_text
from mpp.queueing.exceptions import QueueError
from mpp.queueing.issuing import queue_of
from mpp.queueing.models import Counter, Ticket

SCENARIO = "layani-pengunjung"
STEPS = ("chat", "number", "call")
MIN_REPLY = 15  # a greeting alone ("Baik, Bu.") does not answer a question
SESSION_KEY = "metapers_training"
CALL_REASON = "Latihan"

# What the virtual visitor asks; %(s)s is the service, %(m)s the mall.
_QUESTIONS = (
    gettext_noop("Selamat pagi. Saya mau mengurus %(s)s di %(m)s. Syaratnya apa saja, ya?"),
    gettext_noop("Permisi, untuk %(s)s berapa biayanya dan berapa lama selesainya?"),
    gettext_noop("Halo, kalau mau %(s)s harus bawa berkas apa saja? Bisa ambil nomor dari rumah?"),
)


# -- who trains where --------------------------------------------------------------------------


@dataclass(frozen=True)
class Trainee:
    """An operator at the mall they train at; `tenant_id` None for a mall supervisor."""

    user: Any
    profile: StaffProfile
    mall: Mall
    malls: list[Mall]

    @property
    def tenant_id(self) -> int | None:
        return self.profile.tenant_id if self.profile.role == Role.TENANT_OFFICER else None


def _training_malls(profile: StaffProfile | None) -> QuerySet[Mall] | None:
    """The malls an operator serves at, or None if the role does not train."""
    if profile is None:
        return None
    if profile.role == Role.TENANT_OFFICER and profile.tenant_id:
        return profile.malls.order_by("pk")
    if profile.role == Role.MALL_SUPERVISOR and profile.mall_id:
        return Mall.objects.filter(pk=profile.mall_id)
    return None


def access_training(user: Any, mall_slug: str | None) -> Trainee:
    """The operator and the mall they train at (default: their first): 403 unless a tenant
    officer or a mall supervisor, 404 for an unknown mall, 403 for a mall they do not serve."""
    profile = staff_profile(user)
    malls_qs = _training_malls(profile)
    if profile is None or malls_qs is None:
        raise PermissionDenied(_("Pelatihan Metapers untuk petugas instansi dan pengawas mal."))
    malls = list(malls_qs)
    if mall_slug:
        mall = Mall.objects.filter(slug=mall_slug).first()
        if mall is None:
            raise Http404(_("Mal tidak ditemukan."))
        if mall not in malls:
            raise PermissionDenied(_("Anda tidak bertugas di %(m)s.") % {"m": mall.short_name})
    elif malls:
        mall = malls[0]
    else:
        raise PermissionDenied(_("Anda belum ditugaskan di mal mana pun."))
    return Trainee(user=user, profile=profile, mall=mall, malls=malls)


def access_training_report(user: Any) -> QuerySet[Mall]:
    """The malls whose completions the user may read: the region for its administrator,
    leadership and auditors; their mall for a supervisor; 403 for everyone else."""
    profile = staff_profile(user)
    if profile is not None and profile.sees_whole_region:
        return Mall.objects.filter(region_id=profile.region_id)
    if profile is not None and profile.role == Role.MALL_SUPERVISOR and profile.mall_id:
        return Mall.objects.filter(pk=profile.mall_id)
    raise PermissionDenied(
        _("Rekap pelatihan hanya untuk pengawas mal, administrator, pimpinan, dan auditor.")
    )


def completions_at(malls: QuerySet[Mall]) -> QuerySet[TrainingCompletion]:
    """Completions at `malls`, by mall then date, operator and mall joined (one query)."""
    return (
        TrainingCompletion.objects.filter(mall__in=malls, scenario=SCENARIO)
        .select_related("operator", "mall__region")
        .order_by("mall__name", "completed_at", "pk")
    )


# -- the scenario's state (kept in the session) ------------------------------------------------


def _services_for(trainee: Trainee) -> QuerySet[Service]:
    services = Service.objects.active().offered_at(trainee.mall)
    if trainee.tenant_id is not None:
        services = services.filter(tenant_id=trainee.tenant_id)
    return services.select_related("tenant").order_by("pk")


def start_scenario(trainee: Trainee) -> dict[str, Any]:
    """A new virtual visitor: a service offered here (of the operator's tenant) and a question."""
    services = list(_services_for(trainee))
    if not services:
        raise TrainingRefused(
            _("Instansi Anda belum menawarkan layanan di %(m)s.") % {"m": trainee.mall.short_name},
            code="no_service",
            status=409,
        )
    service = secrets.choice(services)
    question = _(secrets.choice(_QUESTIONS)) % {"s": service.name, "m": trainee.mall.short_name}
    return {"service": service.pk, "question": question, "started_at": _now_iso()}


def _now_iso() -> str:
    return clock.now().isoformat(timespec="seconds")


def state_of(session: Any, trainee: Trainee) -> dict[str, Any]:
    """The scenario in progress at the trainee's mall, started if there is none."""
    per_mall = session.get(SESSION_KEY) or {}
    state = per_mall.get(str(trainee.mall.pk))
    if state is None:
        state = start_scenario(trainee)
        save_state(session, trainee, state)
    return dict(state)


def save_state(session: Any, trainee: Trainee, state: dict[str, Any] | None) -> None:
    per_mall = dict(session.get(SESSION_KEY) or {})
    if state is None:
        per_mall.pop(str(trainee.mall.pk), None)
    else:
        per_mall[str(trainee.mall.pk)] = state
    session[SESSION_KEY] = per_mall  # a new dict: the session notices the change


def is_done(state: dict[str, Any], step: str) -> bool:
    return bool((state.get(step) or {}).get("done_at"))


def current_step(state: dict[str, Any]) -> str | None:
    """The first step not done yet; None when all are."""
    return next((step for step in STEPS if not is_done(state, step)), None)


def _require_turn(state: dict[str, Any], step: str) -> None:
    if current_step(state) != step:
        raise TrainingRefused(
            _("Langkah ini belum atau sudah dikerjakan; ikuti urutan langkah pelatihan."),
            code="out_of_order",
            status=409,
        )


def service_of(state: dict[str, Any]) -> Service:
    service = Service.objects.select_related("tenant").filter(pk=state["service"]).first()
    if service is None:  # withdrawn from the catalogue since the scenario started
        raise TrainingRefused(
            _("Layanan pelatihan ini sudah tidak ada; mulai ulang pelatihan."),
            code="service_gone",
            status=409,
        )
    return service


# -- step a: answer the chat -------------------------------------------------------------------


def answer_chat(state: dict[str, Any], text: str) -> dict[str, Any]:
    """Check the operator's reply by the chat's rules; nothing is stored in the chats."""
    _require_turn(state, "chat")
    text = (text or "").strip()
    if not text:
        raise TrainingRefused(_("Balasan kosong; tulis jawaban untuk pengunjung."), code="empty")
    if len(text) < MIN_REPLY:
        raise TrainingRefused(
            _("Balasan terlalu singkat: %(n)d karakter, paling sedikit %(min)d.")
            % {"n": len(text), "min": MIN_REPLY},
            code="too_short",
        )
    if len(text) > MAX_LENGTH:
        raise TrainingRefused(
            _("Balasan terlalu panjang: %(n)d karakter, paling banyak %(max)d.")
            % {"n": len(text), "max": MAX_LENGTH},
            code="too_long",
        )
    if mask_personal_data(text)[1]:
        raise TrainingRefused(
            _(
                "Jangan kirim NIK atau nomor telepon di obrolan: balasan Anda memuat angka yang "
                "mirip NIK atau nomor telepon. Di obrolan sungguhan angka itu akan disamarkan."
            ),
            code="personal_data",
        )
    # The reply stays in the session for the page; the completion records its length only.
    return {**state, "chat": {"done_at": _now_iso(), "reply": text, "reply_chars": len(text)}}


# -- steps b and c: the real actions, rolled back ----------------------------------------------


@contextmanager
def rehearsal() -> Iterator[None]:
    """One write transaction that is always rolled back: its events are never published
    (core.events sends on commit) and the day's number sequence is restored."""
    with write_transaction():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def _refused(refused: QueueError) -> dict[str, Any]:
    """A refusal of the real rules: the step's lesson, done once the operator has read it."""
    return {"done_at": None, "outcome": "refused", "code": refused.code, "message": str(refused)}


def issue_number(state: dict[str, Any], *, trainee: Trainee) -> dict[str, Any]:
    """Step b: the number the visitor would get now through Metapers, or the real refusal."""
    _require_turn(state, "number")
    service = service_of(state)
    try:
        with rehearsal():
            issued = issue_ticket(
                mall=trainee.mall, service=service, channel=Ticket.Channel.METAPERS
            )
            step = {
                "done_at": _now_iso(),
                "outcome": "issued",
                "number": issued.ticket.display_number,
                "ahead": issued.ahead,
            }
    except QueueError as refused:
        step = _refused(refused)
    return {**state, "number": step}


def training_counters(trainee: Trainee, service: Service) -> list[Counter]:
    """The trainee's counters at the mall (those they may open and call from), the ones that
    serve the visitor's queue first (`serves_visitor`)."""
    queue = queue_of(trainee.mall.pk, service.tenant_id)
    queue_id = queue.pk if queue is not None else 0
    serving = Counter.queues.through.objects.filter(counter_id=OuterRef("pk"), queue_id=queue_id)
    return list(
        counters_for(trainee.user)
        .filter(mall=trainee.mall)
        .annotate(serves_visitor=Exists(serving))
        .order_by("-serves_visitor", "number")
    )


class _RealTicketFirst(Exception):
    """A real ticket arrived between the check and `call_next_ticket` (PostgreSQL)."""


def _rehearse_call(
    counter: Counter, service: Service, user: Any, *, explicit: bool
) -> tuple[Ticket, str]:
    """The training number called at `counter`, and how ("next" or "out_of_order")."""
    with rehearsal():
        if counter.status != Counter.Status.OPEN:
            counter = set_counter_status(
                counter=counter, status=Counter.Status.OPEN, acting_user=user
            )
        training = issue_ticket(
            mall=counter.mall, service=service, channel=Ticket.Channel.METAPERS
        ).ticket
        others_wait = (
            Ticket.objects.filter(
                queue__counters=counter,
                service_day=service_day(counter.mall),
                status=Ticket.Status.WAITING,
            )
            .exclude(pk=training.pk)
            .exists()
        )
        serves = counter.queues.filter(pk=training.queue_id).exists()
        if explicit or others_wait or not serves:
            # Not serving the queue: call_ticket refuses in the rules' own words (the lesson).
            called = call_ticket(
                counter=counter, ticket=training, reason=CALL_REASON, acting_user=user
            )
            return called, "out_of_order"
        called_next = call_next_ticket(counter=counter, acting_user=user)
        if called_next is None or called_next.pk != training.pk:
            raise _RealTicketFirst
        return called_next, "next"


def call_number(state: dict[str, Any], *, trainee: Trainee, counter: Counter) -> dict[str, Any]:
    """Step c: open the counter if needed, issue the number and call it, all rolled back;
    the step shows what the board would say, or the real refusal."""
    _require_turn(state, "call")
    if counter.mall_id != trainee.mall.pk:
        raise TrainingRefused(
            _("Loket %(n)d bukan loket di %(m)s.")
            % {"n": counter.number, "m": trainee.mall.short_name},
            code="other_mall",
        )
    service = service_of(state)
    try:
        try:
            called, via = _rehearse_call(counter, service, trainee.user, explicit=False)
        except _RealTicketFirst:
            called, via = _rehearse_call(counter, service, trainee.user, explicit=True)
    except QueueError as refused:
        return {**state, "call": {**_refused(refused), "counter": counter.number}}
    say = call_text(letter=called.queue.letter, number=called.number, counter_number=counter.number)
    step = {
        "done_at": _now_iso(),
        "outcome": "called",
        "counter": counter.number,
        "number": called.display_number,
        "via": via,
        "say": say,
    }
    return {**state, "call": step}


def acknowledge(state: dict[str, Any], step: str) -> dict[str, Any]:
    """The operator has read the refusal of step `step`: the lesson counts as done."""
    if step not in ("number", "call"):
        raise TrainingRefused(_("Langkah pelatihan tidak dikenal."), code="unknown_step")
    _require_turn(state, step)
    found = state.get(step) or {}
    if found.get("outcome") != "refused":
        raise TrainingRefused(
            _("Tidak ada penolakan untuk dibaca pada langkah ini."),
            code="nothing_to_acknowledge",
            status=409,
        )
    return {**state, step: {**found, "done_at": _now_iso(), "acknowledged": True}}


# -- completion (recorded by metapers.actions.record_completion) ---------------------------------


def steps_record(state: dict[str, Any]) -> dict[str, Any]:
    """What was done and when, for TrainingCompletion.steps (no reply text)."""
    kept = (
        "done_at",
        "outcome",
        "code",
        "number",
        "ahead",
        "counter",
        "via",
        "reply_chars",
        "acknowledged",
    )
    record: dict[str, Any] = {"started_at": state.get("started_at"), "service": state["service"]}
    for step in STEPS:
        record[step] = {k: v for k, v in (state.get(step) or {}).items() if k in kept}
    return record


def completion_of(trainee: Trainee) -> TrainingCompletion | None:
    return TrainingCompletion.objects.filter(
        operator=trainee.user, mall=trainee.mall, scenario=SCENARIO
    ).first()
