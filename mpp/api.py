"""The JSON API under /api/v1 (django-ninja), its error shapes and its OpenAPI document."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mpp.accounts.tokens import OptionalBearer
from mpp.catalog.exceptions import CatalogError
from mpp.core.text import NO_NUL
from mpp.malls.api import BadRequest, Error
from mpp.queueing.api import TicketIn
from mpp.queueing.exceptions import QueueError

api = NinjaAPI(
    title="MPP API",
    version="1",
    description=(
        "API Mal Pelayanan Publik: mal, instansi, dan layanan beserta standar pelayanannya. "
        "Kesalahan: 400 (parameter salah, bidang disebut di `detail`), 401, 403, 404."
    ),
    urls_namespace="api-v1",
)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Malformed parameters are a 400 that names each field (not django-ninja's 422)."""
    detail = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("query", "path", "body")]
        detail.append(
            {
                "field": ".".join(loc) or None,
                "message": _indonesian(error),
                "type": error.get("type", "value_error"),
            }
        )
    return api.create_response(request, {"detail": detail}, status=400)


def _indonesian(error: dict[str, Any]) -> str:
    """pydantic's message for a field, said in Indonesian (the type code stays for tools)."""
    ctx = error.get("ctx") or {}
    if error.get("type") == "string_pattern_mismatch" and ctx.get("pattern") == NO_NUL:
        return str(_("tidak boleh memuat karakter NUL"))
    messages = {
        "int_parsing": _("harus berupa bilangan bulat"),
        "int_type": _("harus berupa bilangan bulat"),
        "greater_than_equal": _("paling kecil %(ge)s") % {"ge": ctx.get("ge")},
        "greater_than": _("harus lebih besar dari %(gt)s") % {"gt": ctx.get("gt")},
        "less_than_equal": _("paling besar %(le)s") % {"le": ctx.get("le")},
        "string_too_long": _("paling panjang %(n)s karakter") % {"n": ctx.get("max_length")},
        "string_too_short": _("paling pendek %(n)s karakter") % {"n": ctx.get("min_length")},
        "missing": _("wajib diisi"),
        "string_type": _("harus berupa teks"),
        "bool_parsing": _("harus true atau false"),
        "json_invalid": _("JSON tidak sah"),
        "string_pattern_mismatch": _("bentuknya tidak sah"),
    }
    return str(messages.get(error.get("type", ""), _("nilai tidak sah")))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals, in Indonesian: a body that is not JSON ("Cannot parse request
    body") is the one a client meets."""
    status = exc.status_code
    if status == 400 and str(exc).startswith("Cannot parse request body"):
        message = _("Isi permintaan bukan JSON yang sah.")
    elif status == 403 and str(exc) == "CSRF check Failed":
        # The session check runs when no bearer token came: without a session either, the
        # caller is not signed in at all (401); with one, a page's form lost its CSRF token.
        if not request.user.is_authenticated:
            return on_unauthenticated(request, AuthenticationError())
        message = _("Token CSRF tidak ada atau tidak sah; muat ulang halaman lalu coba lagi.")
    else:
        message = str(exc)
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("Tidak ditemukan.")}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or _("Anda tidak berwenang.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Silakan masuk sebagai petugas.")}, status=401)


@api.exception_handler(CatalogError)
def on_catalog_error(request: HttpRequest, exc: CatalogError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(QueueError)
def on_queue_error(request: HttpRequest, exc: QueueError) -> HttpResponse:
    """Refusals (400) and wrong states (409) say what and why, with a stable code."""
    return api.create_response(request, {"detail": str(exc), "code": exc.code}, status=exc.status)


@api.get("/ping", summary="Titik API minimal (pembanding benchmark dan pemantauan)")
def ping(request: HttpRequest) -> dict[str, bool]:
    """The smallest JSON endpoint of our own: the baseline the queue bench compares against."""
    return {"ok": True}


class PingOut(Schema):
    ok: bool


@api.post(
    "/ping",
    auth=OptionalBearer(),
    response={200: PingOut, 400: BadRequest, 401: Error},
    summary="Titik API minimal: token dan isi permintaan nomor, tanpa mengambil nomor",
)
def ping_with_body(request: HttpRequest, payload: TicketIn) -> dict[str, bool]:
    """What a ticket request does before its own work: the token (a kiosk's, staff's, or none)
    and the same JSON body read and validated; no number is taken. The queue bench measures it
    beside issuing, for information: the difference is what numbering, its rules, its lock and
    its event cost (docs/BENCHMARKS.md)."""
    return {"ok": True}


def _register() -> None:
    from mpp.accounts.api import auth_router
    from mpp.accounts.api import router as accounts_router
    from mpp.catalog.api import router as catalog_router
    from mpp.investment.api import router as investment_router
    from mpp.malls.api import router as malls_router
    from mpp.queueing.api import router as queueing_router
    from mpp.surveys.api import router as surveys_router

    api.add_router("/malls", malls_router)
    api.add_router("/", catalog_router)
    api.add_router("/", queueing_router)
    api.add_router("/me", accounts_router)
    api.add_router("/auth", auth_router)
    api.add_router("/investment", investment_router)
    api.add_router("/surveys", surveys_router)


_register()
