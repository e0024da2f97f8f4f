"""Issuing numbers: format, per queue and day, refusals with a clear message, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest

from mpp.catalog.models import MallService, Service
from mpp.malls.models import Mall
from mpp.queueing.exceptions import IdempotencyKeyReused, TicketRefused
from mpp.queueing.issuing import issue_ticket
from mpp.queueing.models import QueueSettings, Ticket, TicketEvent
from mpp.queueing.tests.conftest import WITA


def test_numbers_are_a_letter_and_three_digits_per_queue(monday, issue):
    first = issue("akta-kelahiran").ticket
    second = issue("perekaman-ktp-el").ticket  # same tenant, same queue
    other = issue("skck-baru").ticket
    letter = first.queue.letter
    assert first.display_number == f"{letter}001" and second.display_number == f"{letter}002"
    assert other.display_number == f"{other.queue.letter}001" and other.queue.letter != letter
    # The ticket row is its own first step: no separate "issued" event is written.
    assert first.issued_at is not None and first.channel == Ticket.Channel.KIOSK
    assert not TicketEvent.objects.filter(ticket=first).exists()


@pytest.mark.django_db(transaction=True)  # outside a transaction, as the kiosk's request runs
def test_the_issued_ticket_is_the_row_the_database_keeps(settings, kukar, cast):
    """The ticket issuing returns agrees, field by field, with what a fresh read returns."""
    settings.MPP_DEMO_ALWAYS_OPEN = True
    kiosk = cast.officer_dukcapil()
    issued = issue_ticket(
        mall=Mall.objects.get(slug="mpp-kukar"),
        service=Service.objects.get(slug="akta-kelahiran"),
        channel=Ticket.Channel.STAFF,
        idempotency_key="kios-2-tap-1",
        idempotency_owner=f"user:{kiosk.pk}",
        acting_user=kiosk,
    ).ticket
    stored = Ticket.objects.get(pk=issued.pk)
    for field in Ticket._meta.concrete_fields:
        assert getattr(issued, field.attname) == getattr(stored, field.attname), field.name
    assert stored.status == Ticket.Status.WAITING and stored.recall_count == 0
    assert stored.outcome == "" and stored.counter_id is None and stored.called_at is None
    assert stored.issued_by_id == kiosk.pk and stored.waiting_since == stored.issued_at
    assert not issued._state.adding  # saving it again updates, never inserts a second row
    issued.call_reason = "uji"
    issued.save(update_fields=["call_reason"])
    assert Ticket.objects.count() == 1


def test_a_ticket_is_never_timed_before_the_number_before_it(monday, issue):
    """Two issuers may read the clock in one order and take the queue's row in the other (on
    PostgreSQL the time is read before the statement waits for the row). The later number then
    takes the earlier one's time, so waiting order and numbers agree."""
    first = issue().ticket
    monday.shift(dt.timedelta(seconds=-3))  # the second issuer's clock reading is older
    second = issue().ticket
    assert second.number == first.number + 1
    assert second.issued_at == first.issued_at and second.waiting_since == first.issued_at
    stored = Ticket.objects.get(pk=second.pk)
    assert stored.issued_at == first.issued_at and stored.waiting_since == first.issued_at
    monday.shift(dt.timedelta(seconds=10))  # the clock is ahead again: its own time
    third = issue().ticket
    assert third.issued_at == first.issued_at + dt.timedelta(seconds=7)
    assert Ticket.objects.get(pk=third.pk).issued_at == third.issued_at


def test_numbers_restart_each_service_day_without_cron(monday, issue):
    assert issue().ticket.number == 1
    assert issue().ticket.number == 2
    monday.move_to(dt.datetime(2026, 12, 1, 8, 30, tzinfo=WITA))
    tuesday = issue().ticket
    assert tuesday.number == 1
    assert tuesday.service_day == dt.date(2026, 12, 1)


def test_each_mall_numbers_on_its_own(monday, issue, mall_loakulu):
    issue()
    at_mini = issue(mall=mall_loakulu).ticket
    assert at_mini.display_number == "A001"


def test_people_ahead_are_counted(monday, issue):
    issue()
    issue()
    assert issue().ahead == 2


def test_a_double_tap_gives_one_ticket(monday, issue):
    first = issue(key="kios-1-tap-77")
    again = issue(key="kios-1-tap-77")
    assert first.created and not again.created
    assert again.ticket.pk == first.ticket.pk
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("slug", "priority"),
    [
        ("akta-kelahiran", Ticket.Priority.NONE),  # Back on the kiosk, then a plain "Ambil nomor"
        ("kartu-identitas-anak", Ticket.Priority.ELDERLY),  # the same page, another service
    ],
)
def test_a_key_reused_for_another_request_never_gives_the_earlier_ticket(
    monday, issue, slug, priority
):
    first = issue(priority=Ticket.Priority.ELDERLY, key="halaman-kios-1")
    with pytest.raises(IdempotencyKeyReused) as refused:
        issue(slug, priority=priority, key="halaman-kios-1")
    assert refused.value.code == "idempotency_key_reused" and refused.value.status == 422
    assert "layanan, prioritas, atau hari lain" in str(refused.value)
    assert list(Ticket.objects.all()) == [first.ticket]
    again = issue(priority=Ticket.Priority.ELDERLY, key="halaman-kios-1")  # still a double tap
    assert again.ticket == first.ticket and not again.created
    assert issue(slug, priority=priority, key="halaman-kios-2").created


