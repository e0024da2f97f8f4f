"""Search finds the right service for everyday words, forgiving case, accents and affixes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mpp.catalog.queries import find_services
from mpp.catalog.search import query_terms, terms
from mpp.core.text import fold


@pytest.mark.parametrize(
    ("query", "expected_slug"),
    [
        ("ktp", "perekaman-ktp-el"),
        ("KTP", "perekaman-ktp-el"),
        ("e-ktp", "perekaman-ktp-el"),
        ("akta lahir", "akta-kelahiran"),
        ("Akta Kélahiran", "akta-kelahiran"),
        ("cara bikin akta kelahiran anak", "akta-kelahiran"),
        ("skck", "skck-baru"),
        ("paspor", "paspor-biasa-baru"),
        ("pasport", "paspor-biasa-baru"),
        ("bikin kk", "penerbitan-kk-baru"),
        ("akta kematian", "akta-kematian"),
        ("syarat akta meninggal", "akta-kematian"),
        ("perpanjang sim a", "sim-a-perpanjangan"),
        ("nib", "pendaftaran-nib"),
    ],
)
def test_everyday_words_find_the_right_service(kukar, query, expected_slug):
    from mpp.catalog.models import Service

    result = find_services(query)
    slugs = list(
        Service.objects.filter(pk__in=[h.id for h in result.hits[:3]]).values_list(
            "slug", flat=True
        )
    )
    assert expected_slug in slugs, (query, [h.name for h in result.hits[:5]])
    assert not result.is_partial


def test_the_best_match_comes_first(kukar):
    result = find_services("akta lahir")
    assert result.hits[0].name == "Penerbitan Akta Kelahiran"


@pytest.mark.parametrize("query", ["akta kelahiran anak", "syarat akta kelahiran anak"])
def test_a_name_holding_more_of_the_words_comes_first(kukar, query):
    # The child's legitimation ("Pencatatan Pengesahan Anak") names "anak" and finds the other
    # words in its requirements, so its whole score is higher; the birth certificate's own name
    # holds two of the three words and comes first.
    hits = find_services(query).hits
    assert hits[0].name == "Penerbitan Akta Kelahiran", [h.name for h in hits[:3]]
    assert max(h.score for h in hits) > hits[0].score


def test_search_at_a_mini_mpp_finds_only_what_it_offers(kukar, mall_loakulu):
    assert (
        find_services("paspor", mall_loakulu).hits == []
        or find_services("paspor", mall_loakulu).is_partial
    )
    at_mini = find_services("akta lahir", mall_loakulu)
    assert at_mini.hits and at_mini.hits[0].name == "Penerbitan Akta Kelahiran"


def test_no_match_says_so(kukar):
    result = find_services("zzzqqq")
    assert result.hits == []


def test_filler_words_alone_list_everything(kukar):
    assert query_terms("cara mengurus syarat") == []


def test_affixes_meet_their_root():
    assert terms("kelahiran") == terms("lahir")
    assert terms("perkawinan") == terms("menikah") == terms("nikah")


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_folding_is_idempotent_and_ascii(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded.isascii()


@pytest.mark.django_db
@given(st.text(max_size=100))
@settings(max_examples=40, deadline=None)
def test_search_never_fails_on_any_text(text):
    from mpp.catalog.models import Service

    result = find_services(text)
    assert isinstance(result.hits, list)
    assert len(result.hits) <= Service.objects.count()


def test_a_single_letter_ranks_without_filtering(kukar):
    names = [h.name for h in find_services("sim c").hits]
    assert "(SIM) C" in names[0]
    assert any("(SIM) A" in n for n in names)


def test_a_word_found_only_in_requirements_comes_after_the_services_it_names(kukar):
    from mpp.catalog.models import Service

    result = find_services("ktp")
    named = Service.objects.filter(pk__in=[h.id for h in result.hits])
    assert "perekaman-ktp-el" in set(named.values_list("slug", flat=True))
    assert result.also, "most services ask for a KTP: they come after, not among the hits"
    assert {h.id for h in result.hits}.isdisjoint(h.id for h in result.also)
    for service in Service.objects.filter(pk__in=[h.id for h in result.also]):
        assert "ktp" not in service.name.lower() and "ktp" not in service.keywords.lower()
    assert result.all_hits == result.hits + result.also


def test_a_tenant_name_keeps_all_its_services_as_hits(kukar):
    from mpp.catalog.models import Service

    result = find_services("dukcapil")
    assert result.also == []
    assert len(result.hits) == Service.objects.filter(tenant__slug="disdukcapil").count()


def test_sim_finds_the_driving_licences_not_words_that_start_with_sim(kukar):
    # "sim" started "simkah" (marriage registration), "simbg" (building approval) and
    # "simpedes" (a savings account): an abbreviation matches whole words only.
    result = find_services("sim")
    names = [h.name for h in result.hits]
    assert names[:3] and all("(SIM)" in n for n in names[:3]), names
    assert not any(w in n for n in names for w in ("Nikah", "Bangunan", "Tabungan")), names
    assert all("Tilang" in n or "(SIM)" in n for n in names), names


def test_kk_ranks_the_family_card_services_first_and_not_kkpr(kukar):
    names = [h.name for h in find_services("kk").hits]
    assert names[0] == "Penerbitan Kartu Keluarga (KK) Baru", names
    assert names[1].startswith("Perubahan Kartu Keluarga"), names
    assert not any("KKPR" in n for n in names), names


def test_an_abbreviation_finds_services_that_spell_it_out():
    assert "kk" in terms("Perubahan Kartu Keluarga")
    assert "sim" in terms("Perpanjangan Surat Izin Mengemudi")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("birth certificate", "Penerbitan Akta Kelahiran"),
        ("Birth Certificate", "Penerbitan Akta Kelahiran"),
        ("death certificate", "Penerbitan Akta Kematian"),
        ("police clearance", "Penerbitan Surat Keterangan Catatan Kepolisian (SKCK) Baru"),
        ("family card", "Penerbitan Kartu Keluarga (KK) Baru"),
    ],
)
def test_english_names_of_services_find_them(kukar, query, expected):
    result = find_services(query)
    assert not result.is_partial
    assert expected in [h.name for h in result.hits[:2]], [h.name for h in result.hits[:5]]


def test_a_service_not_offered_at_a_mini_mpp_says_where_it_is_served(kukar, mall_loakulu):
    from mpp.catalog.queries import served_elsewhere

    elsewhere = served_elsewhere("paspor", mall_loakulu)
    passports = [e for e in elsewhere if "Paspor" in e.hit.name]
    assert len(passports) == 4 and elsewhere[:4] == passports, [e.hit.name for e in elsewhere]
    for e in passports:
        assert [(p.mall.short_name, p.days_display) for p in e.places] == [("MPP Kukar", "Rabu")]
