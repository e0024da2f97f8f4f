"""Booking's pages (phone first, no JavaScript needed): choose a mall, a service, a day and a
slot; the form with NIK and phone; the booking's own page at its secret address (code, QR,
what to bring, calendar file, cancel and move); and the staff's list of a day's bookings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mpp.appointments import booking
from mpp.appointments.access import access_appointment_by_key, access_bookings_list
from mpp.appointments.api import bookings_per_hour
from mpp.appointments.exceptions import AppointmentRefused
from mpp.appointments.ics import calendar_file
from mpp.appointments.models import Appointment, BookableService, Slot
from mpp.appointments.slots import (
    Bookable,
    access_bookable,
    bookable_range,
    day_slots,
    hours_for_booking,
    settings_for,
)
from mpp.appointments.upkeep import check_in_ends
from mpp.core.ratelimit import allow
from mpp.malls.models import Mall
from mpp.notifications.phone import mask_phone


def _private(response: HttpResponse, *, referrer: str = "same-origin") -> HttpResponse:
    """A page with a booking's data or its secret address: never cached, never a referrer."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = referrer
    return response


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def _time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if value and len(value) == 5 else None
    except ValueError:
        return None


def long_date(day: dt.date) -> str:
    return date_format(day, "l, j F Y")


def _days(bookable: Bookable) -> list[dict[str, Any]]:
    """The bookable range, each day with whether it can be booked (and why not)."""
    today = bookable.mall.local_now().date()
    first, last = bookable_range(bookable.rules, today)
    out = []
    day = first
    while day <= last:
        reason = ""
        try:
            hours_for_booking(bookable, day, today=today)
        except AppointmentRefused as refused:
            reason = str(refused)
        out.append({"date": day, "iso": day.isoformat(), "label": long_date(day), "closed": reason})
        day += dt.timedelta(days=1)
    return out


def _bookable_malls() -> list[Mall]:
    ids = BookableService.objects.filter(is_enabled=True).values("mall_id")
    return list(Mall.objects.public().filter(pk__in=ids).select_related("district"))


@require_safe
def choose(request: HttpRequest) -> HttpResponse:
    """Step by step in the address (?mall=&service=&date=): every step is a plain link."""
    mall_id = _int(request.GET.get("mall"))
    service_id = _int(request.GET.get("service"))
    day = _date(request.GET.get("date"))
    context: dict[str, Any] = {"malls": _bookable_malls()}
    if mall_id is None:
        return render(request, "appointments/choose.html", context)
    mall = Mall.objects.public().filter(pk=mall_id).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    context["mall"] = mall
    context["services"] = list(
        BookableService.objects.filter(mall=mall, is_enabled=True, service__is_active=True)
        .select_related("service", "service__tenant")
        .order_by("service__tenant__sort_order", "service__name")
    )
    if service_id is None:
        return render(request, "appointments/choose.html", context)
    bookable = access_bookable(mall_id=mall.pk, service_id=service_id)
    context["bookable"] = bookable
    context["days"] = _days(bookable)
    if day is None:
        return render(request, "appointments/choose.html", context)
    context["day"] = day
    context["day_label"] = long_date(day)
    status = 200
    try:
        context["slots"] = _slot_rows(day_slots(bookable, day, today=mall.local_now().date()))
    except AppointmentRefused as refused:
        context["day_refused"] = str(refused)
        status = refused.status
    return render(request, "appointments/choose.html", context, status=status)


def _slot_rows(slots: list[Slot]) -> list[dict[str, Any]]:
    return [
        {
            "start": s.start.strftime("%H:%M"),
            "label": f"{s.start:%H.%M}–{s.end:%H.%M}",
            "available": max(0, s.capacity - s.booked),
            "capacity": s.capacity,
        }
        for s in slots
    ]


class BookingForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK (16 angka, dari KTP atau KK)"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Nomor HP"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    messages = forms.BooleanField(
        label=gettext_lazy("Kirimi saya konfirmasi dan pengingat sehari sebelumnya (WhatsApp/SMS)"),
        required=False,
    )


def _chosen(request: HttpRequest) -> tuple[Bookable, dt.date, dt.time]:
    source = request.POST if request.method == "POST" else request.GET
    mall_id, service_id = _int(source.get("mall")), _int(source.get("service"))
    day, start = _date(source.get("date")), _time(source.get("start"))
    if mall_id is None or service_id is None or day is None or start is None:
        raise Http404(_("Pilih mal, layanan, hari, dan sesi terlebih dahulu."))
    return access_bookable(mall_id=mall_id, service_id=service_id), day, start


