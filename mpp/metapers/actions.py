"""Every write of Metapers: a visitor's chat message, an officer claiming, answering, handing over
and closing a conversation, and a trainee's completion of the training scenario.

Each runs in one transaction, is audited when staff act, and publishes its event after commit;
the rules it checks and the reads it needs are in `chat` and `training` (and who may act, in
`access`). Views and consumers call these, never the models, so a write has one home.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from mpp.catalog.models import Tenant
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.core.privacy import mask_personal_data
from mpp.core.ratelimit import allow
from mpp.malls.models import Mall
from mpp.metapers.chat import (
    ADDRESS_MESSAGES_PER_MINUTE,
    VISITOR_MESSAGES_PER_MINUTE,
    ChatRefused,
    clean_text,
    colleagues_of,
    officers_online,
    offline_answer,
    publish_conversation,
)
from mpp.metapers.models import CannedAnswer, ChatMessage, Conversation, TrainingCompletion
from mpp.metapers.training import (
    SCENARIO,
    Trainee,
    TrainingRefused,
    current_step,
    steps_record,
)
from mpp.rollout.training import record_scenario_completion

# -- chat --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    conversation: Conversation
    message: ChatMessage
    auto_answer: ChatMessage | None = None


def _add(conversation: Conversation, sender: str, text: str, *, officer: Any = None) -> ChatMessage:
    masked, was_masked = mask_personal_data(text)
    now = clock.now()
    message = ChatMessage.objects.create(
        conversation=conversation,
        sender=sender,
        officer=officer,
        text=masked,
        was_masked=was_masked,
        sent_at=now,
    )
    conversation.last_message_at = now
    return message


def post_visitor_message(
    *, mall: Mall, tenant: Tenant, visitor_key: str, text: str, address: str
) -> Posted:
    """A visitor's message, starting a conversation if none is open; answered from the
    catalogue when no officer is online. Refused (nothing stored) when empty, too long, or
    past the rate limit (429)."""
    text = clean_text(text)
    if not (
        allow(f"chat:{visitor_key}", limit=VISITOR_MESSAGES_PER_MINUTE, window_seconds=60)
        and allow(f"chat-ip:{address}", limit=ADDRESS_MESSAGES_PER_MINUTE, window_seconds=60)
    ):
        raise ChatRefused(
            _("Terlalu banyak pesan dalam semenit; tunggu sebentar lalu kirim lagi."),
            code="flooding",
            status=429,
        )
    online = officers_online(mall, tenant)
    with write_transaction():
        conversation = (
            Conversation.objects.filter(mall=mall, tenant=tenant, visitor_key=visitor_key)
            .exclude(status=Conversation.Status.CLOSED)
            .order_by("-started_at")
            .first()
        )
        started = conversation is None
        if conversation is None:
            now = clock.now()
            conversation = Conversation.objects.create(
                mall=mall,
                tenant=tenant,
                visitor_key=visitor_key,
                started_at=now,
                last_message_at=now,
            )
        message = _add(conversation, ChatMessage.Sender.VISITOR, text)
        auto = None
        if not online:
            auto = _add(conversation, ChatMessage.Sender.SYSTEM, offline_answer(mall, tenant, text))
        conversation.save(update_fields=["last_message_at"])
        publish_conversation(conversation, "conversation.started" if started else "message.posted")
    return Posted(conversation, message, auto)


def _require_not_closed(conversation: Conversation) -> None:
    if conversation.status == Conversation.Status.CLOSED:
        raise ChatRefused(_("Percakapan ini sudah selesai."), code="closed", status=409)


def _require_free_or_mine(conversation: Conversation, officer: Any) -> None:
    holder = conversation.officer
    if holder is not None and holder.pk != officer.pk:
        raise ChatRefused(
            _("Percakapan ini sedang ditangani %(o)s; minta dialihkan kepada Anda.")
            % {"o": holder.get_full_name() or holder.get_username()},
            code="taken",
            status=409,
        )


def _locked(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("officer", "mall", "tenant")
        .get(pk=conversation.pk)
    )


def claim_conversation(*, conversation: Conversation, acting_user: Any) -> Conversation:
    """An officer takes a waiting conversation (or one already theirs: no change)."""
    with write_transaction():
        conversation = _locked(conversation)
        _require_not_closed(conversation)
        _require_free_or_mine(conversation, acting_user)
        if conversation.officer_id == acting_user.pk:
            return conversation
        conversation.officer = acting_user
        conversation.status = Conversation.Status.OPEN
        _add(
            conversation,
            ChatMessage.Sender.SYSTEM,
            _("Petugas %(t)s bergabung.") % {"t": conversation.tenant.short_name},
        )
        conversation.save(update_fields=["officer", "status", "last_message_at"])
        audit(
            actor=acting_user,
            action="conversation.claimed",
            obj=conversation,
            mall_id=conversation.mall_id,
        )
        publish_conversation(conversation, "conversation.claimed")
    return conversation


def post_officer_reply(
    *,
    conversation: Conversation,
    text: str = "",
    canned: CannedAnswer | None = None,
    acting_user: Any,
) -> ChatMessage:
    """An officer's reply (typed, or a canned answer of their tenant); replying to a waiting
    conversation claims it."""
    if canned is not None:
        if canned.tenant_id != conversation.tenant_id:
            raise ChatRefused(_("Jawaban siap pakai ini milik instansi lain."), code="canned")
        text = canned.text
    text = clean_text(text)
    with write_transaction():
        conversation = _locked(conversation)
        _require_not_closed(conversation)
        _require_free_or_mine(conversation, acting_user)
        conversation.officer = acting_user
        conversation.status = Conversation.Status.OPEN
        message = _add(conversation, ChatMessage.Sender.OFFICER, text, officer=acting_user)
        conversation.save(update_fields=["officer", "status", "last_message_at"])
        publish_conversation(conversation, "message.posted")
    return message


def hand_over_conversation(
    *, conversation: Conversation, to_officer_id: int | None, acting_user: Any
) -> Conversation:
    """Give the conversation to a colleague of the same tenant at this mall, or release it to
    the tenant's pool (None: it waits again for whoever claims it)."""
    with write_transaction():
        conversation = _locked(conversation)
        _require_not_closed(conversation)
        _require_free_or_mine(conversation, acting_user)
        if to_officer_id is None:
            conversation.officer = None
            conversation.status = Conversation.Status.WAITING
            note = _("Percakapan dikembalikan ke petugas %(t)s; mohon tunggu sebentar.")
        else:
            target = colleagues_of(conversation).filter(user_id=to_officer_id).first()
            if target is None:
                raise ChatRefused(
                    _("Petugas tujuan bukan petugas %(t)s di %(m)s.")
                    % {"t": conversation.tenant.short_name, "m": conversation.mall.short_name},
                    code="not_colleague",
                )
            conversation.officer = target.user
            conversation.status = Conversation.Status.OPEN
            note = _("Percakapan dialihkan ke petugas %(t)s lain.")
        _add(conversation, ChatMessage.Sender.SYSTEM, note % {"t": conversation.tenant.short_name})
        conversation.save(update_fields=["officer", "status", "last_message_at"])
        audit(
            actor=acting_user,
            action="conversation.handed_over",
            obj=conversation,
            mall_id=conversation.mall_id,
            data={"to": to_officer_id},
        )
        publish_conversation(conversation, "conversation.handed_over")
    return conversation


