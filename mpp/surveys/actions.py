"""Every state change of the survey: a token for a finished ticket, recording a response, and
importing a file of paper sheets (all rows or none; `importing` reads and checks the file).

Invariants: one response per ticket, whatever the concurrency — the token is flipped to used by
a conditional UPDATE in the response's own transaction, so of two simultaneous submissions
exactly one sees its row change; the response keeps no reference to the token or the ticket
(docs/surveys-privacy.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from mpp.catalog.models import Service, Tenant
from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.malls.models import Mall
from mpp.queueing.models import Ticket
from mpp.surveys.cleaning import NO_PROFILE, clean_suggestion
from mpp.surveys.cleaning import SUGGESTION_MAX as SUGGESTION_MAX
from mpp.surveys.cleaning import Profile as Profile
from mpp.surveys.cleaning import clean_answers as clean_answers
from mpp.surveys.cleaning import clean_profile as clean_profile
from mpp.surveys.exceptions import SurveyError, TokenRefused
from mpp.surveys.importing import AlreadyImported, check_file
from mpp.surveys.models import (
    STANDARD_CODES,
    Questionnaire,
    Response,
    SurveyImport,
    SurveyToken,
)

# How long after service a citizen may still answer.
SURVEY_DAYS = 7


def survey_token_for(ticket: Ticket) -> SurveyToken | None:
    """The survey token of a finished ticket (made on first use); None before it is finished.

    A transferred ticket is rated where it was finished: only status "done" has a token."""
    if ticket.status != Ticket.Status.DONE or ticket.finished_at is None:
        return None
    found = SurveyToken.objects.filter(ticket=ticket).first()
    if found is not None:
        return found
    try:
        with write_transaction():
            return SurveyToken.objects.create(
                ticket=ticket, expires_at=ticket.finished_at + dt.timedelta(days=SURVEY_DAYS)
            )
    except IntegrityError:  # the phone page and the tablet asked at the same moment
        return SurveyToken.objects.get(ticket=ticket)


def time_band_of(instant: dt.datetime, mall: Mall) -> str:
    """The national form's half-day band of a local time (the lunch hour counts as afternoon)."""
    hour = instant.astimezone(mall.zone).hour
    return Response.TimeBand.MORNING if hour < 12 else Response.TimeBand.AFTERNOON


def _build(
    *,
    questionnaire: Questionnaire,
    mall: Mall,
    tenant: Tenant,
    service: Service | None,
    answered_on: dt.date,
    time_band: str,
    channel: str,
    answers: dict[str, int | None],
    profile: Profile,
    suggestion: str,
) -> Response:
    suggestion = clean_suggestion(suggestion)
    columns = {c.lower(): answers.get(c) for c in STANDARD_CODES}
    extra = {c: v for c, v in answers.items() if c not in STANDARD_CODES and v is not None}
    return Response(
        questionnaire=questionnaire,
        mall=mall,
        tenant=tenant,
        service=service,
        answered_on=answered_on,
        time_band=time_band,
        channel=channel,
        extra_answers=extra,
        sex=profile.sex,
        age=profile.age,
        education=profile.education,
        occupation=profile.occupation,
        suggestion=suggestion,
        **columns,
    )


def questionnaire_for(mall: Mall, tenant: Tenant | None) -> Questionnaire:
    found = Questionnaire.objects.in_force_for(mall, tenant)
    if found is None:  # the migration loads the national one; an admin deactivated them all
        raise SurveyError(_("Belum ada kuesioner yang berlaku."), code="no_questionnaire")
    return found


def token_state(token: SurveyToken | None) -> TokenRefused | None:
    """Why a token cannot be answered now, or None when it can."""
    if token is None:
        return TokenRefused(_("Tautan survei tidak dikenal."), code="token_unknown", status=404)
    if token.used_on is not None:
        return TokenRefused(
            _("Survei untuk nomor antrean ini sudah diisi. Terima kasih."),
            code="token_used",
            status=409,
        )
    if token.expires_at <= clock.now():
        return TokenRefused(
            _("Masa pengisian survei untuk nomor antrean ini sudah lewat (%(d)d hari).")
            % {"d": SURVEY_DAYS},
            code="token_expired",
            status=410,
        )
    return None