def test_a_key_of_an_earlier_day_never_gives_that_days_ticket(monday, issue):
    # A Metapers booth page kept by the service worker since Monday resends Monday's key.
    monday_ticket = issue(key="halaman-metapers-1").ticket
    monday.move_to(dt.datetime(2026, 12, 1, 9, 0, tzinfo=WITA))
    with pytest.raises(IdempotencyKeyReused):
        issue(key="halaman-metapers-1")
    assert list(Ticket.objects.all()) == [monday_ticket]
    assert issue(key="halaman-metapers-2").ticket.service_day == dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("moment", "code", "words"),
    [
        (dt.datetime(2026, 12, 5, 10, 0, tzinfo=WITA), "mall_closed", "tutup"),  # Saturday
        (dt.datetime(2026, 12, 25, 10, 0, tzinfo=WITA), "mall_closed", "hari libur"),
        (dt.datetime(2026, 11, 30, 7, 0, tzinfo=WITA), "mall_closed", "tutup"),
        (dt.datetime(2026, 11, 30, 15, 40, tzinfo=WITA), "past_cutoff", "15.30"),
    ],
)
def test_no_ticket_when_the_mall_does_not_take_numbers(monday, issue, moment, code, words):
    monday.move_to(moment)
    with pytest.raises(TicketRefused) as refused:
        issue()
    assert refused.value.code == code
    assert words in str(refused.value)
    assert not Ticket.objects.exists()


def test_immigration_takes_numbers_only_on_wednesdays(monday, issue):
    with pytest.raises(
        TicketRefused, match="tidak melayani di MPP Kukar; buka Rabu, 2 Desember"
    ) as refused:
        issue("paspor-biasa-baru")
    assert refused.value.code == "not_today"
    monday.move_to(dt.datetime(2026, 12, 2, 9, 0, tzinfo=WITA))
    assert issue("paspor-biasa-baru").ticket.number == 1


def test_a_service_not_offered_at_the_mall_is_refused(monday, issue, mall_loakulu):
    with pytest.raises(TicketRefused, match="tidak tersedia di Mini MPP Loa Kulu"):
        issue("paspor-biasa-baru", mall=mall_loakulu)


def test_a_mini_mpp_that_is_not_operating_is_refused(monday, issue, service_by_slug):
    preparing = Mall.objects.filter(status=Mall.Status.PREPARING).first()
    with pytest.raises(TicketRefused, match="belum beroperasi"):
        issue(mall=preparing)


def test_the_daily_quota_is_enforced(monday, issue, mall_mpp, service_by_slug):
    MallService.objects.filter(mall=mall_mpp, service=service_by_slug("akta-kelahiran")).update(
        daily_quota=2
    )
    issue()
    issue()
    with pytest.raises(TicketRefused, match="Kuota harian") as refused:
        issue()
    assert refused.value.code == "quota_reached"
    assert issue("perekaman-ktp-el").ticket.number == 3  # the queue goes on for other services


def test_online_tickets_follow_the_malls_switch_and_cut_off(monday, issue, mall_mpp):
    rules = QueueSettings.objects.get(mall=mall_mpp)
    rules.is_online_open = False
    rules.save()
    with pytest.raises(TicketRefused, match="online"):
        issue(channel=Ticket.Channel.ONLINE)
    rules.is_online_open = True
    rules.online_cutoff = dt.time(8, 30)
    rules.save()
    with pytest.raises(TicketRefused, match=r"08\.30") as refused:
        issue(channel=Ticket.Channel.ONLINE)
    assert refused.value.code == "online_cutoff"
    assert issue(channel=Ticket.Channel.KIOSK).ticket.number == 1


def test_the_demo_setting_keeps_the_mall_open_around_the_clock(monday, issue, settings):
    monday.move_to(dt.datetime(2026, 12, 6, 23, 0, tzinfo=WITA))  # Sunday night
    settings.MPP_DEMO_ALWAYS_OPEN = True
    assert issue().ticket.number == 1


def test_changes_to_reference_data_count_from_the_next_ticket(monday, issue, mall_mpp, kukar):
    """What issuing reads (offering, quota, holidays) counts from the next ticket."""
    from mpp.malls.models import Holiday

    assert issue().ticket.number == 1  # reads and keeps the mall, offering, queue, rules
    offering = MallService.objects.get(mall=mall_mpp, service__slug="akta-kelahiran")
    offering.daily_quota = 1
    offering.save()
    with pytest.raises(TicketRefused, match="Kuota harian"):
        issue()
    offering.daily_quota = None
    offering.save()
    assert issue().ticket.number == 2
    Holiday.objects.create(region=mall_mpp.region, date=monday_date(), name="Libur uji")
    with pytest.raises(TicketRefused, match="hari libur"):
        issue()


def test_a_change_made_by_another_worker_counts_here(monday, issue, mall_mpp):
    """Another process changes the rows (an update sends no signal); this one must see it."""
    assert issue().ticket.number == 1
    MallService.objects.filter(mall=mall_mpp, service__slug="akta-kelahiran").update(daily_quota=1)
    with pytest.raises(TicketRefused, match="Kuota harian"):
        issue()


def monday_date() -> dt.date:
    from mpp.core import clock

    return clock.now().astimezone(WITA).date()


@pytest.mark.django_db(transaction=True)  # outside a transaction, as the kiosk's request runs
def test_numbers_follow_one_another_outside_a_transaction(settings, kukar):
    """Each ticket commits on its own, as a kiosk's request does: 1, 2, 3, stored as given."""
    settings.MPP_DEMO_ALWAYS_OPEN = True
    mall = Mall.objects.get(slug="mpp-kukar")
    akta = Service.objects.get(slug="akta-kelahiran")
    tickets = [
        issue_ticket(mall=mall, service=akta, channel=Ticket.Channel.KIOSK).ticket for _ in range(3)
    ]
    assert [t.number for t in tickets] == [1, 2, 3]
    assert [t.number for t in Ticket.objects.order_by("number")] == [1, 2, 3]