def close_conversation(*, conversation: Conversation, acting_user: Any) -> Conversation:
    """End the conversation; the visitor's next message starts a new one."""
    with write_transaction():
        conversation = _locked(conversation)
        _require_not_closed(conversation)
        _require_free_or_mine(conversation, acting_user)
        conversation.status = Conversation.Status.CLOSED
        _add(conversation, ChatMessage.Sender.SYSTEM, _("Percakapan selesai. Terima kasih."))
        conversation.save(update_fields=["status", "last_message_at"])
        audit(
            actor=acting_user,
            action="conversation.closed",
            obj=conversation,
            mall_id=conversation.mall_id,
        )
        publish_conversation(conversation, "conversation.closed")
    return conversation


# -- training --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    completion: TrainingCompletion
    created: bool  # False: it had been recorded before ("sudah tercatat")


def record_completion(*, trainee: Trainee, state: dict[str, Any]) -> Recorded:
    """Record the trainee's completion at the mall once; a later completion changes nothing.

    Invariant: one row per (operator, mall, scenario) — the unique constraint settles two
    completions racing from two tabs."""
    if current_step(state) is not None:
        raise TrainingRefused(_("Pelatihan belum selesai."), code="not_finished", status=409)
    lookup = {"operator": trainee.user, "mall": trainee.mall, "scenario": SCENARIO}
    earlier = TrainingCompletion.objects.filter(**lookup).first()
    if earlier is not None:
        return Recorded(earlier, created=False)
    try:
        with write_transaction():
            completion = TrainingCompletion.objects.create(
                **lookup, completed_at=clock.now(), steps=steps_record(state)
            )
            audit(
                actor=trainee.user,
                action="training.completed",
                obj=completion,
                mall_id=trainee.mall.pk,
                data={"scenario": SCENARIO},
            )
            # The Mini MPP curriculum's Metapers module is passed by this scenario (issue 19).
            record_scenario_completion(user=trainee.user, scenario=SCENARIO)
    except IntegrityError:
        return Recorded(TrainingCompletion.objects.get(**lookup), created=False)
    return Recorded(completion, created=True)
