"""What observability adds to each request (docs/adr/0024): the request id's ASGI wrapper, the
metrics middleware (a counter and a histogram in prometheus-client's multiprocess mode, as
`mpp serve` runs it) and the tickets-issued counter, each timed alone in a loop against the same
loop without it; then issuing itself (Django's test client, a kiosk token, SQLite in a fresh
folder) with and without the middleware, in alternating rounds. CPU time of this process
(time.process_time: the figure holds on a machine busy with other work), median of the rounds;
printed, not written anywhere.

    .venv/bin/python bench/metrics_cost.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 7
CALLS = 20_000

# Multiprocess mode, as under `mpp serve`: chosen before prometheus-client is imported.
os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="mpp-metrics-bench-")
os.environ.setdefault("MPP_DATA_DIR", tempfile.mkdtemp(prefix="mpp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp.settings")
os.environ["MPP_DEMO_ALWAYS_OPEN"] = "1"  # numbers at whatever hour this runs
os.environ["DATABASE_URL"] = ""
os.environ.pop("REDIS_URL", None)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import resolve  # noqa: E402

from mpp.core.metrics import CountRequests  # noqa: E402
from mpp.core.requestid import RequestIds  # noqa: E402
from mpp.queueing.metrics import count_issued  # noqa: E402


def per_call(run: object, calls: int = CALLS) -> float:
    """Median µs per call of `run` (a no-argument callable)."""
    times = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(calls):
            run()  # type: ignore[operator]
        times.append((time.process_time() - started) / calls * 1e6)
    return statistics.median(times)


def middleware() -> tuple[float, float]:
    request = HttpRequest()
    request.method = "POST"
    request.path = request.path_info = "/api/v1/malls/1/tickets"
    request.resolver_match = resolve(request.path)
    response = HttpResponse(status=201)

    def view(req: HttpRequest) -> HttpResponse:
        return response

    counted = CountRequests(view)
    return per_call(lambda: view(request)), per_call(lambda: counted(request))


def request_ids() -> tuple[float, float]:
    scope = {
        "type": "http",
        "client": ("127.0.0.1", 5000),
        "headers": [(b"host", b"127.0.0.1"), (b"x-request-id", b"nginx-1")],
    }
    start = {"type": "http.response.start", "status": 200, "headers": []}

    async def app(scope: object, receive: object, send: object) -> None:
        await send(dict(start))  # type: ignore[operator]

    async def send(message: object) -> None:
        pass

    async def receive() -> None:
        pass

    wrapped = RequestIds(app)

    async def loop(target: object) -> float:
        times = []
        for _ in range(ROUNDS):
            started = time.process_time()
            for _ in range(CALLS):
                await target(scope, receive, send)  # type: ignore[operator]
            times.append((time.process_time() - started) / CALLS * 1e6)
        return statistics.median(times)

    return asyncio.run(loop(app)), asyncio.run(loop(wrapped))


def issuing(tickets: int = 300, rounds: int = 6) -> tuple[float, float]:
    """CPU µs per ticket issued through the API, without and with the metrics middleware."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings

    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff, token_for
    from mpp.catalog.models import Service
    from mpp.malls.models import Mall

    call_command("migrate", verbosity=0)
    call_command("load_region", "kukar", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    kiosk = make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.bench")
    url = f"/api/v1/malls/{Mall.objects.get(slug='mpp-kukar').pk}/tickets"
    body = {"service_id": Service.objects.get(slug="akta-kelahiran").pk}
    without = [m for m in settings.MIDDLEWARE if m != "mpp.core.metrics.CountRequests"]
    clients = {"with": Client(), "without": Client()}
    with override_settings(MIDDLEWARE=without):
        clients["without"].get("/api/v1/ping")  # its middleware chain is built now, without
    clients["with"].get("/api/v1/ping")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(clients['with'], kiosk)}"}
    results: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(rounds):
        for name, client in clients.items():
            started = time.process_time()
            for _ in range(tickets):
                response = client.post(url, body, content_type="application/json", **headers)
                assert response.status_code == 201, response.content
            results[name].append((time.process_time() - started) / tickets * 1e6)
    return statistics.median(results["without"]), statistics.median(results["with"])


def main() -> None:
    bare, counted = middleware()
    print(f"metrics middleware: {counted - bare:.1f} µs a request ({bare:.1f} → {counted:.1f})")
    bare, wrapped = request_ids()
    print(f"request id (ASGI): {wrapped - bare:.1f} µs a request ({bare:.1f} → {wrapped:.1f})")
    # Outside a transaction on_commit runs the increment at once: its whole cost.
    issued = per_call(lambda: count_issued(channel="kiosk", mall_slug="mpp-kukar"))
    print(f"tickets-issued counter: {issued:.1f} µs a ticket")
    bare, counted = issuing()
    print(
        f"issuing through the API: {bare:.0f} µs a ticket without the middleware, "
        f"{counted:.0f} µs with it ({(counted - bare) / bare:+.1%})"
    )


if __name__ == "__main__":
    main()
