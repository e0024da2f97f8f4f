"""Two imports of the same period at the same moment: one after the other, never mixed or doubled
(real parallel connections; on PostgreSQL in CI's second pass)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections

from mpp.investment.actions import import_realizations
from mpp.investment.models import Dataset, Realization
from mpp.investment.tests.conftest import HEADER

pytestmark = pytest.mark.django_db(transaction=True)


def _file(prefix: str, n: int) -> bytes:
    rows = [
        f"2025,Q1,PT {prefix} {i},91203{prefix}{i:06d},PMDN,10431,5,64.02.06,IDR,{1000 + i},,1,0,0,"
        "Disetujui"
        for i in range(n)
    ]
    return "\n".join([HEADER, *rows]).encode()


def test_parallel_imports_of_one_period_leave_exactly_one_of_them(kukar):
    files = {"11": _file("11", 300), "22": _file("22", 200)}
    barrier = threading.Barrier(len(files))
    failures: list[BaseException] = []

    def run(name: str) -> None:
        try:
            barrier.wait()
            import_realizations(
                region=kukar,
                data=files[name],
                file_name=f"{name}.csv",
                source=name,
                cut_off=dt.date(2025, 5, 1),
                acting_user=None,
            )
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(name,)) for name in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert Dataset.objects.count() == 2
    last = Dataset.objects.order_by("imported_at", "pk").last()
    assert last is not None
    # The later import replaced the earlier one entirely: its rows, and only its rows.
    assert Realization.objects.count() == last.row_count
    assert set(Realization.objects.values_list("dataset_id", flat=True)) == {last.pk}
    first = Dataset.objects.exclude(pk=last.pk).get()
    assert last.replaced_count == first.row_count
