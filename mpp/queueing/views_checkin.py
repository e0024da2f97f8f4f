"""The kiosk's check-in screen: "Saya sudah punya janji temu", one input for the code (typed, or
typed by a QR scanner acting as a keyboard), then the same slip as any number (docs/adr/0036).

A plain form POST with the kiosk's session and CSRF token, as the kiosk's other forms: it works
without JavaScript. A refusal shows the screen again with the reason in large words, so the
person can correct the code at once.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mpp.accounts.access import staff_profile
from mpp.core.language import public_screen
from mpp.queueing.checkin import CheckInRefused, check_in
from mpp.queueing.exceptions import (
    OutOfPaper,
    PrinterNotInstalled,
    PrinterUnavailable,
    QueueError,
    page_message,
)
from mpp.queueing.printing import print_slip
from mpp.queueing.views import _kiosk_mall, _phone_url


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode janji temu"),
        max_length=64,
        strip=True,  # Django's CharField refuses NUL characters itself
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@public_screen
def kiosk_checkin(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the screen with the code's input. POST: check the booking in (checkin.check_in),
    print the slip on the kiosk's network printer if it has one, and show the slip."""
    mall = _kiosk_mall(request, slug)
    form = CheckInForm(request.POST if request.method == "POST" else None)
    message, status = "", 200
    if request.method == "POST":
        if not form.is_valid():
            message, status = _("Ketik kode janji temu Anda."), 400
        else:
            try:
                done = check_in(code=form.cleaned_data["code"], mall=mall, acting_user=request.user)
            except QueueError as refused:
                message, status = page_message(refused), refused.status
            except CheckInRefused as refused:
                message, status = str(refused), refused.status
            else:
                slip = reverse(
                    "queueing:kiosk-slip", kwargs={"slug": mall.slug, "code": done.ticket.code}
                )
                profile = staff_profile(request.user)
                if done.created and profile is not None and profile.has_network_printer:
                    try:
                        print_slip(
                            done.ticket,
                            host=profile.printer_host,
                            port=profile.printer_port,
                            phone_url=_phone_url(request, done.ticket),
                        )
                    except OutOfPaper:
                        slip += "?cetak=kertas"
                    except PrinterNotInstalled:
                        slip += "?cetak=paket"
                    except PrinterUnavailable:
                        slip += "?cetak=gagal"
                return redirect(slip)
    return render(
        request,
        "queueing/kiosk_checkin.html",
        {"mall": mall, "form": form, "message": message},
        status=status,
    )
