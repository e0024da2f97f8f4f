"""Log filters. A refused access (403) is an ordinary answer: Django logs it with the whole
traceback of the PermissionDenied, and dozens of those a day hid real server errors in the log
(QA on `make demo`). The record stays, one line, without the traceback."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class RefusalsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
