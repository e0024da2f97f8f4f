"""Parallel clients for concurrency tests: real threads, each with its own database connection,
started at the same instant (DEVELOPERS: concurrency claims are tested with real parallel
clients, against PostgreSQL in CI's second pass)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_parallel(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start `n` threads at the same instant (a barrier) and collect their results and errors;
    each thread closes its own database connection when done."""
    start = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        try:
            start.wait(timeout=30)
            out = work(i)
            with lock:
                results.append(out)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors
