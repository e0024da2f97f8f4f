"""The 3D hall's page and the installable app (manifest, service worker, offline page)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from mpp.metapers.models import Hall
from mpp.queueing.models import Queue

pytestmark = pytest.mark.django_db


def config_of(response: Any) -> dict[str, Any]:
    html = response.content.decode()
    start = html.index('<script id="hall-config" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def test_3d_page_loads_the_bundle_with_the_halls_urls(client: Client, hall_mpp: Hall) -> None:
    """The shell names the bundle and hands it the scene, the board and both websockets."""
    mall = hall_mpp.mall
    response = client.get(reverse("metapers:hall-3d", args=[mall.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="module" src="/static/metapers/hall.bundle.js"' in html
    assert "Masuk aula" in html and "Ambil nomor antrean" in html and "Tanya petugas" in html
    config = config_of(response)
    assert config["scene"] == reverse("metapers:scene", args=[mall.slug])
    assert config["board"] == f"/api/v1/malls/{mall.pk}/board"
    assert config["ws"] == f"/ws/mal/{mall.slug}/"
    assert config["presence"] == f"/ws/metapers/{mall.slug}/"
    assert config["tenantBase"] == f"/metapers/{mall.slug}/instansi/"
    assert config["hallPattern"] == "/metapers/__slug__/3d/"
    assert config["strings"]["counter"] == "Loket %(n)s"


def test_3d_page_maps_each_tenant_to_its_queue_letters(client: Client, hall_mpp: Hall) -> None:
    """Waiting counts come per queue letter from the board: the page says whose letters."""
    mall = hall_mpp.mall
    config = config_of(client.get(reverse("metapers:hall-3d", args=[mall.slug])))
    expected: dict[str, list[str]] = {}
    for queue in Queue.objects.filter(mall=mall).prefetch_related("tenants"):
        for tenant in queue.tenants.all():
            expected.setdefault(str(tenant.pk), []).append(queue.letter)
    assert expected
    assert {k: sorted(v) for k, v in config["letters"].items()} == {
        k: sorted(v) for k, v in expected.items()
    }


def test_mini_mpp_3d_page_shares_its_front_queue_among_booths(
    client: Client, hall_loakulu: Hall
) -> None:
    config = config_of(client.get(reverse("metapers:hall-3d", args=[hall_loakulu.mall.slug])))
    letters = {tuple(v) for v in config["letters"].values()}
    assert len(letters) == 1  # one front-counter queue for every tenant of the Mini MPP


def test_mini_mpp_3d_page_gives_the_front_desk_its_queues_and_the_list(
    client: Client, hall_loakulu: Hall
) -> None:
    """The front desk counts every queue its front counters serve; its "take a number" leads
    to the hall's list, where the visitor chooses the tenant."""
    mall = hall_loakulu.mall
    config = config_of(client.get(reverse("metapers:hall-3d", args=[mall.slug])))
    served = Queue.objects.filter(counters__mall=mall, counters__tenant__isnull=True)
    assert config["frontLetters"] == sorted(set(served.values_list("letter", flat=True))) == ["A"]
    assert config["hallList"] == "/metapers/mini-mpp-loa-kulu/"
    assert config["strings"]["front_desk"] == "Loket Pelayanan"
    html = client.get(reverse("metapers:hall-3d", args=[mall.slug])).content.decode()
    assert "<p data-panel-note hidden></p>" in html


def test_mpp_3d_page_has_no_front_letters(client: Client, hall_mpp: Hall) -> None:
    config = config_of(client.get(reverse("metapers:hall-3d", args=[hall_mpp.mall.slug])))
    assert config["frontLetters"] == []


def test_3d_page_reads_a_bounded_number_of_queries(
    client: Client, hall_mpp: Hall, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        client.get(reverse("metapers:hall-3d", args=[hall_mpp.mall.slug]))


def test_3d_page_of_an_unknown_mall_is_404(client: Client, kukar: Any) -> None:
    response = client.get(reverse("metapers:hall-3d", args=["tidak-ada"]))
    assert response.status_code == 404


def test_3d_page_of_a_mall_without_a_hall_is_404(client: Client, hall_mpp: Hall) -> None:
    slug = hall_mpp.mall.slug
    hall_mpp.delete()
    response = client.get(reverse("metapers:hall-3d", args=[slug]))
    assert response.status_code == 404


def test_3d_page_refuses_post(client: Client, hall_mpp: Hall) -> None:
    response = client.post(reverse("metapers:hall-3d", args=[hall_mpp.mall.slug]))
    assert response.status_code == 405


def test_3d_page_links_the_manifest_and_registers_the_worker(
    client: Client, hall_mpp: Hall
) -> None:
    html = client.get(reverse("metapers:hall-3d", args=[hall_mpp.mall.slug])).content.decode()
    assert f'<link rel="manifest" href="{reverse("metapers:manifest")}">' in html
    assert f'data-sw="{reverse("metapers:sw")}"' in html


def test_3d_page_has_a_first_visit_tour_hidden_until_the_script_shows_it(
    client: Client, hall_mpp: Hall
) -> None:
    html = client.get(reverse("metapers:hall-3d", args=[hall_mpp.mall.slug])).content.decode()
    assert '<div class="tour" data-tour hidden role="dialog"' in html
    assert html.count("data-tour-step") == 4


# --- the installable app ---------------------------------------------------------------------


def test_manifest_describes_an_installable_standalone_app(client: Client) -> None:
    response = client.get(reverse("metapers:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["short_name"] == "Metapers"
    assert data["start_url"] == "/metapers/" == data["scope"]
    assert data["display"] == "standalone"
    assert data["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        name = icon["src"].removeprefix("/static/")
        assert finders.find(name), f"{name} is missing"


def test_manifest_refuses_post(client: Client) -> None:
    assert client.post(reverse("metapers:manifest")).status_code == 405


def test_service_worker_is_javascript_whose_scope_covers_metapers(client: Client) -> None:
    url = reverse("metapers:sw")
    assert url.startswith("/metapers/")  # default scope: the script's folder
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/metapers/"
    assert response["Cache-Control"] == "no-cache"
    first_line, source = response.content.decode().split("\n", 1)
    config = json.loads(first_line.removeprefix("const CONFIG = ").removesuffix(";"))
    assert config["offline"] == reverse("metapers:offline")
    assert config["scope"] == "/metapers/"
    assert reverse("metapers:offline") in config["precache"]
    assert 'if (request.method !== "GET") return;' in source  # no POST is ever cached
    assert "/^\\/api\\//" in source  # nor the API (tickets, board snapshots)


def test_service_worker_version_changes_with_the_bundles_url(client: Client, settings: Any) -> None:
    """A new bundle (a new hashed name in production) makes a new worker, which drops the
    old caches."""
    first = client.get(reverse("metapers:sw")).content.decode().split("\n", 1)[0]
    settings.STATIC_URL = "/static/v2/"
    second = client.get(reverse("metapers:sw")).content.decode().split("\n", 1)[0]
    assert json.loads(first[15:-1])["version"] != json.loads(second[15:-1])["version"]


def test_service_worker_refuses_post(client: Client) -> None:
    assert client.post(reverse("metapers:sw")).status_code == 405


def test_offline_page_says_what_needs_a_connection(client: Client) -> None:
    response = client.get(reverse("metapers:offline"))
    assert response.status_code == 200
    assert "Mengambil nomor dan obrolan memerlukan koneksi internet." in response.content.decode()