def record_survey_response(
    *,
    token: str,
    answers: Mapping[str, object],
    profile: Profile = NO_PROFILE,
    suggestion: str = "",
    channel: str = Response.Channel.PHONE,
) -> Response:
    """A citizen's answers for the finished ticket behind `token`; the token is spent."""
    found = (
        SurveyToken.objects.select_related("ticket__mall__region", "ticket__service__tenant")
        .filter(token=token)
        .first()
    )
    refused = token_state(found)
    if refused is not None:
        raise refused
    assert found is not None
    ticket = found.ticket
    questionnaire = questionnaire_for(ticket.mall, ticket.service.tenant)
    response = _build(
        questionnaire=questionnaire,
        mall=ticket.mall,
        tenant=ticket.service.tenant,
        service=ticket.service,
        answered_on=ticket.service_day,
        time_band=time_band_of(ticket.finished_at or clock.now(), ticket.mall),
        channel=channel,
        answers=clean_answers(questionnaire, answers),
        profile=clean_profile(profile),
        suggestion=suggestion,
    )
    with write_transaction():
        # The conditional UPDATE is the lock: a second submission of the same token waits for
        # the first to commit (row lock on PostgreSQL, one writer on SQLite) and changes nothing.
        spent = SurveyToken.objects.filter(pk=found.pk, used_on__isnull=True).update(
            used_on=clock.now().astimezone(ticket.mall.zone).date()
        )
        if spent != 1:
            raise TokenRefused(
                _("Survei untuk nomor antrean ini sudah diisi. Terima kasih."),
                code="token_used",
                status=409,
            )
        response.save(force_insert=True)
    return response


def record_paper_response(
    *,
    mall: Mall,
    tenant: Tenant,
    service: Service | None,
    answered_on: dt.date,
    time_band: str,
    answers: Mapping[str, object],
    profile: Profile = NO_PROFILE,
    suggestion: str = "",
    acting_user: Any,
) -> Response:
    """A paper form typed in by staff of `mall` (the access helper checked `acting_user`)."""
    if time_band and time_band not in Response.TimeBand.values:
        raise SurveyError(_("Waktu survei tidak dikenal."), code="bad_time_band", field="time_band")
    if answered_on > clock.now().astimezone(mall.zone).date():
        raise SurveyError(
            _("Tanggal survei tidak boleh di masa depan."), code="future_date", field="answered_on"
        )
    if service is not None and service.tenant_id != tenant.pk:
        raise SurveyError(
            _("Layanan itu bukan milik instansi yang dipilih."), code="bad_service", field="service"
        )
    questionnaire = questionnaire_for(mall, tenant)
    response = _build(
        questionnaire=questionnaire,
        mall=mall,
        tenant=tenant,
        service=service,
        answered_on=answered_on,
        time_band=time_band,
        channel=Response.Channel.PAPER,
        answers=clean_answers(questionnaire, answers),
        profile=clean_profile(profile),
        suggestion=suggestion,
    )
    with write_transaction():
        response.save(force_insert=True)
        audit(actor=acting_user, action="survey.paper_response", obj=response, mall_id=mall.pk)
    return response


