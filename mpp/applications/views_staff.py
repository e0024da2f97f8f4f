"""The staff's pages of applications under /petugas/permohonan/ (docs/adr/0037): the live list
of open ones by deadline, one application with its steps, clock stops and the forms of the
steps allowed next, and opening one directly at the counter.

Every page fetches through applications.access (404 unknown, 403 outside the user's tenant and
mall) and every change goes through applications.actions, which time, audit and refuse; these
views parse, call and render. A phone number is only ever shown masked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mpp.applications import actions
from mpp.applications.access import (
    access_application,
    access_opening,
    workable_malls,
    workable_tenants,
)
from mpp.applications.exceptions import ApplicationCode, ApplicationError
from mpp.applications.forms import NOTE_MAX, PICKUP_MAX, ListFilter, MoveForm, OpenForm
from mpp.applications.models import Application, Status
from mpp.applications.queries import (
    Tab,
    in_tab,
    is_overdue,
    open_applications,
    soon_until,
    tab_counts,
    workable_scope,
)
from mpp.catalog.models import DurationUnit, Service, Tenant
from mpp.core import clock
from mpp.malls.models import Mall
from mpp.notifications.phone import mask_phone

LIST_LIMIT = 300  # rows a list shows; the tabs and filters narrow it

# Where the opening form shows a refusal of the action: next to the field it is about.
_FIELD_OF_REFUSAL: dict[str, str] = {
    ApplicationCode.NOT_OFFERED: "service",
    ApplicationCode.RECEIVED_IN_FUTURE: "received_on",
    ApplicationCode.RECEIVED_TOO_LONG_AGO: "received_on",
    ApplicationCode.INVALID_PHONE: "phone",
}


def _id(value: str | None) -> int | None:
    """A database id typed in a form, or None (the form then says what is wrong)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number < 2**31 else None


def _private(response: HttpResponse) -> HttpResponse:
    """Staff pages: never cached by a shared device's browser or a proxy."""
    response["Cache-Control"] = "no-store"
    return response


def _malls_of(user: object) -> QuerySet[Mall]:
    malls = workable_malls(user).select_related("region").order_by("pk")
    if not malls.exists():
        raise PermissionDenied(_("Anda tidak menangani permohonan di mal mana pun."))
    return malls


def _chosen_mall(malls: QuerySet[Mall], mall_id: int | None) -> Mall | None:
    if mall_id is None:
        return None
    found = malls.filter(pk=mall_id).first()
    if found is None:
        if not Mall.objects.filter(pk=mall_id).exists():
            raise Http404(_("Mal tidak ditemukan."))
        raise PermissionDenied(_("Anda tidak menangani permohonan di mal ini."))
    return found


def _tenants_of(user: object, malls: list[Mall]) -> QuerySet[Tenant]:
    ids: set[int] = set()
    for mall in malls:
        ids.update(workable_tenants(user, mall).values_list("pk", flat=True))
    return Tenant.objects.filter(pk__in=ids).order_by("sort_order", "name")


def _chosen_tenant(
    user: object, tenant_id: int | None, offered: QuerySet[Tenant], malls: Mall | QuerySet[Mall]
) -> int | None:
    """The tenant filter: one the user works for at one of `malls` (403), or unknown (404)."""
    if tenant_id is None or offered.filter(pk=tenant_id).exists():
        return tenant_id
    every = [malls] if isinstance(malls, Mall) else list(malls)
    if _tenants_of(user, every).filter(pk=tenant_id).exists():
        return tenant_id  # theirs, at a mall with no open application now
    if not Tenant.objects.filter(pk=tenant_id).exists():
        raise Http404(_("Instansi tidak ditemukan."))
    raise PermissionDenied(_("Anda tidak menangani permohonan instansi ini."))


def _days_left(application: Application, today: dt.date) -> int | None:
    """Calendar days to the due day (negative: days past it); None without a due day."""
    return None if application.due_date is None else (application.due_date - today).days


