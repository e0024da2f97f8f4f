"""Disdukcapil's follow-up of a programme's married couples under /program/<slug>/dukcapil/
(issue 20, item 7): each couple with its new KK and two KTP-el, worked to "selesai". The
officers who process the couples see their NIKs, and each showing is logged (UU 27/2022)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mpp.accounts.models import Role, StaffProfile
from mpp.core.nik import mask_nik
from mpp.programs import civil, kua
from mpp.programs.access_kua import access_civil_programme, access_civil_task
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.forms_kua import CivilTaskForm
from mpp.programs.models import CivilTask, Person, Programme, Registration

OPEN_TASK = (CivilTask.Status.OPEN, CivilTask.Status.IN_PROGRESS)


@login_required
@require_safe
def tasks(request: HttpRequest, slug: str) -> HttpResponse:
    profile, programme = access_civil_programme(request.user, slug)
    return _render(request, profile, programme)


@login_required
@require_POST
def task_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Mark one task in progress or done (with the issued document's number)."""
    task = access_civil_task(request.user, slug, pk)
    profile, programme = access_civil_programme(request.user, slug)
    form = CivilTaskForm(request.POST)
    if not form.is_valid():
        return _render(request, profile, programme, error=_("Pilih status."), status=400)
    try:
        civil.set_task_status(task=task, acting_user=request.user, **form.cleaned_data)
    except ProgramRefused as refused:
        return _render(request, profile, programme, error=str(refused), status=refused.status)
    messages.success(
        request,
        _("%(c)s: %(k)s — %(s)s.")
        % {
            "c": task.registration.code,
            "k": task.get_kind_display(),
            "s": CivilTask.Status(form.cleaned_data["status"]).label,
        },
    )
    return redirect(reverse("programs:civil", args=[slug]) + f"#pasangan-{task.registration_id}")


def _render(
    request: HttpRequest,
    profile: StaffProfile,
    programme: Programme,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    married = Registration.objects.filter(programme=programme, status=Registration.Status.MARRIED)
    unfinished = married.filter(civil_tasks__status__in=OPEN_TASK).distinct()
    # A busy morning: the couples still waiting, in the order they married; the finished ones
    # (and their NIKs) only when asked for.
    show_all = request.GET.get("semua") == "1"
    couples = list(
        (married if show_all else married.filter(pk__in=unfinished.values("pk")))
        .order_by("married_at", "pk")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.filter(role__in=["groom", "bride"])),
            Prefetch("civil_tasks", queryset=CivilTask.objects.select_related("ticket__queue")),
        )
    )
    # Disdukcapil's officers process the couples: they read the NIKs (logged); the
    # administrator oversees the work and sees them masked.
    show_nik = profile.role == Role.TENANT_OFFICER
    if show_nik:
        kua.record_nik_read(
            programme=programme, registrations=couples, where="civil", acting_user=request.user
        )
    rows = [
        (
            r,
            [(p, p.nik if show_nik else mask_nik(p.nik)) for p in r.people.all()],
            r.civil_tasks.all(),
        )
        for r in couples
    ]
    context = {
        "programme": programme,
        "rows": rows,
        "show_all": show_all,
        "finished_count": married.count() - unfinished.count(),
        "show_nik": show_nik,
        "error": error,
        "form": CivilTaskForm(),
    }
    return render(request, "programs/civil_tasks.html", context, status=status)
