"""Periodic housekeeping of sign-in records, run by `mpp worker`'s scheduler (core/jobs.py)."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone

from mpp.core.jobs import crontab, periodic


@periodic(crontab(minute="17"))  # hourly
def delete_expired_tokens() -> int:
    """API tokens past their `expires_at` are refused already (accounts.tokens); deleting them
    keeps the table to the tokens that still open something."""
    from mpp.accounts.models import ApiToken

    deleted, _per_model = ApiToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@periodic(crontab(hour="20", minute="10"))  # 04:10 WITA
def delete_old_sign_in_records() -> int:
    """django-axes' failed sign-ins older than MPP_SIGN_IN_RECORD_DAYS: a lockout lasts minutes
    (AXES_COOLOFF_TIME), the record is kept a season for the administrator's questions."""
    before = timezone.now() - timedelta(days=settings.MPP_SIGN_IN_RECORD_DAYS)
    attempts, _a = AccessAttempt.objects.filter(attempt_time__lt=before).delete()
    failures, _f = AccessFailureLog.objects.filter(attempt_time__lt=before).delete()
    # Written only while AXES_DISABLE_ACCESS_LOG was off; what is left of it ages out too.
    accesses, _l = AccessLog.objects.filter(attempt_time__lt=before).delete()
    return attempts + failures + accesses