def plan_follow_up(
    *,
    mall: Mall,
    tenant: Tenant | None,
    period_start: dt.date,
    period_end: dt.date,
    element_code: str,
    action: str,
    owner: str,
    deadline: dt.date,
    acting_user: Any,
) -> Any:
    """A line of the follow-up plan (rencana tindak lanjut) of `mall` (and `tenant`) for a
    period, PermenPAN-RB 14/2017 expecting one for the weak elements.

    Invariants: the element is one the questionnaire in force asks; the deadline is not before
    the period starts (the access helper checked `acting_user`)."""
    from django.utils.formats import date_format

    from mpp.surveys.models import FollowUpAction

    codes = [e.code for e in questionnaire_for(mall, tenant).elements.all()]
    code = element_code.strip().upper()
    if code not in codes:
        raise SurveyError(
            _("Unsur %(c)s tidak ada di kuesioner ini; pilih salah satu dari %(all)s.")
            % {"c": element_code, "all": ", ".join(codes)},
            code="unknown_element",
            field="element_code",
        )
    if deadline < period_start:
        raise SurveyError(
            _("Batas waktu tidak boleh sebelum awal periode (%(d)s).")
            % {"d": date_format(period_start, "j F Y")},
            code="deadline_before_period",
            field="deadline",
        )
    if not action.strip() or not owner.strip():
        raise SurveyError(
            _("Isi tindak lanjut dan penanggung jawabnya."), code="empty_follow_up", field="action"
        )
    with write_transaction():
        line = FollowUpAction.objects.create(
            mall=mall,
            tenant=tenant,
            period_start=period_start,
            period_end=period_end,
            element_code=code,
            action=action.strip(),
            owner=owner.strip(),
            deadline=deadline,
            updated_by=acting_user,
        )
        audit(
            actor=acting_user,
            action="survey.follow_up_planned",
            obj=line,
            mall_id=mall.pk,
            data={"element": code, "period": [str(period_start), str(period_end)]},
        )
    return line


def set_follow_up_status(*, line: Any, status: str, acting_user: Any) -> Any:
    """Move a follow-up plan line to `status` (planned, in progress, done)."""
    from mpp.surveys.models import FollowUpAction

    if status not in FollowUpAction.Status.values:
        raise SurveyError(_("Status tidak dikenal."), code="bad_status", field="status")
    with write_transaction():
        previous = line.status
        line.status = status
        line.updated_by = acting_user
        line.save(update_fields=["status", "updated_by", "updated_at"])
        audit(
            actor=acting_user,
            action="survey.follow_up_status",
            obj=line,
            mall_id=line.mall_id,
            data={"from": previous, "to": status},
        )
    return line


def _earlier_import(mall: Mall, sha256: str) -> SurveyImport | None:
    return (
        SurveyImport.objects.select_related("imported_by", "mall__region")
        .filter(mall=mall, sha256=sha256)
        .order_by("-imported_at")
        .first()
    )


def import_responses(
    *,
    mall: Mall,
    file_name: str,
    data: bytes,
    acting_user: object | None,
    allow_reimport: bool = False,
) -> SurveyImport:
    """Import a CSV or XLSX file of paper survey sheets into `mall`, all rows or none (the
    access helper checked `acting_user`). Raises ImportRejected naming every bad row and
    column, or AlreadyImported when these very bytes were imported here before and
    `allow_reimport` is not set (`importing` reads and checks; this writes)."""
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = _earlier_import(mall, sha256) if data else None
    if earlier is not None and not allow_reimport:
        raise AlreadyImported(earlier)  # before reading 5 MB for nothing; checked again below
    responses = check_file(data, file_name, mall)
    with write_transaction():
        # Imports into one mall run one after the other (a row lock on PostgreSQL; SQLite has
        # one writer anyway), so two uploads of the same file at once cannot both pass the
        # check below. FOR NO KEY UPDATE: the mall's tickets, whose foreign key reads the row,
        # are not held up for the whole import (docs/adr/0025).
        Mall.objects.select_for_update(no_key=True).filter(pk=mall.pk).first()
        earlier = _earlier_import(mall, sha256)
        if earlier is not None and not allow_reimport:
            raise AlreadyImported(earlier)
        record = SurveyImport.objects.create(
            mall=mall,
            file_name=file_name[:255],
            sha256=sha256,
            rows=len(responses),
            imported_by_id=getattr(acting_user, "pk", None),
            imported_at=clock.now(),
        )
        for response in responses:
            response.source = record
        Response.objects.bulk_create(responses, batch_size=500)
        audit(
            actor=acting_user,
            action="survey.imported",
            obj=record,
            mall_id=mall.pk,
            data={
                "file": file_name,
                "sha256": sha256,
                "rows": len(responses),
                "reimport_of": earlier.pk if earlier else None,
            },
        )
    return record
