"""The citizen's survey after service: from the ticket's phone page (or the slip's QR code) to
the thank-you page, and the counter tablet that offers it for the ticket just finished."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mpp.core import clock
from mpp.queueing.access import access_counter, access_ticket_by_code
from mpp.queueing.models import Ticket
from mpp.surveys import actions
from mpp.surveys.exceptions import SurveyError
from mpp.surveys.models import Response, SurveyToken
from mpp.surveys.survey_form import SurveyForm

# The tablet at a counter offers the survey of a ticket finished there this recently.
TABLET_WINDOW = dt.timedelta(minutes=10)


@never_cache
def from_ticket(request: HttpRequest, code: str) -> HttpResponse:
    """The slip's QR code and the phone page lead here: the survey once the ticket is finished."""
    ticket = access_ticket_by_code(code)
    token = actions.survey_token_for(ticket)
    if token is None:
        return render(
            request,
            "surveys/not_yet.html",
            {"ticket": ticket, "mall": ticket.mall},
            status=409,
        )
    return redirect("surveys:survey", token=token.token)


def _token(token: str) -> SurveyToken | None:
    return (
        SurveyToken.objects.select_related(
            "ticket__mall__region", "ticket__service__tenant", "ticket__queue"
        )
        .filter(token=token)
        .first()
    )


def _refused(request: HttpRequest, found: SurveyToken | None, exc: SurveyError) -> HttpResponse:
    mall = found.ticket.mall if found is not None else None
    context = {"message": str(exc), "code": exc.code, "mall": mall}
    return render(request, "surveys/refused.html", context, status=exc.status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire for one finished ticket; answered once."""
    found = _token(token)
    refused = actions.token_state(found)
    if refused is not None:
        return _refused(request, found, refused)
    assert found is not None
    return _survey_form(
        request,
        found,
        channel=Response.Channel.PHONE,
        done_url=lambda: redirect("surveys:thanks", token=token),
    )


def _survey_form(
    request: HttpRequest, found: SurveyToken, *, channel: str, done_url: Any, extra: Any = None
) -> HttpResponse:
    ticket = found.ticket
    questionnaire = actions.questionnaire_for(ticket.mall, ticket.service.tenant)
    form = SurveyForm(
        request.POST if request.method == "POST" else None, questionnaire=questionnaire
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.record_survey_response(
                    token=found.token,
                    answers=form.answers(),
                    profile=form.profile(),
                    suggestion=form.cleaned_data["suggestion"],
                    channel=channel,
                )
            except SurveyError as exc:
                if exc.status != 400:  # spent by another submission meanwhile, or expired
                    return _refused(request, found, exc)
                form.add_error(_form_field(exc.field), str(exc))
            else:
                return done_url()  # type: ignore[no-any-return]
        status = 400
    context = {
        "form": form,
        "ticket": ticket,
        "mall": ticket.mall,
        "service": ticket.service,
        "questions": form.question_rows(),
        "profile_fields": [form[name] for name in ("sex", "age", "education", "occupation")],
        **(extra or {}),
    }
    return render(request, "surveys/survey.html", context, status=status)


def _form_field(field: str | None) -> str | None:
    if field is None:
        return None
    return field.lower() if field.upper().startswith("U") else field


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    """After answering: thanks, and where the mall publishes its results."""
    found = _token(token)
    if found is None or found.used_on is None:
        return redirect("surveys:survey", token=token)
    return render(request, "surveys/thanks.html", {"mall": found.ticket.mall})


# --- the tablet at a counter ----------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tablet(request: HttpRequest, counter_id: int) -> HttpResponse:
    """A tablet in kiosk mode beside a counter: the survey of the ticket just finished there,
    or a waiting screen that opens it when the counter finishes a ticket (live events). Signed
    in as an officer of the counter."""
    counter = access_counter(request.user, counter_id)
    since = clock.now() - TABLET_WINDOW
    ticket = (
        Ticket.objects.filter(counter=counter, status=Ticket.Status.DONE, finished_at__gte=since)
        .filter(survey_token__used_on__isnull=True)
        .select_related("mall__region", "service__tenant", "queue")
        .order_by("-finished_at")
        .first()
    )
    found = actions.survey_token_for(ticket) if ticket is not None else None
    if found is None or found.used_on is not None:
        thanked = request.GET.get("terima-kasih") == "1"
        return render(
            request,
            "surveys/tablet_idle.html",
            {"counter": counter, "mall": counter.mall, "thanked": thanked},
        )
    return _survey_form(
        request,
        found,
        channel=Response.Channel.TABLET,
        done_url=lambda: redirect(f"{request.path}?terima-kasih=1"),
        # Locked and in large type in front of citizens (surveys/_tablet_base.html).
        extra={"tablet": counter, "base_template": "surveys/_tablet_base.html"},
    )
