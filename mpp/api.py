"""The JSON API under /api/v1 (django-ninja), its error shapes and its OpenAPI document."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from mpp.accounts.tokens import OptionalBearer
from mpp.core import errors
from mpp.core import views as core_views
from mpp.core.errors import BadRequest, Code, Error, Refused
from mpp.core.text import NO_NUL
from mpp.queueing.api import TicketIn


class MppAPI(NinjaAPI):
    """The published document declares, on every operation, the errors any request may meet
    (see `errors_any_operation_may_answer`), so a client and the fuzz test know them all."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        declare_common_errors(schema)
        return schema


class NotJson(Exception):
    """A request body whose Content-Type is not JSON."""


class JsonBodies(Parser):
    """django-ninja parses any body as JSON whatever its Content-Type, so a `text/plain` or form
    post was taken as JSON: only JSON types are read here, the others are a 415."""

    def parse_body(self, request: HttpRequest) -> Any:
        if not errors.is_json(request.content_type or ""):
            raise NotJson  # ninja wraps it in HttpError(400): on_http_error makes it a 415
        return super().parse_body(request)


api = MppAPI(
    parser=JsonBodies(),
    title="MPP API",
    version="1",
    description=(
        "API Mal Pelayanan Publik: mal, instansi, dan layanan beserta standar pelayanannya. "
        "Setiap kesalahan berbentuk `Error`: `detail` (pesan dalam bahasa Indonesia, atau "
        "daftar bidang yang salah) dan `code` yang tetap. 400 (parameter salah), 401, 403, "
        "404, 413 (isi terlalu besar), 415 (isi bukan JSON), 500."
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
    return api.create_response(request, {"detail": detail, "code": Code.INVALID}, status=400)


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
        "string_unicode": _("memuat karakter yang tidak sah"),  # a lone surrogate ("\\ud800")
    }
    return str(messages.get(error.get("type", ""), _("nilai tidak sah")))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals, in Indonesian: a body that is not JSON ("Cannot parse request
    body") is the one a client meets."""
    if isinstance(exc.__cause__, NotJson):
        return errors.refuse_media_type(request)
    status = exc.status_code
    code = Code.INVALID if status == 400 else Code.FORBIDDEN if status == 403 else str(status)
    if status == 400 and str(exc).startswith("Cannot parse request body"):
        message, code = _("Isi permintaan bukan JSON yang sah."), Code.INVALID_JSON
    elif status == 403 and str(exc) == "CSRF check Failed":
        # The session check runs when no bearer token came: without a session either, the
        # caller is not signed in at all (401); with one, a page's form lost its CSRF token.
        if not request.user.is_authenticated:
            return on_unauthenticated(request, AuthenticationError())
        message = _("Token CSRF tidak ada atau tidak sah; muat ulang halaman lalu coba lagi.")
        code = Code.CSRF_FAILED
    else:
        message = str(exc)
    return api.create_response(request, {"detail": message, "code": code}, status=status)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    detail = str(exc) or _("Tidak ditemukan.")
    return api.create_response(request, {"detail": detail, "code": Code.NOT_FOUND}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or _("Anda tidak berwenang.")
    return api.create_response(request, {"detail": message, "code": Code.FORBIDDEN}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = _("Silakan masuk sebagai petugas.")
    return api.create_response(
        request, {"detail": detail, "code": Code.UNAUTHENTICATED}, status=401
    )


@api.exception_handler(RawPostDataException)
def on_form_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    """A form body that the session's CSRF check read as a form before the API read the body:
    not JSON either."""
    return errors.refuse_media_type(request)


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 (Django itself would call it a 400)."""
    return core_views.too_large(request)


@api.exception_handler(Refused)
def on_refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    """Every app's refusals (core.errors.Refused), in one place: sign-in and tokens (401, 429
    locked out), the catalogue (400), the queue (400, 403, 409, 422), the survey (400, 404, 409,
    410): what and why, with the app's stable code, and Retry-After when the refusal has one."""
    response = api.create_response(request, exc.body(), status=exc.status)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


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
    from mpp.applications.api import router as applications_router
    from mpp.appointments.api import router as appointments_router
    from mpp.catalog.api import router as catalog_router
    from mpp.complaints.api import router as complaints_router
    from mpp.investment.api import router as investment_router
    from mpp.malls.api import router as malls_router
    from mpp.malls.jobs import router as jobs_router
    from mpp.programs.api import router as programs_router
    from mpp.queueing.api import router as queueing_router
    from mpp.rollout.api import router as rollout_router
    from mpp.surveys.api import router as surveys_router

    api.add_router("/malls", malls_router)
    api.add_router("/", catalog_router)
    api.add_router("/", queueing_router)
    api.add_router("/me", accounts_router)
    api.add_router("/auth", auth_router)
    api.add_router("/jobs", jobs_router)
    api.add_router("/investment", investment_router)
    api.add_router("/surveys", surveys_router)
    api.add_router("/", rollout_router)
    api.add_router("/", programs_router)
    api.add_router("/", appointments_router)
    api.add_router("/", applications_router)
    api.add_router("/", complaints_router)


_register()


# What any request may meet whatever the operation, answered by core.malformed, the handlers
# above and Django's own error handlers (core.views), all with an `Error` body.
_ANY_OPERATION = (400, 500)  # a NUL in the address or query; a fault of ours
_WITH_AUTH = (401, 403)  # no or a wrong token, a missing CSRF token, out of scope
_WITH_ID = (404,)  # an id in the address names nothing
_WITH_BODY = (413, 415)  # a body too large, or not JSON
_BODY_METHODS = frozenset({"post", "put", "patch", "delete"})


def errors_any_operation_may_answer(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    statuses = set(_ANY_OPERATION)
    if operation.get("security"):
        statuses.update(_WITH_AUTH)
    if "{" in path:
        statuses.update(_WITH_ID)
    if method in _BODY_METHODS:
        statuses.update(_WITH_BODY)
    return statuses


def declare_common_errors(schema: Any) -> None:
    """Each operation's document gains the `Error` body for each status of
    `errors_any_operation_may_answer`, beside whatever it declares itself for that status."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "Error" not in components:
        generated = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(generated.pop("$defs", {}))
        components["Error"] = generated
    ref = {"$ref": "#/components/schemas/Error"}
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            # django-ninja keys responses by int: one key per status, or the JSON document gets
            # "400" twice and Swagger UI (/api/v1/docs) refuses to read it.
            for key in [k for k in responses if not isinstance(k, str)]:
                responses[str(key)] = responses.pop(key)
            for status in sorted(errors_any_operation_may_answer(path, method, operation)):
                response = responses.setdefault(
                    str(status), {"description": HTTPStatus(status).phrase}
                )
                media = response.setdefault("content", {}).setdefault("application/json", {})
                declared = media.get("schema")
                if declared is None:
                    media["schema"] = ref
                elif declared != ref and ref not in declared.get("anyOf", ()):
                    media["schema"] = {"anyOf": [*declared.get("anyOf", [declared]), ref]}
