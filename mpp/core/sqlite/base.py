"""Django's SQLite backend, with connections kept open between requests (docs/adr/0006).

Under ASGI every request runs its synchronous code in a thread of its own, and Django opens a
connection per thread and closes it at the end of the request. Opening one (connect, register
Django's SQL functions, run the PRAGMAs) cost about 1.5 ms here, as much as a query or two:
on the embedded default every page and every ticket paid it. Closed connections go back to a
small per-process pool instead and the next request takes one. A sqlite3 connection may move
between threads (Django opens it with check_same_thread=False) as long as one thread uses it
at a time, which the pool guarantees: a connection is either in the pool or owned by one
wrapper. Django's PostgreSQL backend has its own pool (settings); MySQL is not supported.
"""

from __future__ import annotations

import os
import queue
from typing import Any

from django.db.backends.sqlite3 import base

# Connections kept per process and database file; more than this are closed when returned.
POOL_SIZE = 16

_pools: dict[tuple[int, str], queue.SimpleQueue[Any]] = {}


def _pool(name: str) -> queue.SimpleQueue[Any]:
    # Keyed by process too: a connection must never cross a fork.
    return _pools.setdefault((os.getpid(), name), queue.SimpleQueue())


def clear_pools() -> None:
    """Close every pooled connection of this process (before a database file is replaced)."""
    for (pid, _name), pool in list(_pools.items()):
        while pid == os.getpid() and not pool.empty():
            pool.get_nowait().close()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        if not self.is_in_memory_db():
            try:
                return _pool(self.settings_dict["NAME"]).get_nowait()
            except queue.Empty:
                pass
        return super().get_new_connection(conn_params)

    def _close(self) -> None:
        conn = self.connection
        if conn is None or self.is_in_memory_db():
            super()._close()  # type: ignore[misc]  # django-stubs omit the private method
            return
        pool = _pool(self.settings_dict["NAME"])
        with self.wrap_database_errors:
            if conn.in_transaction:  # closed inside a transaction: it never happened
                conn.rollback()
            conn.isolation_level = None  # autocommit, as Django expects a new connection
            if pool.qsize() < POOL_SIZE:
                pool.put(conn)
            else:
                conn.close()
