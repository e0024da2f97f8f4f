"""A mall's logo: cleaned when saved, served so nothing in it runs, edited by the regency
administrator only (issue 16, finding 1; docs/adr/0013)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from mpp.accounts.tests.test_admin import _form_data, change_url
from mpp.core.tests.test_usercontent import TAKEOVER_SVG
from mpp.core.usercontent import USER_FILE_CSP
from mpp.malls.models import Mall

BRANDING = ["name", "short_name", "tagline", "color_primary", "color_secondary", "logo_svg"]


def test_a_logo_saved_with_a_script_is_stored_without_it(mall_loakulu):
    mall_loakulu.logo_svg = TAKEOVER_SVG
    mall_loakulu.save()
    mall_loakulu.refresh_from_db()
    assert "<script" not in mall_loakulu.logo_svg and "onload" not in mall_loakulu.logo_svg
    assert 'fill="#0b5d3b"' in mall_loakulu.logo_svg


def test_a_logo_that_is_not_svg_cannot_be_saved_by_any_path(mall_loakulu):
    mall_loakulu.logo_svg = "<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationError), transaction.atomic():
        mall_loakulu.save()
    assert Mall.objects.get(pk=mall_loakulu.pk).logo_svg == ""


def test_the_regency_admin_uploads_a_logo_and_the_admin_stores_it_cleaned(
    client, cast, mall_loakulu
):
    client.force_login(cast.regency_admin())
    data = _form_data(client.get(change_url(mall_loakulu)))
    data["logo_svg"] = TAKEOVER_SVG
    response = client.post(change_url(mall_loakulu), data)
    assert response.status_code == 302
    mall_loakulu.refresh_from_db()
    assert "<script" not in mall_loakulu.logo_svg and "<circle" in mall_loakulu.logo_svg


def test_the_admin_refuses_html_as_a_logo_in_indonesian(client, cast, mall_loakulu):
    client.force_login(cast.regency_admin())
    data = _form_data(client.get(change_url(mall_loakulu)))
    data["logo_svg"] = "<html><body><script>alert(1)</script></body></html>"
    response = client.post(change_url(mall_loakulu), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo_svg"] == [
        "Logo bukan berkas SVG yang sah (XML rusak atau bukan SVG)."
    ]
    mall_loakulu.refresh_from_db()
    assert mall_loakulu.logo_svg == ""


def test_a_mall_supervisor_sees_the_branding_but_cannot_change_it(client, cast, mall_loakulu):
    client.force_login(cast.supervisor_loakulu())
    page = client.get(change_url(mall_loakulu))
    form = page.context["adminform"].form
    for field in BRANDING:
        assert field not in form.fields, field  # shown read-only
    assert mall_loakulu.short_name in page.content.decode()
    data = _form_data(page)
    data.update({"phone": "0541-661234", "short_name": "Diambil alih", "logo_svg": TAKEOVER_SVG})
    data.update({"color_primary": "#000000"})
    assert client.post(change_url(mall_loakulu), data).status_code == 302
    before = mall_loakulu.short_name, mall_loakulu.color_primary
    mall_loakulu.refresh_from_db()
    assert mall_loakulu.phone == "0541-661234"  # contact data stays the supervisor's
    assert (mall_loakulu.short_name, mall_loakulu.color_primary) == before
    assert mall_loakulu.logo_svg == ""


def test_the_regency_admin_edits_the_branding(client, cast, mall_loakulu):
    client.force_login(cast.regency_admin())
    form = client.get(change_url(mall_loakulu)).context["adminform"].form
    for field in BRANDING:
        assert field in form.fields, field


@pytest.mark.parametrize("stored", [True, False], ids=["uploaded logo", "drawn badge"])
def test_the_logo_is_served_so_that_nothing_in_it_can_run(client, mall_loakulu, stored):
    if stored:
        mall_loakulu.logo_svg = TAKEOVER_SVG
        mall_loakulu.save()
    response = client.get(reverse("malls:mall-logo", args=[mall_loakulu.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == USER_FILE_CSP
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_migration_cleans_logos_stored_before_and_drops_what_cannot_be_cleaned(kukar):
    migration = importlib.import_module("mpp.malls.migrations.0004_logo_svg_cleaned_by_svg_hush")
    malls = list(Mall.objects.all()[:3])
    # Written as the probe found them: straight into the table, past the field's cleaning.
    Mall.objects.filter(pk=malls[0].pk).update(logo_svg=TAKEOVER_SVG)
    Mall.objects.filter(pk=malls[1].pk).update(logo_svg="<p onclick=alert(1)>bukan svg")
    migration.clean_stored_logos(apps, None)
    cleaned = Mall.objects.get(pk=malls[0].pk).logo_svg
    assert "<script" not in cleaned and "<circle" in cleaned
    assert Mall.objects.get(pk=malls[1].pk).logo_svg == ""  # the badge is drawn instead
    assert Mall.objects.get(pk=malls[2].pk).logo_svg == ""
