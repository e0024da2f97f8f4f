"""`mpp load-region SLUG`: load a region data package, all or nothing; print what changed and
the staff decisions kept (regions/merge.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mpp.regions.loader import RegionDataError, load_region


class Command(BaseCommand):
    help = (
        "Muat paket data wilayah (kecamatan, desa, mal, instansi, layanan) dari mpp/regions/SLUG/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="nama paket, misalnya kukar")

    def handle(self, *args: Any, slug: str, **options: Any) -> None:
        try:
            report = load_region(slug)
        except RegionDataError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Data wilayah {slug!r} rusak ({len(exc.problems)} masalah); tidak ada yang diubah."
            ) from exc
        summary = ", ".join(f"{n} {kind}" for kind, n in report.totals.items())
        if report.changed:
            changes = "; ".join(
                f"{label}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(bucket.items()))
                for label, bucket in (
                    ("baru", report.created),
                    ("diubah", report.updated),
                    ("dihapus", report.deleted),
                )
                if bucket
            )
            self.stdout.write(f"Wilayah {slug} dimuat. {changes}.")
        else:
            self.stdout.write(f"Wilayah {slug} sudah mutakhir; tidak ada perubahan.")
        self.stdout.write(f"Isi: {summary}.")
        # Each change of a reload is also an audit entry (region_data.*, by load-region).
        for line in report.changes:
            self.stdout.write(f"  {line}")
        if report.kept:
            conflicts = len(report.conflicts)
            self.stdout.write(
                f"Keputusan petugas dipertahankan: {len(report.kept)}, "
                f"{conflicts} di antaranya bentrok dengan berkas (putuskan di admin):"
            )
            for kept in sorted(report.kept, key=lambda k: (not k.conflict, str(k))):
                self.stdout.write(f"  {kept}")