def _row(application: Application, *, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    left = _days_left(application, today)
    return {
        "application": application,
        "days_left": left,
        "days_late": -left if left is not None and left < 0 else 0,
        "is_overdue": is_overdue(application, now=now),
    }


@login_required
@require_safe
def staff_list(request: HttpRequest) -> HttpResponse:
    """Open applications the user works on, by due moment, in tabs: overdue, due soon,
    returned to the citizen, all."""
    malls = _malls_of(request.user)
    chosen = ListFilter(request.GET)
    tab = chosen.value("tab")
    mall = _chosen_mall(malls, chosen.value("mal"))
    # All malls: those with an open application (workable_tenants costs a query per mall).
    busy = open_applications().values("mall_id")
    scope = [mall] if mall is not None else list(malls.filter(pk__in=busy))
    here = mall or malls[0]  # a user's malls are of one region: one calendar, one zone
    tenants = _tenants_of(request.user, scope)
    tenant_id = _chosen_tenant(request.user, chosen.value("instansi"), tenants, mall or malls)
    now = clock.now()
    until = soon_until(here, now=now)
    qs = open_applications().filter(workable_scope(request.user, scope))
    if tenant_id is not None:
        qs = qs.filter(service__tenant_id=tenant_id)
    counts = tab_counts(qs, now=now, until=until)
    shown = in_tab(qs, tab, now=now, until=until).select_related(
        "mall", "mall__region", "service", "service__tenant"
    )
    if tab == Tab.RETURNED:
        shown = shown.order_by("paused_since", "id")
    else:
        shown = shown.order_by(F("due_at").asc(nulls_last=True), "received_at", "id")
    today = now.astimezone(here.zone).date()
    rows = [_row(a, today=today, now=now) for a in shown[:LIST_LIMIT]]
    context = {
        "tab": tab,
        "tabs": _tabs(counts, mal=mall.pk if mall else None, instansi=tenant_id),
        "counts": counts,
        "malls": malls,
        "mall": mall,
        "tenants": tenants,
        "tenant_id": tenant_id,
        "rows": rows,
        "limit": LIST_LIMIT,
        "truncated": len(rows) == LIST_LIMIT and counts[tab] > LIST_LIMIT,
    }
    return _private(render(request, "applications/staff_list.html", context))


def _tabs(counts: dict[str, int], **filters: int | None) -> list[dict[str, Any]]:
    """The tab links, each keeping the mall and tenant chosen."""
    kept: dict[str, int] = {name: value for name, value in filters.items() if value is not None}
    labels = {
        Tab.OVERDUE: _("Lewat batas"),
        Tab.SOON: _("Segera jatuh tempo"),
        Tab.RETURNED: _("Dikembalikan"),
        Tab.ALL: _("Semua yang berjalan"),
    }
    return [
        {
            "key": key,
            "label": labels[key],
            "count": counts[key],
            "query": urlencode([("tab", key), *kept.items()]),
        }
        for key in Tab.CHOICES
    ]


# --- one application ---------------------------------------------------------------------------


def _next_steps(application: Application) -> list[dict[str, Any]]:
    """The steps allowed from the current one (the actions' table), each with its form."""
    labels = dict(Status.choices)
    return [{"status": s, "label": labels[s]} for s in actions.next_steps(application)]


def _detail_context(
    application: Application, *, form: MoveForm | None = None, refusal: str = ""
) -> dict[str, Any]:
    now = clock.now()
    today = now.astimezone(application.mall.zone).date()
    steps = list(application.steps.select_related("by").order_by("at", "id"))
    pauses = list(application.pauses.order_by("started_at", "id"))
    row = _row(application, today=today, now=now)
    return {
        "application": application,
        "steps": steps,
        "pauses": pauses,
        "phone_masked": mask_phone(application.phone),
        "duration_unit": dict(DurationUnit.choices).get(application.duration_unit, ""),
        "days_left": row["days_left"],
        "days_late": row["days_late"],
        "is_overdue": row["is_overdue"],
        "note_max": NOTE_MAX,
        "pickup_max": PICKUP_MAX,
        "next_steps": _next_steps(application),
        "form": form,
        "refusal": refusal,
        "pickup_place_default": actions.default_pickup_place(application),
        "pickup_time_default": actions.default_pickup_time(),
        "slip_url": _slip_url(application),
    }


def _slip_url(application: Application) -> str:
    """The receipt slip's page (applications.views_public), if it has one."""
    try:
        return reverse("applications:slip", args=[application.code])
    except NoReverseMatch:
        return ""


@login_required
@require_safe
def staff_detail(request: HttpRequest, code: str) -> HttpResponse:
    application = access_application(request.user, code)
    return _private(render(request, "applications/staff_detail.html", _detail_context(application)))


@login_required
@require_POST
def staff_move(request: HttpRequest, code: str) -> HttpResponse:
    """One step (diverifikasi, dikembalikan with what is missing, siap diambil with where and
    when...); refused out of order (409) or without what it needs (400), nothing written."""
    application = access_application(request.user, code)
    form = MoveForm(request.POST)
    if not form.is_valid():
        context = _detail_context(application, form=form)
        return _private(render(request, "applications/staff_detail.html", context, status=400))
    data = form.cleaned_data
    try:
        moved = actions.move(
            application=application,
            status=data["status"],
            acting_user=request.user,
            note=data["note"].strip(),
            pickup_place=data["pickup_place"].strip(),
            pickup_time=data["pickup_time"].strip(),
        )
    except ApplicationError as refused:
        application.refresh_from_db()
        context = _detail_context(application, form=form, refusal=refused.message)
        return _private(
            render(request, "applications/staff_detail.html", context, status=refused.status)
        )
    messages.success(
        request,
        _("Permohonan %(c)s: %(s)s.") % {"c": moved.grouped_code, "s": moved.get_status_display()},
    )
    return redirect("applications:staff-detail", code=moved.code)


# --- opened at the counter ---------------------------------------------------------------------


def _offered_services(user: object, malls: list[Mall]) -> QuerySet[Service]:
    """Services of the tenants the user works for at each mall, offered there."""
    scope = Q(pk__in=[])
    for mall in malls:
        scope |= Q(offerings__mall=mall, tenant__in=workable_tenants(user, mall).values("pk"))
    return (
        Service.objects.active()
        .filter(pk__in=Service.objects.filter(scope).values("pk"))
        .select_related("tenant")
        .order_by("tenant__sort_order", "name")
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_open(request: HttpRequest) -> HttpResponse:
    """Files taken in at the counter without a queue ticket: the receipt and its due date."""
    malls = _malls_of(request.user)
    mall_list = list(malls)
    today = clock.now().astimezone(mall_list[0].zone).date()
    form = OpenForm(
        request.POST or None,
        malls=malls,
        services=_offered_services(request.user, mall_list),
        today=today,
    )
    status = 200
    if request.method == "POST":
        # Both named and readable: someone else's tenant or mall is refused (403/404) before
        # the form is read, as the API does (access_opening); unreadable: the form's 400.
        mall_id, service_id = _id(request.POST.get("mall")), _id(request.POST.get("service"))
        if mall_id is not None and service_id is not None:
            access_opening(request.user, mall_id=mall_id, service_id=service_id)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = actions.open_application(
                    mall=data["mall"],
                    service=data["service"],
                    acting_user=request.user,
                    received_on=data["received_on"],
                    phone=data["phone"].strip(),
                )
            except ApplicationError as refused:
                form.add_error(_FIELD_OF_REFUSAL.get(str(refused.code)), refused.message)
                status = refused.status
            else:
                messages.success(
                    request,
                    _("Permohonan %(c)s diterima; batas selesai tercantum di tanda terima.")
                    % {"c": made.grouped_code},
                )
                return redirect(_slip_url(made) or reverse(
                    "applications:staff-detail", kwargs={"code": made.code}
                ))  # fmt: skip
    context = {"form": form, "single_mall": len(mall_list) == 1, "mall": mall_list[0]}
    return _private(render(request, "applications/staff_open.html", context, status=status))
