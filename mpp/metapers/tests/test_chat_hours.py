"""When the tenant's officers answer a chat nobody is at (issue 18, item 11): the next opening on
the tenant's days at the mall, in the mall's time zone, with holidays and the Friday break."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mpp.catalog.models import Tenant
from mpp.metapers.chat import next_answer_at, when_officers_answer

WITA = ZoneInfo("Asia/Makassar")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """December 2026 in WITA: the 7th is a Monday, the 9th a Wednesday, the 11th a Friday."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=WITA)


@pytest.fixture
def dukcapil(kukar):  # type: ignore[no-untyped-def]
    return Tenant.objects.get(slug="disdukcapil")


def test_before_opening_officers_answer_at_the_days_opening(mall_mpp, dukcapil):
    assert next_answer_at(mall_mpp, dukcapil, at(7, 3, 45)) == at(7, 8)
    text = when_officers_answer(mall_mpp, dukcapil, at(7, 3, 45))
    assert "dijawab mulai Senin, 7 Desember 2026 pukul 08.00 WITA" in text
    assert "Jam layanan di MPP Kukar: Senin" in text


def test_after_closing_officers_answer_the_next_working_day(mall_mpp, dukcapil):
    closes = mall_mpp.hours_on(dt.date(2026, 12, 7)).closes
    late = dt.datetime.combine(dt.date(2026, 12, 7), closes, tzinfo=WITA) + dt.timedelta(hours=1)
    assert next_answer_at(mall_mpp, dukcapil, late).date() == dt.date(2026, 12, 8)


def test_in_opening_hours_the_answer_is_now_and_says_officers_are_at_counters(mall_mpp, dukcapil):
    assert next_answer_at(mall_mpp, dukcapil, at(7, 10)) == at(7, 10)
    assert "sedang melayani di loket" in when_officers_answer(mall_mpp, dukcapil, at(7, 10))


def test_during_the_friday_break_officers_answer_when_it_ends(mall_mpp, dukcapil):
    friday = mall_mpp.hours_on(dt.date(2026, 12, 11))
    assert friday is not None and friday.break_starts and friday.break_ends
    during = dt.datetime.combine(dt.date(2026, 12, 11), friday.break_starts, tzinfo=WITA)
    ends = dt.datetime.combine(dt.date(2026, 12, 11), friday.break_ends, tzinfo=WITA)
    assert next_answer_at(mall_mpp, dukcapil, during) == ends


def test_a_tenant_serving_one_day_a_week_answers_on_that_day(mall_mpp, kukar):
    imigrasi = Tenant.objects.get(slug="imigrasi-samarinda")
    answer = next_answer_at(mall_mpp, imigrasi, at(7, 10))
    assert answer is not None and answer.date() == dt.date(2026, 12, 9)  # Wednesday
    assert answer.hour == 8
