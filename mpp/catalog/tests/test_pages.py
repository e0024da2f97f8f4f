"""Public catalogue pages: search, service standard, checklist, tenants; 400 and 404."""

from __future__ import annotations

import pytest
from django.urls import reverse


def test_search_page_lists_matching_services_without_javascript(client, kukar):
    response = client.get(reverse("catalog:service-search"), {"q": "akta lahir"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Penerbitan Akta Kelahiran" in html
    assert "layanan ditemukan" in html
    assert 'action="/layanan/"' in html  # a plain form works without JavaScript


def test_search_as_you_type_returns_only_the_results_fragment(client, kukar):
    response = client.get(reverse("catalog:service-search"), {"q": "skck"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "SKCK" in html


def test_search_with_no_result_suggests_everyday_words(client, kukar):
    html = client.get(reverse("catalog:service-search"), {"q": "zzzqqq"}).content.decode()
    assert "Tidak ada layanan" in html


def test_services_that_only_ask_for_the_word_are_folded_after_the_hits(client, kukar):
    response = client.get(reverse("catalog:service-search"), {"q": "ktp"})
    result = response.context["result"]
    html = response.content.decode()
    assert f"{len(result.hits)} layanan ditemukan" in html and len(result.hits) < 10
    assert f"{len(result.also)} layanan lain menyebut “ktp” di persyaratan atau produknya" in html
    folded = html[html.index("<details data-also>") :]
    assert all(h.name in folded for h in result.also)
    assert not any(h.name in folded for h in result.hits)


@pytest.mark.parametrize("query", ["bikin", "a", "cara mengurus"])
def test_a_query_of_everyday_filler_only_asks_for_more(client, kukar, query):
    html = client.get(reverse("catalog:service-search"), {"q": query}).content.decode()
    assert f"Kata “{query}” terlalu umum." in html
    assert "layanan ditemukan" not in html


def test_the_api_still_lists_every_match_best_first(client, kukar):
    listed = client.get("/api/v1/services", {"q": "ktp"}).json()
    page = client.get(reverse("catalog:service-search"), {"q": "ktp"}).context["result"]
    assert [s["id"] for s in listed] == [h.id for h in page.hits + page.also]


def test_search_scoped_to_a_mall_links_back_to_all_malls(client, mall_loakulu):
    response = client.get(
        reverse("catalog:service-search"), {"q": "ktp", "mall": mall_loakulu.slug}
    )
    html = response.content.decode()
    assert "Hanya layanan yang ada di Mini MPP Loa Kulu" in html
    assert "?mall=mini-mpp-loa-kulu" in html


def test_a_malformed_parameter_is_a_400_naming_the_field(client, kukar):
    response = client.get(reverse("catalog:service-search"), {"mall": "bukan slug!"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<strong>mall</strong>" in html and "Kode mal tidak sah" in html
    response = client.get(reverse("catalog:service-search"), {"q": "x" * 101})
    assert response.status_code == 400
    assert "<strong>q</strong>" in response.content.decode()


def test_an_unknown_mall_in_the_search_is_a_404(client, kukar):
    response = client.get(reverse("catalog:service-search"), {"q": "ktp", "mall": "tidak-ada"})
    assert response.status_code == 404


def test_service_page_shows_the_six_components_places_days_and_pledge(
    client, service_by_slug, django_assert_max_num_queries
):
    service = service_by_slug("paspor-biasa-baru")
    with django_assert_max_num_queries(8):
        response = client.get(service.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "1. Persyaratan",
        "2. Sistem, mekanisme, dan prosedur",
        "3. Jangka waktu penyelesaian",
        "4. Biaya/tarif",
        "5. Produk pelayanan",
        "6. Penanganan pengaduan, saran, dan masukan",
        "Dasar hukum",
        "Maklumat pelayanan",
        "Di mana dan hari apa",
    ):
        assert heading in html, heading
    for requirement in service.requirements:
        assert requirement.replace("'", "&#x27;").replace('"', "&quot;") in html
    assert "Rabu" in html  # immigration serves on Wednesdays only
    assert "MPP Kukar" in html


def test_service_page_in_a_mall_context_highlights_that_mall(client, service_by_slug, mall_loakulu):
    service = service_by_slug("akta-kelahiran")
    response = client.get(service.get_absolute_url(), {"mall": mall_loakulu.slug})
    html = response.content.decode()
    assert 'class="here"' in html
    assert f"--brand:{mall_loakulu.color_primary}" in html


def test_the_printable_checklist_lists_every_requirement_with_a_box(client, service_by_slug):
    service = service_by_slug("skck-baru")
    response = client.get(reverse("catalog:service-checklist", args=[service.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="box"') == len(service.requirements)
    assert "print.css" in html
    assert '<link rel="icon" href="/static/mpp/favicon' in html  # its own head: the site's icon
    # the printed sheet keeps the official component names of the standard
    for heading in ("Persyaratan", "Jangka waktu penyelesaian", "Biaya/tarif", "Produk pelayanan"):
        assert heading in html
    places = html[html.index("Tempat dan hari") :]
    assert "MPP Kukar (" in places and "); </td>" not in places and ";</td>" not in places


def test_unknown_or_withdrawn_services_are_a_404(client, service_by_slug):
    assert client.get("/layanan/999999/").status_code == 404
    assert client.get("/layanan/999999/cetak/").status_code == 404
    service = service_by_slug("skck-baru")
    service.is_active = False
    service.save()
    assert client.get(service.get_absolute_url()).status_code == 404


def test_a_404_page_says_what_was_not_found(client, kukar):
    unknown_service = client.get("/layanan/999999/").content.decode()
    assert "Layanan tidak ditemukan." in unknown_service
    unknown_tenant = client.get("/instansi/tidak-ada/")
    assert unknown_tenant.status_code == 404
    assert "Instansi tidak ditemukan." in unknown_tenant.content.decode()
    # An address nothing answers gets the page's general text, never the resolver's details.
    nowhere = client.get("/tidak-ada-halaman-ini/").content.decode()
    assert "Mal, instansi, atau layanan yang Anda cari tidak ada" in nowhere
    assert "tried" not in nowhere and "urlpatterns" not in nowhere


def test_service_page_with_a_malformed_mall_is_a_400(client, service_by_slug):
    service = service_by_slug("skck-baru")
    assert client.get(service.get_absolute_url(), {"mall": "!!"}).status_code == 400


def test_tenant_pages_list_services_and_where_they_serve(client, kukar):
    response = client.get(reverse("catalog:tenant-list"))
    assert response.status_code == 200
    assert "Disdukcapil" in response.content.decode()
    response = client.get(reverse("catalog:tenant-detail", args=["imigrasi-samarinda"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rabu" in html and "Paspor" in html
    assert client.get("/instansi/tidak-ada/").status_code == 404


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        ("/layanan/?q=akta+lahir", 2),
        ("/instansi/", 2),
        ("/instansi/disdukcapil/", 4),
        ("/api/v1/services?q=ktp", 2),
        ("/api/v1/malls", 4),
    ],
)
def test_catalogue_pages_read_a_fixed_number_of_queries(
    client, kukar, django_assert_max_num_queries, url, bound
):
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_a_service_not_served_at_the_mini_mpp_says_where_and_when_instead(client, mall_loakulu):
    response = client.get(
        reverse("catalog:service-search"), {"q": "paspor", "mall": mall_loakulu.slug}
    )
    html = response.content.decode()
    assert "Mini MPP Loa Kulu tidak melayani “paspor”. Layanan ini ada di:" in html
    assert "MPP Kukar</a>: Rabu" in html
    assert "Tidak ada layanan untuk" not in html  # no "nothing found ... try “paspor”"


def test_while_typing_only_the_count_is_announced(client, kukar):
    page = client.get(reverse("catalog:service-search"), {"q": "skck"}).content.decode()
    assert 'id="hasil" aria-live' not in page and '<div id="hasil">' in page
    assert 'id="search-status" class="sr" role="status">2 layanan ditemukan' in page
    typed = client.get(reverse("catalog:service-search"), {"q": "skck"}, HTTP_HX_REQUEST="true")
    html = typed.content.decode()
    assert 'id="search-status" class="sr" hx-swap-oob="innerHTML">2 layanan ditemukan' in html


def test_typing_replaces_the_address_and_only_a_submit_adds_to_history(client, kukar):
    html = client.get(reverse("catalog:service-search")).content.decode()
    assert 'hx-replace-url="true"' in html and "hx-push-url" not in html


def test_the_language_switch_names_each_language_in_itself(client, kukar):
    html = client.get(reverse("catalog:tenant-list")).content.decode()
    assert '<option value="en" lang="en">English</option>' in html
    assert "Inggris" not in html
    assert 'lang="id" selected>Bahasa Indonesia</option>' in html


def test_the_service_standard_keeps_its_official_headings_with_a_plain_sub_title(
    client, service_by_slug
):
    service = service_by_slug("akta-kelahiran")
    html = client.get(reverse("catalog:service-detail", args=[service.pk])).content.decode()
    for official, plain in [
        ("1. Persyaratan", "Yang perlu Anda bawa"),
        ("2. Sistem, mekanisme, dan prosedur", "Langkah-langkahnya"),
        ("5. Produk pelayanan", "Yang Anda terima"),
        ("6. Penanganan pengaduan, saran, dan masukan", "Jika ada keluhan"),
    ]:
        assert f'{official} <span class="plain">{plain}</span></h2>' in html
    client.cookies["django_language"] = "en"
    english = client.get(reverse("catalog:service-detail", args=[service.pk])).content.decode()
    assert '<span class="plain">What to bring</span>' in english


def test_not_served_here_reads_in_english_too(client, mall_loakulu):
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("catalog:service-search"), {"q": "passport", "mall": mall_loakulu.slug}
    ).content.decode()
    assert "Mini MPP Loa Kulu does not offer “passport”. It is served at:" in html


def test_the_tenant_list_explains_each_acronym_in_one_plain_line(client, kukar):
    html = client.get(reverse("catalog:tenant-list")).content.decode()
    for acronym, line in [
        ("Kejari Kukar", "Kejaksaan Negeri<"),
        ("DPMPTSP Kukar", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu<"),
        ("Disdukcapil Kukar", "Dinas Kependudukan dan Pencatatan Sipil<"),
    ]:
        assert acronym in html and line in html, acronym


def test_the_agency_s_time_to_answer_a_complaint_is_published(client, service_by_slug):
    """Component 6 of the standard names the agency's own deadline (Tenant.complaint_days)."""
    service = service_by_slug("paspor-biasa-baru")
    service.tenant.complaint_days = 7
    service.tenant.save(update_fields=["complaint_days"])
    for url in (
        service.get_absolute_url(),
        reverse("catalog:tenant-detail", args=[service.tenant.slug]),
    ):
        html = client.get(url).content.decode()
        assert (
            "paling lambat 3 hari kerja, lalu dijawab instansi paling lambat 7 hari kerja" in html
        )
