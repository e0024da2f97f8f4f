"""Training pages: the scenario "layani-pengunjung" step by step, and who has completed it.

Every step is a plain form (post, then redirect to the page): no JavaScript needed. The rules
and the rolled-back rehearsal live in training.py; these views only fetch, parse and render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mpp.metapers import actions, training
from mpp.metapers.training import Trainee, TrainingRefused
from mpp.queueing.access import access_counter

Step = Callable[[dict[str, Any], Trainee], dict[str, Any]]


class CounterForm(forms.Form):
    counter = forms.IntegerField(min_value=1)


def _page(
    request: HttpRequest, trainee: Trainee, *, status: int = 200, error: str = ""
) -> HttpResponse:
    try:
        state = training.state_of(request.session, trainee)
        service = training.service_of(state)
    except TrainingRefused as refused:  # nothing to train on at this mall
        context = {"trainee": trainee, "mall": trainee.mall, "error": str(refused)}
        return render(request, "metapers/training.html", context, status=refused.status)
    step = training.current_step(state)
    context = {
        "trainee": trainee,
        "mall": trainee.mall,
        "state": state,
        "step": step,
        "steps_done": [s for s in training.STEPS if training.is_done(state, s)],
        "service": service,
        "counters": training.training_counters(trainee, service) if step == "call" else [],
        "completion": training.completion_of(trainee) if step is None else None,
        "error": error,
    }
    return render(request, "metapers/training.html", context, status=status)


@login_required
@require_safe
def training_page(request: HttpRequest) -> HttpResponse:
    """The scenario at one of the operator's malls (`?mall=<slug>`, default their first)."""
    trainee = training.access_training(request.user, request.GET.get("mall"))
    return _page(request, trainee)


def _take_step(request: HttpRequest, change: Step, trainee: Trainee | None = None) -> HttpResponse:
    """Apply one step to the session's scenario; record the completion after the last one."""
    trainee = trainee or training.access_training(request.user, request.POST.get("mall"))
    try:
        state = change(training.state_of(request.session, trainee), trainee)
    except TrainingRefused as refused:
        return _page(request, trainee, status=refused.status, error=str(refused))
    if training.current_step(state) is None and "recorded" not in state:
        recorded = actions.record_completion(trainee=trainee, state=state)
        state["recorded"] = {"created": recorded.created}
        if recorded.created:
            messages.success(request, _("Pelatihan selesai dan tercatat. Selamat!"))
        else:
            messages.info(request, _("Pelatihan selesai; penyelesaian Anda sudah tercatat."))
    training.save_state(request.session, trainee, state)
    return redirect(f"{reverse('metapers:training')}?mall={trainee.mall.slug}")


@login_required
@require_POST
def training_reply(request: HttpRequest) -> HttpResponse:
    """Step a: the operator's reply to the virtual visitor."""
    text = request.POST.get("text", "")
    return _take_step(request, lambda state, _trainee: training.answer_chat(state, text))


@login_required
@require_POST
def training_issue(request: HttpRequest) -> HttpResponse:
    """Step b: issue the visitor's number (rolled back)."""
    return _take_step(request, lambda state, trainee: training.issue_number(state, trainee=trainee))


@login_required
@require_POST
def training_call(request: HttpRequest) -> HttpResponse:
    """Step c: call the visitor's number at one of the operator's counters (rolled back)."""
    trainee = training.access_training(request.user, request.POST.get("mall"))
    form = CounterForm(request.POST)
    if not form.is_valid():
        return _page(request, trainee, status=400, error=_("Pilih loket Anda."))
    counter = access_counter(request.user, form.cleaned_data["counter"])
    return _take_step(
        request,
        lambda state, trainee: training.call_number(state, trainee=trainee, counter=counter),
        trainee,
    )


@login_required
@require_POST
def training_acknowledge(request: HttpRequest) -> HttpResponse:
    """ "Saya mengerti": the operator has read the real refusal of a step."""
    step = request.POST.get("step", "")
    return _take_step(request, lambda state, _trainee: training.acknowledge(state, step))


@login_required
@require_POST
def training_restart(request: HttpRequest) -> HttpResponse:
    """A new virtual visitor (the recorded completion stays)."""
    trainee = training.access_training(request.user, request.POST.get("mall"))
    training.save_state(request.session, trainee, None)
    return redirect(f"{reverse('metapers:training')}?mall={trainee.mall.slug}")


@login_required
@require_safe
def training_report(request: HttpRequest) -> HttpResponse:
    """Who has completed the training, per mall, within the reader's scope."""
    malls = training.access_training_report(request.user)
    completions = list(training.completions_at(malls))
    return render(request, "metapers/training_report.html", {"completions": completions})
