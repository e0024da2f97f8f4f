"""Requests no view of ours can take are refused before any view runs, for every address at once.

- A NUL character in the path, a query parameter, a cookie or a form field: PostgreSQL's text
  cannot hold one, so each view that passed such a value to a query answered 500 there (the
  ticket page `/antrean/%00/`, the survey form, the Metapers chat and the console's reason: the
  last two read `request.POST` without a form, so the form fields' own NUL validator never ran).
  No field of ours needs a NUL, and no address another control character.
- A form body Django cannot parse (a multipart body without its boundary) is a 400, not a 500.

The API answers in its documented error shape (core.errors), pages with the Indonesian 400
page. Oversized bodies become a 413 in the error handlers (core.views), wherever they are read;
an API body that is not JSON a 415 where the API reads it (mpp/api.py, `JsonBodies`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from mpp.core import errors

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # never in an address of ours
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _first_nul(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    """The name of the first field whose name or one of whose values holds a NUL."""
    for name, values in pairs:
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "\\0")
    return None


class RefuseMalformedRequests:
    """Django middleware: 400 for NUL and control characters, for unreadable forms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        if _CONTROL.search(request.path_info):
            return errors.refuse_nul(request, field=None)
        # Query and cookies (the session cookie is looked up in the database, and Django's
        # cookie parser turns a quoted "\\000" into a NUL).
        cookies = ((name, [value]) for name, value in request.COOKIES.items())
        field = _first_nul(request.GET.lists()) or _first_nul(cookies)
        if field is not None:
            return errors.refuse_nul(request, field=field)
        # Django parses form bodies of POST only, and the CSRF check reads them next anyway.
        # The API takes JSON only: it refuses other bodies itself, without parsing them.
        if (
            request.method == "POST"
            and request.content_type in _FORMS
            and not errors.is_api(request)
        ):
            try:
                field = _first_nul(request.POST.lists()) or _first_nul(
                    (name, [upload.name or "" for upload in uploads])
                    for name, uploads in request.FILES.lists()
                )
            except MultiPartParserError:
                reason = _("Isi formulir tidak dapat dibaca.")
                return errors.bad_request_page(request, reason=reason)
            if field is not None:
                return errors.refuse_nul(request, field=field)
        return None
