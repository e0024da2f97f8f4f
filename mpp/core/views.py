"""The Indonesian error pages (the health checks are in core/health.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page, saying what was not found when our code said it ("Nomor antrean tidak
    ditemukan.", "Belum ada data realisasi investasi untuk tahun 2019."): every Http404 we
    raise carries an Indonesian message. An unknown address (Resolver404) gets the page's
    general text."""
    reason = ""
    if type(exception) is Http404 and exception.args and isinstance(exception.args[0], str):
        reason = exception.args[0]
    return render(request, "404.html", {"reason": reason}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
