"""The language of public screens: a TV board or a kiosk in the mall speaks Indonesian, whatever
language the device's browser was set up with (cheap Android TVs and tablets often come set to
English, and nobody at the mall changes it). A language chosen on the page itself (the language
cookie, set by the switcher in the footer) still wins."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def public_screen(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render `view` in the site's language (settings.LANGUAGE_CODE) unless the visitor chose
    one with the language cookie; the browser's Accept-Language is not asked."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        with translation.override(settings.LANGUAGE_CODE):
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
        # LocaleMiddleware only sets the header when missing: it would name the browser's.
        response.headers["Content-Language"] = settings.LANGUAGE_CODE
        return response

    return wrapped
