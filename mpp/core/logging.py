"""Log filters and the JSON format (settings.LOGGING).

A refused access (403) is an ordinary answer: Django logs it with the whole traceback of the
PermissionDenied, and dozens of those a day hid real server errors in the log (QA on `make
demo`). The record stays, one line, without the traceback."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter


class RefusalsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True


class JsonLines(JsonFormatter):
    """One JSON object a line (MPP_LOG_FORMAT=json; docs/adr/0024): python-json-logger's, less
    uvicorn's `color_message`, its message again with terminal colour codes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "color_message"])
        super().__init__(*args, **kwargs)
