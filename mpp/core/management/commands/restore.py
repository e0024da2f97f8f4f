"""`mpp restore PATH`: the database and stored files of an `mpp backup` archive, into an empty
database and storage (or over them with --force); refuses an archive of a newer version
(mpp/core/backup.py, docs/adr/0023)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from mpp.core import backup


class Command(BaseCommand):
    help = "Pulihkan basis data dan berkas dari arsip `mpp backup` ke basis data yang kosong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="arsip yang ditulis `mpp backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="hapus isi basis data dan penyimpanan berkas tujuan lalu ganti dengan cadangan",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            restored = backup.restore(path, force=options["force"])
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        manifest = restored.manifest
        self.stdout.write(
            _(
                "Dipulihkan dari %(f)s (MPP %(v)s, %(c)s): %(r)s baris, %(n)s berkas; jumlah "
                "baris setiap tabel sama dengan catatan cadangan."
            )
            % {
                "f": path,
                "v": manifest["version"],
                "c": manifest["created_at"],
                "r": restored.rows,
                "n": restored.files,
            }
        )
        if restored.migrated:
            self.stdout.write(
                _("Cadangan dari versi lebih lama: %(n)s migrasi diterapkan sesudahnya.")
                % {"n": len(restored.migrated)}
            )
