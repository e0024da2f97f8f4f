"""The door-prize draw of a programme, in two steps anyone can check afterwards (issue 20, item 6).

1. `publish_draw`: the entrants (codes of the couples who married at the event, no names) are
   fixed and published with their SHA-256, and the SHA-256 of a seed the organiser chose; the
   seed itself stays secret.
2. `run_draw`: the seed is revealed and the winners are computed by programs.draw.draw_winners,
   the very function of `mpp nikah draw`, from the stored file and seed. Anyone recomputes them
   with the published file, `sha256sum` and the command.

Nobody can steer the result: the seed's hash was public before the draw, so choosing another
seed afterwards would show; and the entrants were fixed before the seed was revealed.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.programs.draw import DrawResult, draw_winners, entrants_file, sha256_hex
from mpp.programs.exceptions import ProgramCode, ProgramRefused
from mpp.programs.models import Prize, Programme, Registration

# 16 characters: too long to guess by trying seeds until a friend's code wins, short enough to
# read out at the ceremony. `new_seed` gives 32 hex characters (128 bits).
MIN_SEED_LENGTH = 16
MAX_SEED_LENGTH = 200  # Programme.seed's max_length


def new_seed() -> str:
    """A random seed for the organiser who does not type one ("buat benih acak")."""
    return secrets.token_hex(16)


def entrant_codes(programme: Programme) -> list[str]:
    """The codes of the couples who married at the programme's event, sorted ascending."""
    return sorted(
        Registration.objects.filter(
            programme=programme, status=Registration.Status.MARRIED
        ).values_list("code", flat=True)
    )


def published_codes(programme: Programme) -> list[str]:
    """The codes of the stored (published) entrants file, in its order."""
    return programme.entrants_file.splitlines()


def check_seed(seed: str) -> str:
    """The seed as it will be hashed (no surrounding spaces), or a refusal if too short/long."""
    seed = seed.strip()
    if len(seed) < MIN_SEED_LENGTH:
        raise ProgramRefused(
            _("Benih undian paling sedikit %(n)d karakter.") % {"n": MIN_SEED_LENGTH},
            code=ProgramCode.SEED_TOO_SHORT,
        )
    if len(seed) > MAX_SEED_LENGTH:
        raise ProgramRefused(
            _("Benih undian paling banyak %(n)d karakter.") % {"n": MAX_SEED_LENGTH},
            code=ProgramCode.SEED_TOO_SHORT,
        )
    return seed


def publish_draw(*, programme: Programme, seed: str, acting_user: object) -> Programme:
    """Fix and publish the entrants and the seed's hash (the seed itself stays secret).

    Refuses a short seed (SEED_TOO_SHORT), a programme already published or drawn (DRAW_DONE,
    409), one without married couples (NO_ENTRANTS) or without prizes (NO_PRIZES)."""
    seed = check_seed(seed)
    with write_transaction():
        if not Prize.objects.filter(programme=programme).exists():
            raise ProgramRefused(
                _("Program ini belum punya hadiah untuk diundi."), code=ProgramCode.NO_PRIZES
            )
        codes = entrant_codes(programme)
        if not codes:
            raise ProgramRefused(
                _("Belum ada pasangan yang tercatat menikah: tidak ada peserta undian."),
                code=ProgramCode.NO_ENTRANTS,
            )
        text = entrants_file(codes)
        now = clock.now()
        # A conditional UPDATE: of two organisers publishing at once, one wins, whatever the
        # database; the other's seed is never stored.
        published = Programme.objects.filter(
            pk=programme.pk, draw_published_at__isnull=True, drawn_at__isnull=True
        ).update(
            entrants_file=text,
            entrants_sha256=sha256_hex(text),
            seed=seed,
            seed_sha256=sha256_hex(seed),
            draw_published_at=now,
        )
        if not published:
            raise ProgramRefused(
                _("Daftar peserta undian sudah diumumkan; tidak dapat diumumkan ulang."),
                code=ProgramCode.DRAW_DONE,
                status=409,
            )
        programme.refresh_from_db()
        audit(
            actor=acting_user,
            action="programs.draw.published",
            obj=programme,
            mall_id=programme.mall_id,
            # The seed is not written here: the audit trail is read by more people than the
            # organisers, before the draw.
            data={
                "entrants": len(codes),
                "entrants_sha256": programme.entrants_sha256,
                "seed_sha256": programme.seed_sha256,
            },
        )
    return programme


def run_draw(*, programme: Programme, acting_user: object) -> DrawResult:
    """Reveal the seed and record the winners: prize k (in rank order) goes to the entrant at
    rank k of draw_winners(stored codes, stored seed, number of prizes). With fewer entrants
    than prizes, the last prizes stay without a winner.

    Refuses a draw not published (DRAW_NOT_PUBLISHED) or already done (DRAW_DONE, 409), and a
    stored file or seed that no longer matches its published hash (SEED_MISMATCH)."""
    with write_transaction():
        current = Programme.objects.filter(pk=programme.pk).first() or programme
        if current.draw_published_at is None:
            raise ProgramRefused(
                _("Umumkan dulu daftar peserta dan sidik benih undian."),
                code=ProgramCode.DRAW_NOT_PUBLISHED,
            )
        if (
            sha256_hex(current.entrants_file) != current.entrants_sha256
            or sha256_hex(current.seed) != current.seed_sha256
        ):
            # The published hashes are the promise: a changed file or seed must not be drawn.
            raise ProgramRefused(
                _("Daftar peserta atau benih tersimpan tidak cocok dengan sidik yang diumumkan."),
                code=ProgramCode.SEED_MISMATCH,
                status=409,
            )
        prizes = list(Prize.objects.filter(programme=current).order_by("rank"))
        result = draw_winners(published_codes(current), current.seed, len(prizes))
        drawn = Programme.objects.filter(pk=current.pk, drawn_at__isnull=True).update(
            drawn_at=clock.now()
        )
        if not drawn:
            raise ProgramRefused(
                _("Undian sudah dilakukan; hasilnya tidak dapat diubah."),
                code=ProgramCode.DRAW_DONE,
                status=409,
            )
        winners = dict(result.winners)
        for position, prize in enumerate(prizes, start=1):
            prize.winner_code = winners.get(position, "")
        Prize.objects.bulk_update(prizes, ["winner_code"])
        programme.refresh_from_db()
        audit(
            actor=acting_user,
            action="programs.draw.drawn",
            obj=programme,
            mall_id=programme.mall_id,
            data={
                "seed": programme.seed,  # public from now on
                "winners": [{"prize": p.rank, "entrant": p.winner_code} for p in prizes],
            },
        )
    return result
