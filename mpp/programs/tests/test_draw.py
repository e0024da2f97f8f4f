"""The draw's pages: the public proof (nothing but codes and hashes, the seed only after the
draw), its entrants file (the bytes the hash was computed over), and the organisers' page
(regency administrator and the supervisor of the programme's mall; others 403)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine

from mpp.programs import prizes
from mpp.programs.draw import draw_winners
from mpp.programs.models import Programme
from mpp.programs.tests import world
from mpp.programs.tests.test_draw_world import married

pytestmark = pytest.mark.django_db

SLUG = "nikah-massal-syawal-1447"
PAGE = f"/program/{SLUG}/undian/"
FILE = f"/program/{SLUG}/undian/peserta.txt"
MANAGE = f"/program/{SLUG}/undian/kelola/"
SEED = "benih-rahasia-syawal-<b>&'1447"  # markup and a quote: escaped on the page
AFTER = dt.datetime(2026, 4, 10, 13, 0, tzinfo=world.WITA)


@pytest.fixture
def found(kukar):  # type: ignore[no-untyped-def]
    programme = world.programme(slug=SLUG, prizes=2)
    for _ in range(4):
        married(programme)
    return programme


def _publish(found: Programme, cast) -> None:  # type: ignore[no-untyped-def]
    prizes.publish_draw(programme=found, seed=SEED, acting_user=cast.regency_admin())


# --- the public page ---------------------------------------------------------------------------


@time_machine.travel(AFTER, tick=False)
def test_before_publication_the_page_says_not_yet_announced(client, found):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "belum diumumkan" in html
    assert client.get(FILE).status_code == 404


@time_machine.travel(AFTER, tick=False)
def test_after_publication_the_page_shows_the_hashes_but_never_the_seed(client, found, cast):
    _publish(found, cast)
    found.refresh_from_db()
    html = client.get(PAGE).content.decode()
    assert found.entrants_sha256 in html and found.seed_sha256 in html
    assert FILE in html and "peserta-undian-nikah-massal-syawal-1447.txt" in html
    assert "benih-rahasia" not in html  # the seed, in no form, escaped or not
    assert "Ahmad Fauzi" not in html and "Siti Rahmawati" not in html
    manage_html = _as(client, cast.regency_admin()).get(MANAGE).content.decode()
    assert "benih-rahasia" not in manage_html  # the organisers' page does not show it either


def _as(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


@time_machine.travel(AFTER, tick=False)
def test_the_entrants_file_is_the_bytes_of_the_published_hash(client, found, cast):
    _publish(found, cast)
    found.refresh_from_db()
    response = client.get(FILE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="peserta-undian-nikah-massal-syawal-1447.txt"'
    )
    assert hashlib.sha256(response.content).hexdigest() == found.entrants_sha256
    html = client.get(PAGE).content.decode()
    assert f"data-entrants-sha256>{hashlib.sha256(response.content).hexdigest()}<" in html
    codes = response.content.decode().splitlines()
    assert codes == sorted(found.registrations.values_list("code", flat=True))


@time_machine.travel(AFTER, tick=False)
def test_after_the_draw_the_page_reveals_the_escaped_seed_winners_and_how_to_check(
    client, found, cast
):
    _publish(found, cast)
    prizes.run_draw(programme=found, acting_user=cast.regency_admin())
    html = client.get(PAGE).content.decode()
    expected = draw_winners(list(found.registrations.values_list("code", flat=True)), SEED, 2)
    for _rank, code in expected.winners:
        assert code in html
    assert "<b>&" not in html and "benih-rahasia-syawal-&lt;b&gt;&amp;" in html
    assert "sha256sum peserta-undian-nikah-massal-syawal-1447.txt" in html
    assert "printf '%s' &#x27;benih-rahasia-syawal-&lt;b&gt;" in html and "| sha256sum" in html
    assert "mpp nikah draw --entrants peserta-undian-nikah-massal-syawal-1447.txt --seed" in html
    assert "--prizes 2" in html
    # The seed's quote closes and reopens the shell's quotes: '...'"'"'1447'
    assert "&#x27;&quot;&#x27;&quot;&#x27;1447&#x27;" in html


def test_an_unknown_or_draft_programme_is_404(client, kukar):
    assert client.get("/program/tidak-ada/undian/").status_code == 404
    world.programme(slug="draf-program", status=Programme.Status.DRAFT)
    assert client.get("/program/draf-program/undian/").status_code == 404
    assert client.get("/program/draf-program/undian/peserta.txt").status_code == 404


# --- the organisers' page ----------------------------------------------------------------------


@time_machine.travel(AFTER, tick=False)
def test_the_administrator_publishes_with_the_offered_random_seed_then_draws(client, found, cast):
    _as(client, cast.regency_admin())
    page = client.get(MANAGE)
    assert page.status_code == 200
    offered = page.context["form"].initial["seed"]
    assert len(offered) == 32
    response = client.post(MANAGE, {"step": "publish", "seed": offered})
    assert response.status_code == 302 and response["Location"] == MANAGE
    found.refresh_from_db()
    assert found.seed == offered and found.draw_published_at is not None
    response = client.post(MANAGE, {"step": "draw"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.is_drawn
    assert all(found.prizes.values_list("winner_code", flat=True))
    assert offered in client.get(MANAGE).content.decode()


@time_machine.travel(AFTER, tick=False)
def test_the_supervisor_of_the_programmes_mall_manages_the_draw(client, found, cast):
    _as(client, cast.supervisor_mpp())
    assert client.get(MANAGE).status_code == 200
    response = client.post(MANAGE, {"step": "publish", "seed": "seed-typed-by-the-supervisor"})
    assert response.status_code == 302


@time_machine.travel(AFTER, tick=False)
def test_a_short_seed_on_the_page_is_refused_with_the_reason(client, found, cast):
    _as(client, cast.regency_admin())
    response = client.post(MANAGE, {"step": "publish", "seed": "pendek"})
    assert response.status_code == 400
    assert "16" in response.content.decode()
    found.refresh_from_db()
    assert found.draw_published_at is None


@time_machine.travel(AFTER, tick=False)
def test_publishing_twice_and_drawing_before_publishing_are_refused_on_the_page(
    client, found, cast
):
    _as(client, cast.regency_admin())
    response = client.post(MANAGE, {"step": "draw"})
    assert response.status_code == 400
    assert "Umumkan dulu" in response.content.decode()
    client.post(MANAGE, {"step": "publish", "seed": SEED})
    response = client.post(MANAGE, {"step": "publish", "seed": "another-seed-of-sixteen"})
    assert response.status_code == 409
    assert "sudah diumumkan" in response.content.decode()
    found.refresh_from_db()
    assert found.seed == SEED


def test_the_organisers_page_refuses_everyone_else(client, found, cast):
    assert client.get(MANAGE).status_code == 302  # to the sign-in page
    for person in (
        cast.leadership(),
        cast.auditor(),
        cast.supervisor_loakulu(),
        cast.officer_dukcapil(),
        world.kua_officer(),
        cast.outsider(),
    ):
        _as(client, person)
        assert client.get(MANAGE).status_code == 403, person
        assert client.post(MANAGE, {"step": "draw"}).status_code == 403, person
    _as(client, cast.regency_admin())
    assert client.get("/program/tidak-ada/undian/kelola/").status_code == 404
