"""The error pages a citizen meets say, in Indonesian, what happened and what to do."""

from __future__ import annotations

from django.test import Client


def test_a_form_sent_from_a_page_left_open_too_long_gets_the_indonesian_403(db):
    response = Client(enforce_csrf_checks=True).post("/instansi/", {})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Akses ditolak</h1>" in html
    assert "Muat ulang halamannya, lalu kirim lagi." in html
    assert "CSRF" not in html
