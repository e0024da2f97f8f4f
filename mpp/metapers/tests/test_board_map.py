"""The display board places counters with the same floor plan (issue 5, item 1)."""

from __future__ import annotations

from mpp.metapers.models import CounterSpot


def test_the_board_shows_the_floor_map_with_every_placed_counter(
    client, hall_mpp, mall_mpp, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = client.get("/papan/mpp-kukar/").content.decode()
    assert "data-map" in page
    numbers = CounterSpot.objects.filter(booth__room__hall=hall_mpp).values_list(
        "counter__number", flat=True
    )
    assert numbers
    for number in numbers:
        assert f'data-counter="{number}"' in page


def test_a_board_without_a_hall_has_no_map(client, mall_mpp):
    page = client.get("/papan/mpp-kukar/")
    assert page.status_code == 200
    assert "data-map" not in page.content.decode()
