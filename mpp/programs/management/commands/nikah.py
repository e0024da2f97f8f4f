"""`mpp nikah draw --entrants FILE --seed SEED --prizes N`: the door-prize draw anyone can run
on the programme page's published list (issue 20's contract; programs.draw).

Prints `{"entrants_sha256", "seed_sha256", "winners": [{"prize", "entrant"}]}`. Exit 2 for a
duplicate code (named), an unreadable file or a bad argument.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mpp.programs.draw import DuplicateEntrant, draw_winners


class Command(BaseCommand):
    help = "Undian doorprize nikah massal yang dapat diperiksa siapa saja."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        draw = sub.add_parser("draw", help="hitung pemenang dari daftar peserta dan benih")
        draw.add_argument(
            "--entrants", required=True, help="berkas: satu kode pendaftaran per baris"
        )
        draw.add_argument("--seed", required=True, help="benih undian yang diumumkan")
        draw.add_argument("--prizes", required=True, type=int, help="jumlah hadiah")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["prizes"] < 1:
            self._fail("--prizes harus 1 atau lebih.")
        try:
            with open(options["entrants"], encoding="utf-8") as handle:
                codes = [line.strip() for line in handle if line.strip()]
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(f"Berkas peserta tidak dapat dibaca: {exc}")
        if not codes:
            self._fail("Berkas peserta kosong.")
        try:
            result = draw_winners(codes, options["seed"], options["prizes"])
        except DuplicateEntrant as exc:
            self._fail(f"Kode ganda dalam berkas peserta: {', '.join(exc.codes)}")
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)
