"""`mpp worker`: the background jobs' consumer and scheduler (core/jobs.py, docs/adr/0020)."""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import autodiscover_modules


class Command(BaseCommand):
    help = "Jalankan pekerja latar: tugas antrean (impor, ekspor, laporan) dan tugas berkala."

    def add_arguments(self, parser: CommandParser) -> None:
        consumer = settings.HUEY.get("consumer", {})
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("MPP_JOB_WORKERS", consumer.get("workers", 2))),
            help="tugas yang berjalan bersamaan (utas)",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="tanpa penjadwal tugas berkala (bila pekerja lain sudah menjalankannya)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from huey.contrib.djhuey import HUEY

        # Every app's jobs.py: the kinds of job and the periodic work they declare.
        autodiscover_modules("jobs")
        # The worker says what it runs (the site logs warnings only): through settings.LOGGING's
        # handler, JSON when MPP_LOG_FORMAT=json.
        for name in ("huey", "mpp.jobs"):
            logging.getLogger(name).setLevel(logging.INFO)
        consumer = HUEY.create_consumer(
            workers=options["workers"],
            worker_type="thread",
            periodic=not options["no_periodic"],
            # An idle SQLite queue is polled at most every second: a job starts within a second.
            initial_delay=0.1,
            backoff=1.15,
            max_delay=1.0,
            check_worker_health=True,
        )
        where = "Redis" if settings.REDIS_URL else settings.HUEY.get("filename", "")
        self.stdout.write(f"Pekerja latar berjalan ({options['workers']} utas, antrean: {where}).")
        self.stdout.flush()
        consumer.run()
