"""One shape for every error the API answers, and the choice between it and an Indonesian page.

Every refusal of the JSON API is `{"detail": ..., "code": ...}` (`Error`): `detail` is the
Indonesian message, or for malformed parameters the list of fields at fault; `code` is stable
for programs. Addresses under `/api/` get that JSON for every error status, including the ones
Django answers itself (unknown address, body too large, server error); other addresses get an
Indonesian page.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import ClassVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

API_PREFIX = "/api/"


class Code(StrEnum):
    """The `code` of the API's own refusals (the queue and the survey add their own)."""

    INVALID = "invalid"  # malformed parameters: `detail` lists the fields
    INVALID_JSON = "invalid_json"
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    CSRF_FAILED = "csrf_failed"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"


class Refused(Exception):
    """A request refused by one of the platform's rules: the one base of every app's refusals
    (docs/adr/0026). The API answers every one with one handler (mpp/api.py) as `Error`
    (`body()`) with `status`; a page shows `str(exc)`.

    - `str(exc)`: the message, in Indonesian, for the citizen or the officer;
    - `code`: the stable machine code, a member of the app's enum of codes (`codes`). A raise
      may pass the member or its string: either is checked against the enum here, so a
      misspelt code fails in the tests instead of reaching a client;
    - `status`: the HTTP status (the class's, or one given for this refusal);
    - `retry_after`: seconds, sent as the Retry-After header when set.
    """

    codes: ClassVar[tuple[type[StrEnum], ...]] = ()
    status: int = 400
    retry_after: int | None = None

    def __init__(
        self,
        message: str,
        *,
        code: StrEnum | str,
        status: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code: StrEnum | str = self._member(code)
        if status is not None:
            self.status = status
        if retry_after is not None:
            self.retry_after = retry_after

    @classmethod
    def _member(cls, code: StrEnum | str) -> StrEnum | str:
        if not cls.codes:
            return code
        for enum in cls.codes:
            if code in enum._value2member_map_:
                return enum(code)
        raise ValueError(f"{cls.__name__}: {code!r} is not one of its codes ({cls.codes})")

    def body(self) -> dict[str, object]:
        """The API's answer: `{"detail": message, "code": code}` (subclasses may add a key)."""
        return {"detail": str(self), "code": str(self.code)}


class FieldError(Schema):
    field: str | None
    message: str = Field(description="pesan dalam bahasa Indonesia")
    type: str = Field(description="kode kesalahan pydantic, misalnya int_parsing")


class Error(Schema):
    """Every error of the API."""

    detail: str | list[FieldError] = Field(
        description="pesan dalam bahasa Indonesia, atau daftar bidang yang salah (kode `invalid`)"
    )
    code: str = Field(description="kode kesalahan yang tetap, misalnya not_found")


class BadRequest(Error):
    """A 400 that names the fields at fault (code `invalid`)."""

    detail: list[FieldError]  # type: ignore[assignment]


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def is_json(content_type: str) -> bool:
    """`application/json` or a `+json` type (`application/merge-patch+json`)."""
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def api_error(detail: object, code: str, status: int) -> HttpResponse:
    """An `Error` body: the API's handlers and Django's own error handlers answer with it."""
    body = json.dumps({"detail": detail, "code": str(code)}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def nul_message() -> str:
    return str(_("tidak boleh memuat karakter NUL"))


def refuse_nul(request: HttpRequest, *, field: str | None) -> HttpResponse:
    """A NUL (or, in the address, another control character) where no value may hold one."""
    if is_api(request):
        error = {"field": field, "message": nul_message(), "type": "string_pattern_mismatch"}
        return api_error([error], Code.INVALID, 400)
    reason = (
        _("Isian “%(field)s” tidak boleh memuat karakter NUL.") % {"field": field}
        if field
        else _("Alamat memuat karakter yang tidak sah.")
    )
    return bad_request_page(request, reason=reason)


def refuse_media_type(request: HttpRequest) -> HttpResponse:
    return api_error(
        _("Isi permintaan harus JSON (Content-Type: application/json)."),
        Code.UNSUPPORTED_MEDIA_TYPE,
        415,
    )


def bad_request_page(request: HttpRequest, *, reason: str) -> HttpResponse:
    if is_api(request):
        return api_error(reason, Code.INVALID, 400)
    return render(request, "400.html", {"reason": reason}, status=400)
