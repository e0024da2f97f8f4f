"""The Indonesian error pages (the health checks are in core/health.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from mpp.core.errors import Code, api_error, is_api


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400, and a body over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig, which
    Django files under 400 too) as what it is: a 413."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if is_api(request):
        return api_error(_("Permintaan tidak dapat dibaca."), Code.INVALID, 400)
    return render(request, "400.html", status=400)


def too_large(request: HttpRequest) -> HttpResponse:
    limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    if request.content_type == "multipart/form-data":  # an upload (core.sheets, issue 16)
        limit_kb = settings.MPP_UPLOAD_MAX_BYTES // 1024
    if is_api(request):
        message = _("Isi permintaan terlalu besar (paling besar %(kb)s KB).") % {"kb": limit_kb}
        return api_error(message, Code.TOO_LARGE, 413)
    return render(request, "413.html", {"limit_kb": limit_kb}, status=413)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(_("Anda tidak berwenang."), Code.FORBIDDEN, 403)
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose page is too old (or sent from elsewhere): the 403 page, with what to do."""
    if is_api(request):
        return api_error(_("Anda tidak berwenang."), Code.FORBIDDEN, 403)
    message = _("Halaman ini sudah terlalu lama terbuka. Muat ulang halamannya, lalu kirim lagi.")
    return render(request, "403.html", {"reason": message}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page, saying what was not found when our code said it ("Nomor antrean tidak
    ditemukan.", "Belum ada data realisasi investasi untuk tahun 2019."): every Http404 we
    raise carries an Indonesian message. An unknown address (Resolver404) gets the page's
    general text."""
    reason = ""
    if type(exception) is Http404 and exception.args and isinstance(exception.args[0], str):
        reason = exception.args[0]
    if is_api(request):
        return api_error(reason or _("Tidak ditemukan."), Code.NOT_FOUND, 404)
    return render(request, "404.html", {"reason": reason}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500: the API's error shape under /api/, a page that needs no template context
    elsewhere (the failure may be in what a context processor reads)."""
    if is_api(request):
        message = _("Terjadi gangguan di server. Silakan coba lagi beberapa saat lagi.")
        return api_error(message, Code.SERVER_ERROR, 500)
    return HttpResponse(loader.render_to_string("500.html"), status=500)
