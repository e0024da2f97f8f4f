"""publish_draw and run_draw: the entrants are the married couples, the seed stays secret until
the draw, the winners are draw_winners' (the command's), and every refusal leaves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mpp.core.models import AuditEntry
from mpp.programs import prizes
from mpp.programs.draw import draw_winners, entrants_file, sha256_hex
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.models import Prize, Programme, Registration
from mpp.programs.tests import world
from mpp.programs.tests.test_draw_world import married, with_status

pytestmark = pytest.mark.django_db

SEED = "benih-syawal-1447-rahasia"
AFTER = dt.datetime(2026, 4, 10, 13, 0, tzinfo=world.WITA)


@pytest.fixture
def drawn_world(kukar, cast):  # type: ignore[no-untyped-def]
    found = world.programme(prizes=3)
    couples = [married(found) for _ in range(5)]
    with_status(found, Registration.Status.SCHEDULED)  # not married: no entrant
    with_status(found, Registration.Status.CANCELLED)
    return found, couples


@time_machine.travel(AFTER, tick=False)
def test_publishing_fixes_the_married_couples_and_hashes_without_the_seed(drawn_world, cast):
    found, couples = drawn_world
    prizes.publish_draw(programme=found, seed=SEED, acting_user=cast.regency_admin())
    found.refresh_from_db()
    codes = sorted(r.code for r in couples)
    assert found.entrants_file == entrants_file(codes)
    assert found.entrants_file.splitlines() == codes
    assert found.entrants_sha256 == sha256_hex(found.entrants_file)
    assert found.seed_sha256 == sha256_hex(SEED) and found.seed == SEED
    assert found.draw_published_at == AFTER and found.drawn_at is None
    entry = AuditEntry.objects.get(action="programs.draw.published")
    assert entry.data["entrants"] == 5 and SEED not in str(entry.data)


@time_machine.travel(AFTER, tick=False)
def test_the_draw_gives_the_winners_of_draw_winners_by_rank(drawn_world, cast):
    found, couples = drawn_world
    prizes.publish_draw(programme=found, seed=SEED, acting_user=cast.regency_admin())
    result = prizes.run_draw(programme=found, acting_user=cast.regency_admin())
    expected = draw_winners([r.code for r in couples], SEED, 3)
    assert result == expected
    assert list(Prize.objects.filter(programme=found).values_list("rank", "winner_code")) == (
        expected.winners
    )
    found.refresh_from_db()
    assert found.is_drawn and found.drawn_at == AFTER
    entry = AuditEntry.objects.get(action="programs.draw.drawn")
    assert entry.data["seed"] == SEED and len(entry.data["winners"]) == 3


@time_machine.travel(AFTER, tick=False)
def test_fewer_entrants_than_prizes_leaves_the_last_prizes_without_winner(kukar, cast):
    found = world.programme(prizes=3)
    only = married(found)
    prizes.publish_draw(programme=found, seed=SEED, acting_user=cast.regency_admin())
    prizes.run_draw(programme=found, acting_user=cast.regency_admin())
    assert list(found.prizes.values_list("winner_code", flat=True)) == [only.code, "", ""]


@time_machine.travel(AFTER, tick=False)
def test_publishing_twice_is_refused_and_keeps_the_first_seed(drawn_world, cast):
    found, _couples = drawn_world
    prizes.publish_draw(programme=found, seed=SEED, acting_user=cast.regency_admin())
    with pytest.raises(ProgramRefused) as refused:
        prizes.publish_draw(programme=found, seed="another-seed-of-16+", acting_user=None)
    assert refused.value.code == "draw_done" and refused.value.status == 409
    found.refresh_from_db()
    assert found.seed == SEED


@time_machine.travel(AFTER, tick=False)
def test_publishing_after_the_draw_is_refused(drawn_world, cast):
    found, _couples = drawn_world
    prizes.publish_draw(programme=found, seed=SEED, acting_user=cast.regency_admin())
    prizes.run_draw(programme=found, acting_user=cast.regency_admin())
    with pytest.raises(ProgramRefused) as refused:
        prizes.publish_draw(programme=found, seed=SEED, acting_user=None)
    assert refused.value.code == "draw_done"


@time_machine.travel(AFTER, tick=False)
def test_drawing_before_publishing_is_refused(drawn_world, cast):
    found, _couples = drawn_world
    with pytest.raises(ProgramRefused) as refused:
        prizes.run_draw(programme=found, acting_user=cast.regency_admin())
    assert refused.value.code == "draw_not_published"
    assert not Prize.objects.exclude(winner_code="").exists()


@time_machine.travel(AFTER, tick=False)
def test_drawing_twice_is_refused_and_keeps_the_winners(drawn_world, cast):
    found, _couples = drawn_world
    prizes.publish_draw(programme=found, seed=SEED, acting_user=cast.regency_admin())
    prizes.run_draw(programme=found, acting_user=cast.regency_admin())
    winners = list(found.prizes.values_list("winner_code", flat=True))
    with pytest.raises(ProgramRefused) as refused:
        prizes.run_draw(programme=found, acting_user=cast.regency_admin())
    assert refused.value.code == "draw_done" and refused.value.status == 409
    assert list(found.prizes.values_list("winner_code", flat=True)) == winners


@time_machine.travel(AFTER, tick=False)
def test_a_short_seed_is_refused(drawn_world, cast):
    found, _couples = drawn_world
    with pytest.raises(ProgramRefused) as refused:
        prizes.publish_draw(programme=found, seed="  pendek-15-char ", acting_user=None)
    assert refused.value.code == "seed_too_short"
    found.refresh_from_db()
    assert found.draw_published_at is None and found.seed == ""


@time_machine.travel(AFTER, tick=False)
def test_no_married_couple_means_no_entrants(kukar, cast):
    found = world.programme()
    with_status(found, Registration.Status.SCHEDULED)
    with pytest.raises(ProgramRefused) as refused:
        prizes.publish_draw(programme=found, seed=SEED, acting_user=None)
    assert refused.value.code == "no_entrants"
    assert Programme.objects.get(pk=found.pk).draw_published_at is None


@time_machine.travel(AFTER, tick=False)
def test_a_programme_without_prizes_is_refused(kukar, cast):
    found = world.programme(prizes=0)
    married(found)
    with pytest.raises(ProgramRefused) as refused:
        prizes.publish_draw(programme=found, seed=SEED, acting_user=None)
    assert refused.value.code == "no_prizes"


@time_machine.travel(AFTER, tick=False)
def test_a_seed_changed_after_publication_is_not_drawn(drawn_world, cast):
    found, _couples = drawn_world
    prizes.publish_draw(programme=found, seed=SEED, acting_user=cast.regency_admin())
    Programme.objects.filter(pk=found.pk).update(seed="a-friendlier-seed-chosen-later")
    with pytest.raises(ProgramRefused) as refused:
        prizes.run_draw(programme=found, acting_user=cast.regency_admin())
    assert refused.value.code == "seed_mismatch"
    assert Programme.objects.get(pk=found.pk).drawn_at is None


def test_a_generated_seed_is_long_enough_and_random():
    first, second = prizes.new_seed(), prizes.new_seed()
    assert len(first) == 32 and first != second
    assert prizes.check_seed(first) == first
