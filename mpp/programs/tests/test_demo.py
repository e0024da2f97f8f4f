"""The demo's programmes: a KUA per kecamatan, the KUA officer, Syawal 1447 H finished and drawn
(the draw verifies with draw_winners), Syawal 1448 H open; the same rows on every run."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from mpp.malls.models import District
from mpp.programs import demo
from mpp.programs.draw import draw_winners, sha256_hex
from mpp.programs.models import Kua, KuaOfficer, Person, Programme, Registration
from mpp.programs.report import programme_figures

pytestmark = pytest.mark.django_db

PASSWORD = "demo-uji-123"  # noqa: S105 - tests only


def test_the_demo_builds_both_programmes_and_its_draw_verifies(kukar):
    made = demo.load_demo_programmes(kukar, password=PASSWORD)
    assert made.programmes == [demo.SYAWAL_1447, demo.SYAWAL_1448]
    assert made.accounts == [demo.KUA_USERNAME]
    assert Kua.objects.filter(region=kukar).count() == District.objects.filter(region=kukar).count()
    assert Kua.objects.get(district__code="64.02.06").name == "KUA Kecamatan Tenggarong"
    officer = get_user_model().objects.get(username=demo.KUA_USERNAME)
    assert (
        officer.check_password(PASSWORD)
        and KuaOfficer.objects.get(user=officer).kua.district.code == "64.02.06"
    )

    past = Programme.objects.get(slug=demo.SYAWAL_1447)
    assert past.status == Programme.Status.FINISHED and past.is_drawn
    figures = programme_figures(past)
    assert figures.married == 40 and figures.books == 40 and figures.cancelled == 2
    assert figures.kk_done > 30 and figures.kk_same_day > 25
    codes = past.entrants_file.splitlines()
    assert len(codes) == 40
    assert sha256_hex(past.entrants_file) == past.entrants_sha256
    assert sha256_hex(past.seed) == past.seed_sha256
    result = draw_winners(codes, past.seed, past.prizes.count())
    assert list(past.prizes.values_list("rank", "winner_code")) == result.winners
    assert len(result.winners) == 5

    upcoming = Programme.objects.get(slug=demo.SYAWAL_1448)
    assert upcoming.status == Programme.Status.OPEN and upcoming.quota == 60
    assert upcoming.sessions.count() == 2 and upcoming.prizes.count() == 3
    assert {s.date.isoformat() for s in upcoming.sessions.all()} == {"2027-04-16"}
    states = set(upcoming.registrations.values_list("status", flat=True))
    assert {"submitted", "returned", "approved", "scheduled"} <= states
    for nik in Person.objects.exclude(nik="").values_list("nik", flat=True):
        assert nik.startswith("6402") and len(nik) == 16


def test_the_demo_is_idempotent_and_deterministic(kukar):
    demo.load_demo_programmes(kukar, password=PASSWORD)
    codes = set(Registration.objects.values_list("code", flat=True))
    winners = list(Programme.objects.get(slug=demo.SYAWAL_1447).prizes.values_list("winner_code"))
    again = demo.load_demo_programmes(kukar, password=PASSWORD)
    assert again.programmes == [] and again.accounts == [] and again.kuas == 0
    assert set(Registration.objects.values_list("code", flat=True)) == codes
    # Built afresh from the fixed seed, the same codes and winners come out.
    Registration.objects.all().delete()
    Programme.objects.all().delete()
    demo.load_demo_programmes(kukar, password=PASSWORD)
    assert set(Registration.objects.values_list("code", flat=True)) == codes
    assert (
        list(Programme.objects.get(slug=demo.SYAWAL_1447).prizes.values_list("winner_code"))
        == winners
    )
