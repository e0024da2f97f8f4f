"""Queries and CPU per kiosk ticket request, in process: Django's test client through the whole
middleware stack and the API, a kiosk's Bearer token, a new Idempotency-Key each time, N
requests back to back (ADR 0025, "After the review"). CPU is this process's, so other load on
a shared machine disturbs it less than wall time; the least batch of ten is the least disturbed.
The events go through async_to_sync here (no server loop), which a served request does not pay.

    MPP_DATA_DIR=/tmp/x mpp demo --no-serve      # Kukar's demo data, once
    MPP_DATA_DIR=/tmp/x python bench/issue_cpu.py [N]
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from mpp.catalog.models import Service  # noqa: E402
from mpp.malls.models import Mall  # noqa: E402


def main(n: int) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    login = {"username": "kios-mpp-kukar", "password": "demo-mpp-kukar"}
    token = client.post("/api/v1/auth/token", login, content_type="application/json").json()
    mall = Mall.objects.get(slug="mpp-kukar")
    body = json.dumps({"service_id": Service.objects.get(slug="akta-kelahiran").pk})
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token['token']}"}
    sent = [0]

    def issue() -> None:
        sent[0] += 1
        key = f"cpu-{os.getpid()}-{time.time_ns()}-{sent[0]}"
        response = client.post(
            f"/api/v1/malls/{mall.pk}/tickets",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
            **auth,
        )
        assert response.status_code == 201, response.content

    for _ in range(20):
        issue()
    with CaptureQueriesContext(connections["default"]) as queries:
        issue()
    captured = list(queries.captured_queries)  # the next request's start empties the log
    batches = []
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n // 10):
        started = time.process_time()
        for _ in range(10):
            issue()
        batches.append((time.process_time() - started) * 100)
    cpu, wall = (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n
    batches.sort()
    print(f"queries per ticket: {len(captured)}")
    for query in captured:
        print("   ", query["sql"][:100])
    print(
        f"cpu per ticket: mean {cpu:.2f} ms, least batch {batches[0]:.2f} ms, "
        f"median batch {batches[len(batches) // 2]:.2f} ms; wall {wall:.2f} ms (N={n})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
