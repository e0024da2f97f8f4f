"""The scheduler's housekeeping of sign-in records (accounts/jobs.py), run as the worker runs it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.utils import timezone

from mpp.accounts.jobs import delete_expired_tokens, delete_old_sign_in_records
from mpp.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_expired_tokens_are_deleted_and_live_ones_kept(cast):
    user = cast.supervisor_mpp()
    now = timezone.now()
    expired = ApiToken.objects.create(user=user, key_hash="a" * 64, expires_at=now)
    live = ApiToken.objects.create(
        user=user, key_hash="b" * 64, expires_at=now + timedelta(hours=1)
    )

    assert delete_expired_tokens.call_local() == 1

    assert not ApiToken.objects.filter(pk=expired.pk).exists()
    assert ApiToken.objects.filter(pk=live.pk).exists()


def test_sign_in_records_older_than_the_setting_are_deleted(settings):
    settings.MPP_SIGN_IN_RECORD_DAYS = 90
    old = timezone.now() - timedelta(days=91)
    fields = {"user_agent": "uji", "ip_address": "10.0.0.1", "username": "x", "path_info": "/"}
    AccessAttempt.objects.create(**fields, failures_since_start=3, get_data="", post_data="")
    AccessAttempt.objects.filter().update(attempt_time=old)
    recent = AccessAttempt.objects.create(
        **{**fields, "username": "y"}, failures_since_start=1, get_data="", post_data=""
    )
    AccessFailureLog.objects.create(**fields)
    AccessFailureLog.objects.update(attempt_time=old)

    assert delete_old_sign_in_records.call_local() == 2

    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessFailureLog.objects.exists()
