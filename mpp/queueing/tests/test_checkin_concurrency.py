"""Two kiosks scanning one booking at the same instant give one number (real threads; SQLite in
`make test`, PostgreSQL in CI's second pass: the appointment's row lock decides)."""

from __future__ import annotations

import pytest

from mpp.catalog.models import Service
from mpp.core import clock
from mpp.core.tests.clients import run_parallel
from mpp.malls.models import Mall
from mpp.queueing.checkin import check_in
from mpp.queueing.models import Ticket, TicketEvent
from mpp.queueing.tests.bookings import book

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def always_open(settings, uji):  # type: ignore[no-untyped-def]
    settings.MPP_DEMO_ALWAYS_OPEN = True  # real clock in threads; hours are not under test


def test_two_kiosks_checking_in_one_booking_at_once_give_one_number(always_open):
    mall = Mall.objects.get(slug="mpp-uji")
    service = Service.objects.get(slug="akta-lahir-uji")
    now = clock.now().astimezone(mall.zone)
    booking = book(mall, service, now.strftime("%H:%M"))
    codes = [booking.code, booking.grouped_code.lower()] * 3  # six kiosks, typed or scanned

    def work(i: int) -> tuple[int, bool]:
        done = check_in(code=codes[i], mall=mall)
        return done.ticket.pk, done.created

    results, errors = run_parallel(len(codes), work)

    assert errors == []
    assert len({pk for pk, _created in results}) == 1
    assert sorted(created for _pk, created in results) == [False] * 5 + [True]
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.filter(type="checked_in").count() == 1
    booking.refresh_from_db()
    assert booking.ticket_code == Ticket.objects.get().code