@require_http_methods(["GET", "HEAD", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    bookable, day, start = _chosen(request)
    form = BookingForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        address = request.META.get("REMOTE_ADDR", "")
        if not allow(
            f"appointments-book:{address}", limit=bookings_per_hour(), window_seconds=3600
        ):
            form.add_error(None, _("Terlalu banyak pemesanan dari jaringan ini; coba lagi nanti."))
            status = 429
        else:
            try:
                made = booking.book(
                    bookable=bookable,
                    day=day,
                    start=start,
                    nik=form.cleaned_data["nik"],
                    phone=form.cleaned_data["phone"],
                    wants_messages=form.cleaned_data["messages"],
                    channel=Appointment.Channel.WEB,
                )
            except AppointmentRefused as refused:
                field = refused.field if refused.field in ("nik", "phone") else None
                form.add_error(field, str(refused))
                status = refused.status
            else:
                messages.success(request, _("Janji temu Anda tersimpan."))
                return redirect("appointments:booking", access_key=made.access_key)
    elif request.method == "POST":
        status = 400
    context = {
        "bookable": bookable,
        "day": day,
        "day_label": long_date(day),
        "start": start.strftime("%H:%M"),
        "form": form,
    }
    return _private(render(request, "appointments/book.html", context, status=status))


def _booking_context(request: HttpRequest, found: Appointment, **extra: Any) -> dict[str, Any]:
    rules = settings_for(found.mall)
    slot = found.slot
    opens = dt.datetime.combine(slot.date, slot.start, tzinfo=found.mall.zone) - dt.timedelta(
        minutes=rules.checkin_before_minutes
    )
    closes = check_in_ends(found, after_minutes=rules.checkin_after_minutes)
    return {
        "appointment": found,
        "day_label": long_date(slot.date),
        "time_label": f"{slot.start:%H.%M}–{slot.end:%H.%M}",
        "checkin_from": opens.strftime("%H.%M"),
        "checkin_until": closes.strftime("%H.%M"),
        "phone_masked": mask_phone(found.phone),
        "requirements": [str(r) for r in found.service.requirements or []],
        "qr": segno.make(found.code, error="m").svg_data_uri(scale=6, border=2),
        "is_booked": found.status == Appointment.Status.BOOKED,
        **extra,
    }


@require_safe
def booking_page(request: HttpRequest, access_key: str) -> HttpResponse:
    found = access_appointment_by_key(access_key)
    return _private(render(request, "appointments/booking.html", _booking_context(request, found)))


@require_safe
def calendar(request: HttpRequest, access_key: str) -> HttpResponse:
    found = access_appointment_by_key(access_key)
    body = calendar_file(found, host=request.get_host().split(":")[0] or "mpp")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="janji-temu-{found.code}.ics"'
    return _private(response, referrer="no-referrer")


@require_POST
def cancel(request: HttpRequest, access_key: str) -> HttpResponse:
    found = access_appointment_by_key(access_key)
    try:
        booking.cancel(found)
    except AppointmentRefused as refused:
        context = _booking_context(request, found, cancel_message=str(refused))
        return _private(
            render(request, "appointments/booking.html", context, status=refused.status)
        )
    messages.success(request, _("Janji temu dibatalkan; tempatnya kini terbuka untuk orang lain."))
    return redirect("appointments:booking", access_key=found.access_key)


@require_http_methods(["GET", "HEAD", "POST"])
def move(request: HttpRequest, access_key: str) -> HttpResponse:
    """Choose another day and slot of the same service at the same mall."""
    found = access_appointment_by_key(access_key)
    bookable = access_bookable(mall_id=found.mall_id, service_id=found.service_id)
    source = request.POST if request.method == "POST" else request.GET
    day = _date(source.get("date"))
    context = _booking_context(request, found, bookable=bookable, days=_days(bookable))
    status = 200
    if request.method == "POST":
        start = _time(request.POST.get("start"))
        if day is None or start is None:
            context["move_message"] = _("Pilih hari dan sesi baru.")
            status = 400
        else:
            try:
                booking.reschedule(found, bookable=bookable, day=day, start=start)
            except AppointmentRefused as refused:
                context["move_message"] = str(refused)
                status = refused.status
            else:
                messages.success(request, _("Janji temu dipindah ke %(day)s pukul %(t)s.") % {
                    "day": long_date(day), "t": start.strftime("%H.%M")
                })  # fmt: skip
                return redirect("appointments:booking", access_key=found.access_key)
    if day is not None:
        context["day"] = day
        context["day_label_new"] = long_date(day)
        try:
            context["slots"] = _slot_rows(
                day_slots(bookable, day, today=found.mall.local_now().date())
            )
        except AppointmentRefused as refused:
            context["move_message"] = str(refused)
            status = refused.status
    return _private(render(request, "appointments/move.html", context, status=status))


@login_required
@require_safe
def staff_list(request: HttpRequest, mall_id: int) -> HttpResponse:
    """A mall's bookings of one day, per slot, with the masked NIK only."""
    mall = access_bookings_list(request.user, mall_id)
    day = _date(request.GET.get("date")) or mall.local_now().date()
    slots = list(
        Slot.objects.filter(mall=mall, date=day)
        .select_related("service")
        .annotate(active=Count("appointments", filter=Q(appointments__status="booked")))
        .order_by("start", "service__name")
    )
    rows = list(
        Appointment.objects.filter(mall=mall, slot__date=day)
        .select_related("slot", "service")
        .order_by("slot__start", "service__name", "id")
    )
    context = {
        "mall": mall,
        "day": day,
        "day_label": long_date(day),
        "prev": (day - dt.timedelta(days=1)).isoformat(),
        "next": (day + dt.timedelta(days=1)).isoformat(),
        "slots": slots,
        "appointments": rows,
    }
    return _private(render(request, "appointments/staff_list.html", context))
