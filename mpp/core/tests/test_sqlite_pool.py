"""The embedded default's SQLite connections go back to a pool instead of being closed.

The wrapper is built here on a file of its own, so this runs the same whichever database the
rest of the suite uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections

from mpp.core.sqlite import base as pooled

# Lifts pytest-django's block on opening connections; these tests use their own database file.
pytestmark = pytest.mark.django_db


@pytest.fixture
def wrapper(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = {
        **connections["default"].settings_dict,
        "ENGINE": "mpp.core.sqlite",
        "NAME": str(tmp_path / "pool.sqlite3"),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        "TEST": {},
    }
    made = []

    def make():  # type: ignore[no-untyped-def]
        w = pooled.DatabaseWrapper(settings, alias=f"pool-test-{len(made)}")
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()
    pooled.clear_pools()


def test_a_closed_connection_is_reused_by_the_next_request(wrapper):  # type: ignore[no-untyped-def]
    first = wrapper()
    first.ensure_connection()
    raw = first.connection
    first.close()
    second = wrapper()
    second.ensure_connection()
    assert second.connection is raw
    with second.cursor() as cursor:  # still set up: WAL from the init command, autocommit
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert second.get_autocommit()


def test_work_left_in_a_transaction_is_rolled_back_not_lent_out(wrapper):  # type: ignore[no-untyped-def]
    setup = wrapper()
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")
    setup.close()
    broken = wrapper()
    broken.ensure_connection()
    broken.connection.execute("BEGIN")
    broken.connection.execute("INSERT INTO t VALUES (1)")
    broken.close()  # e.g. a request that died half-way
    reader = wrapper()
    with reader.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM t")
        assert cursor.fetchone()[0] == 0
    assert not reader.connection.in_transaction


def test_the_pool_keeps_a_bounded_number_of_connections(wrapper):  # type: ignore[no-untyped-def]
    many = [wrapper() for _ in range(pooled.POOL_SIZE + 3)]
    raws = []
    for w in many:
        w.ensure_connection()
        raws.append(w.connection)
    for w in many:
        w.close()
    kept = wrapper()
    kept.ensure_connection()
    assert kept.connection in raws[: pooled.POOL_SIZE]
    with pytest.raises(Exception, match="closed"):
        raws[-1].execute("SELECT 1")  # past the bound: really closed
