"""What "open now" means: hours, the Friday prayer break, the cut-off, weekends and holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mpp.malls.models import Mall, OpeningHours

WITA = ZoneInfo("Asia/Makassar")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


@pytest.mark.parametrize(
    ("instant", "code", "taking_numbers"),
    [
        (at(2026, 11, 30, 7, 59), "before_open", False),  # Monday
        (at(2026, 11, 30, 8, 0), "open", True),
        (at(2026, 11, 30, 15, 29), "open", True),
        (at(2026, 11, 30, 15, 30), "open", False),  # after the cut-off for new numbers
        (at(2026, 11, 30, 16, 0), "after_close", False),
        (at(2026, 12, 4, 11, 30), "break", False),  # Friday prayer
        (at(2026, 12, 4, 13, 30), "open", True),
        (at(2026, 12, 5, 10, 0), "closed_today", False),  # Saturday
        (at(2026, 12, 25, 10, 0), "closed_today", False),  # Christmas, a Friday
        (at(2026, 12, 24, 10, 0), "closed_today", False),  # collective leave
    ],
)
def test_the_mpp_state_follows_hours_breaks_cut_off_and_holidays(
    mall_mpp, instant, code, taking_numbers
):
    state = mall_mpp.state_at(instant)
    assert state.code == code
    assert state.is_taking_numbers is taking_numbers


def test_a_closed_mall_says_when_it_opens_again_skipping_holidays(mall_mpp):
    saturday = mall_mpp.state_at(at(2026, 12, 5, 10, 0))
    assert saturday.next_open == at(2026, 12, 7, 8, 0)  # Monday
    # Thursday 24 December is collective leave, Friday 25 Christmas: open again on Monday 28.
    wednesday_evening = mall_mpp.state_at(at(2026, 12, 23, 17, 0))
    assert wednesday_evening.code == "after_close"
    assert wednesday_evening.next_open == at(2026, 12, 28, 8, 0)


def test_the_state_is_read_in_the_malls_zone_not_utc(mall_mpp):
    # 00:30 UTC is 08:30 WITA on a Monday.
    state = mall_mpp.state_at(dt.datetime(2026, 11, 30, 0, 30, tzinfo=dt.UTC))
    assert state.code == "open"


def test_a_mall_that_is_not_operating_is_never_open(kukar):
    preparing = Mall.objects.filter(status=Mall.Status.PREPARING).first()
    assert preparing is not None
    assert preparing.state_at(at(2026, 11, 30, 10, 0)).code == "not_operating"


@time_machine.travel(at(2026, 11, 30, 9, 0), tick=False)
def test_local_now_is_wita(mall_mpp):
    assert mall_mpp.local_now().hour == 9


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"opens": dt.time(15), "closes": dt.time(8)}, "closes"),
        ({"opens": dt.time(8), "closes": dt.time(15), "break_starts": dt.time(12)}, "break_ends"),
        (
            {
                "opens": dt.time(8),
                "closes": dt.time(15),
                "break_starts": dt.time(7),
                "break_ends": dt.time(9),
            },
            "break_starts",
        ),
        (
            {"opens": dt.time(8), "closes": dt.time(15), "last_ticket_at": dt.time(16)},
            "last_ticket_at",
        ),
    ],
)
def test_inconsistent_hours_are_refused_in_indonesian(mall_mpp, values, field):
    hours = OpeningHours(mall=mall_mpp, weekday=6, **values)
    with pytest.raises(ValidationError) as caught:
        hours.full_clean()
    assert field in caught.value.message_dict


def test_a_mini_mpp_must_name_its_paten_room(mall_loakulu):
    mall_loakulu.paten_room = ""
    with pytest.raises(ValidationError) as caught:
        mall_loakulu.full_clean()
    assert "PATEN" in caught.value.message_dict["paten_room"][0]
