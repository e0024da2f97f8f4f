"""Health check, language switch and the error pages."""

from __future__ import annotations

from django.urls import reverse


def test_healthz_checks_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_indonesian_is_the_default_and_english_a_switch_away(client, kukar):
    html = client.get(reverse("malls:home")).content.decode()
    assert '<html lang="id">' in html and "Urusan apa hari ini?" in html
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("malls:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Urusan apa hari ini?" not in html
    assert "Mini MPPs in the districts" in html


def test_an_unknown_address_is_an_indonesian_404_page(client, kukar):
    response = client.get("/tidak/ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_the_api_explorer_is_served_from_local_static_files(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle" in html
    assert "cdn" not in html.lower()


def test_the_minimal_api_endpoint_answers(client, db):
    assert client.get("/api/v1/ping").json() == {"ok": True}
