"""`mpp serve`: the ASGI site (pages, API, static files, websockets) in worker processes, under a
supervisor that starts a new worker when one dies."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# `mpp demo --simulate`: the malls whose demo traffic runs inside the worker (see below).
SIMULATE_ENV = "MPP_SIMULATE_MALLS"


def server_options(
    *, host: str, port: int, workers: int, simulate: list[str] | None = None
) -> dict[str, Any]:
    """uvicorn's options for `mpp serve` (tests run the same server with them)."""
    options: dict[str, Any] = {
        "app": "mpp.asgi:application",
        "host": host,
        "port": port,
        "workers": workers,
        "log_level": os.environ.get("UVICORN_LOG_LEVEL", "info"),
        # Off: uvicorn's own proxy headers trust X-Forwarded-For from any 127.0.0.1 peer (its
        # default FORWARDED_ALLOW_IPS), so a local client chose its address. The application
        # reads them from MPP_TRUSTED_PROXIES only (core/proxies.py, docs/adr/0017).
        "proxy_headers": False,
        "lifespan": "off",
    }
    if settings.MPP_LOG_FORMAT == "json":
        # uvicorn's own lines (start-up, a worker replaced, the access log) go through the
        # site's handler too, as JSON with the request id, not in uvicorn's text format.
        options["log_config"] = None
    if simulate:
        options |= {"app": f"{__name__}:simulating_application", "factory": True}
    return options


def simulating_application() -> Any:
    """The site, with demo traffic at the malls in MPP_SIMULATE_MALLS started in this worker.

    Without Redis, events travel only inside one process: the simulation must run where the
    boards' and consoles' sockets are, in the worker (and again in its replacement). Each worker
    runs its own simulation."""
    from mpp.asgi import application
    from mpp.queueing.simulation import Simulator, run_in_background

    run_in_background(Simulator(mall_slugs=os.environ[SIMULATE_ENV].split(",")))
    return application


def metrics_dir(port: int) -> Path:
    """Give this app server's workers their metrics folder (core/metrics.py), emptied: the
    workers inherit PROMETHEUS_MULTIPROC_DIR and write their values there, /metrics sums them.
    One folder per server: MPP_DATA_DIR/metrics/<port> (a server owns its port on a host), or
    PROMETHEUS_MULTIPROC_DIR when the environment names one (then one per server, too)."""
    from mpp.core.metrics import MULTIPROC_ENV, prepare_multiproc_dir

    folder = Path(os.environ.get(MULTIPROC_ENV) or settings.DATA_DIR / "metrics" / str(port))
    prepare_multiproc_dir(folder)
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


class Command(BaseCommand):
    help = "Jalankan server ASGI (halaman, API, websocket) dalam proses pekerja yang diawasi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "1")))
        parser.add_argument(
            "--simulate",
            action="append",
            metavar="MAL",
            help="lalu lintas demo di mal ini, di dalam pekerja (bukan untuk produksi)",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        simulate: list[str] | None = None,
        **options: Any,
    ) -> None:
        import uvicorn
        from uvicorn.config import STARTUP_FAILURE
        from uvicorn.supervisors import Multiprocess

        if settings.SECURE_SSL_REDIRECT and not settings.MPP_TRUSTED_PROXIES:
            # uvicorn here speaks plain HTTP: HTTPS ends at a proxy, and unless the application
            # believes that proxy's X-Forwarded-Proto every request looks like plain HTTP and is
            # redirected to HTTPS for ever.
            raise CommandError(
                "SECURE_SSL_REDIRECT is on (a public host) but MPP_TRUSTED_PROXIES is empty: "
                "behind the TLS proxy every request would be redirected for ever. Set "
                "MPP_TRUSTED_PROXIES to the proxy's address (127.0.0.1 for nginx on this "
                "machine), or SECURE_SSL_REDIRECT=0 to serve plain HTTP."
            )
        if simulate:
            os.environ[SIMULATE_ENV] = ",".join(simulate)  # the workers inherit it
        metrics_dir(port)

        # Supervised even with one worker. uvicorn.run() serves a single worker in this very
        # process, so a worker that dies (an abort in C, the OOM killer) took every board and
        # console down for good. This is what uvicorn.run() does for several workers: bind the
        # socket here and run the workers under uvicorn's Multiprocess supervisor, which starts
        # a new worker when one dies (keep_subprocess_alive; one that fails at startup stops
        # everything instead) and on SIGINT/SIGTERM stops and waits for its workers, then exits.
        config = uvicorn.Config(
            **server_options(host=host, port=port, workers=workers, simulate=simulate)
        )
        sock = config.bind_socket()
        # Listening from here on, as a worker's own listen() would (same backlog): a connection
        # made before the first worker is up waits in the queue instead of being refused.
        sock.listen(config.backlog)
        supervisor = Multiprocess(config, sockets=[sock])
        supervisor.run()
        if any(worker.exitcode == STARTUP_FAILURE for worker in supervisor.processes):
            raise SystemExit(STARTUP_FAILURE)  # as uvicorn.run(): the application did not start
