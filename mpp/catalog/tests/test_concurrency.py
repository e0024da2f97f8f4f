"""Parallel clients changing the same offering: exactly one change, one row, one audit entry.

Runs against the configured database: SQLite in `make test`, PostgreSQL in CI's second pass.
"""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from mpp.catalog.actions import set_service_offering
from mpp.catalog.models import MallService, Service
from mpp.core.models import AuditEntry
from mpp.malls.models import Mall

CLIENTS = 8


@pytest.mark.django_db(transaction=True)
def test_parallel_offers_of_one_service_change_it_once(uji):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    mall = Mall.objects.get(slug="mini-mpp-uji-hilir")
    service = Service.objects.get(slug="akta-lahir-uji")
    MallService.objects.filter(mall=mall, service=service).delete()
    supervisor = make_staff(Role.MALL_SUPERVISOR, mall=mall.slug, region="uji")
    start = threading.Barrier(CLIENTS)
    results: list[bool] = []
    errors: list[BaseException] = []

    def client() -> None:
        try:
            start.wait(timeout=30)
            results.append(
                set_service_offering(
                    mall=mall, service=service, offered=True, acting_user=supervisor
                )
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert sorted(results) == [False] * (CLIENTS - 1) + [True]
    assert MallService.objects.filter(mall=mall, service=service).count() == 1
    assert AuditEntry.objects.filter(action="offering.added", mall_id=mall.pk).count() == 1
