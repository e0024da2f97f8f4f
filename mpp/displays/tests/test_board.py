"""The board page: what it tells board.js (its mall's time zone, its orientation) and its icon."""

from __future__ import annotations

from django.urls import reverse


def board_html(client, slug: str = "mpp-kukar", query: str = "") -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("displays:board", args=[slug]) + query)
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_clock_is_given_the_malls_time_zone(client, mall_mpp):
    assert 'data-tz="Asia/Makassar"' in board_html(client)


def test_a_mall_in_another_zone_gives_its_own(client, mall_mpp):
    """The zone comes from the mall's region, not from the code or the server's TIME_ZONE."""
    region = mall_mpp.region
    region.timezone = "Asia/Jayapura"
    region.save(update_fields=["timezone"])
    assert 'data-tz="Asia/Jayapura"' in board_html(client)


def test_the_board_links_the_sites_icon(client, kukar):
    assert '<link rel="icon" href="/static/mpp/favicon.svg" type="image/svg+xml">' in board_html(
        client
    )


def test_the_portrait_board_is_asked_for_in_the_address(client, kukar):
    assert '<body class="board landscape sound-off"' in board_html(client)
    assert '<body class="board portrait sound-off"' in board_html(client, query="?arah=potret")


def test_the_board_speaks_indonesian_whatever_the_tvs_browser_is_set_to(client, kukar):
    url = reverse("displays:board", args=["mpp-kukar"])
    english_tv = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english_tv["Content-Language"] == "id"
    html = english_tv.content.decode()
    assert "Suara panggilan mati" in html and "Call sound is off" not in html
    # A language chosen on the page itself (the footer's switcher sets the cookie) still wins.
    client.cookies["django_language"] = "en"
    chosen = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
    assert "Call sound is off" in chosen.content.decode()
