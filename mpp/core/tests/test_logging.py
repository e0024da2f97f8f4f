"""A refused access is logged in one line; a server error keeps its traceback."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied

from mpp.core.logging import RefusalsWithoutTraceback


def _record(exc: BaseException) -> logging.LogRecord:
    try:
        raise exc
    except BaseException as caught:
        return logging.LogRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "Forbidden: %s",
            ("/x/",),
            (type(caught), caught, caught.__traceback__),
        )


def test_a_refusal_loses_its_traceback_and_an_error_keeps_it():
    handler_filter = RefusalsWithoutTraceback()
    refusal = _record(PermissionDenied("bukan milik Anda"))
    assert handler_filter.filter(refusal) and refusal.exc_info is None
    assert "Traceback" not in logging.Formatter().format(refusal)
    error = _record(ValueError("rusak"))
    assert handler_filter.filter(error) and error.exc_info is not None
    assert "Traceback" in logging.Formatter().format(error)
