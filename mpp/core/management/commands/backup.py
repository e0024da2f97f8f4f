"""`mpp backup PATH`: the database and every stored file in one archive, while the site serves
(mpp/core/backup.py, docs/adr/0023, docs/operations.md "Cadangan")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from mpp.core import backup


class Command(BaseCommand):
    help = "Cadangkan basis data dan semua berkas tersimpan ke satu arsip (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="berkas arsip, mis. mpp-2026-12-07.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            manifest = backup.create(path)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Cadangan ditulis ke %(f)s: %(e)s, %(r)s baris dalam %(t)s tabel, %(n)s berkas, "
                "%(m)s migrasi (MPP %(v)s)."
            )
            % {
                "f": path,
                "e": manifest["engine"],
                "r": sum(manifest["tables"].values()),
                "t": len(manifest["tables"]),
                "n": manifest["files"],
                "m": len(manifest["migrations"]),
                "v": manifest["version"],
            }
        )
