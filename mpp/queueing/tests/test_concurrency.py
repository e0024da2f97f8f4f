"""Real parallel clients against the configured database (SQLite in `make test`, PostgreSQL in
CI's second pass): numbers stay unique and gapless, and no ticket is called twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from mpp.catalog.models import MallService, Service
from mpp.core import refcache
from mpp.malls.models import Mall
from mpp.queueing import actions
from mpp.queueing.exceptions import TicketRefused
from mpp.queueing.models import Counter, Queue, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def run_parallel(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start `n` threads at the same instant (a barrier) and collect their results and errors."""
    start = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        try:
            start.wait(timeout=30)
            out = work(i)
            with lock:
                results.append(out)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors


@pytest.fixture
def always_open(settings, kukar):  # type: ignore[no-untyped-def]
    settings.MPP_DEMO_ALWAYS_OPEN = True  # real clock in threads; hours are not under test


def test_parallel_issuers_get_unique_gapless_numbers(always_open):
    mall = Mall.objects.get(slug="mpp-kukar")
    services = [Service.objects.get(slug=s) for s in ("akta-kelahiran", "perekaman-ktp-el")]
    clients, per_client = 16, 10

    def work(i: int) -> list[int]:
        return [
            actions.issue_ticket(
                mall=mall, service=services[(i + k) % 2], channel=Ticket.Channel.KIOSK
            ).ticket.number
            for k in range(per_client)
        ]

    results, errors = run_parallel(clients, work)

    assert errors == []
    numbers = sorted(n for r in results for n in r)
    assert numbers == list(range(1, clients * per_client + 1))
    stored = sorted(Ticket.objects.filter(mall=mall).values_list("number", flat=True))
    assert stored == numbers


def test_parallel_issuers_never_pass_the_daily_quota(always_open):
    """The quota is counted under the sequence row's lock; a refusal leaves no gap."""
    mall = Mall.objects.get(slug="mpp-kukar")
    akta = Service.objects.get(slug="akta-kelahiran")
    MallService.objects.filter(mall=mall, service=akta).update(daily_quota=5)
    refcache.invalidate()

    def work(i: int) -> str:
        try:
            issued = actions.issue_ticket(mall=mall, service=akta, channel=Ticket.Channel.KIOSK)
        except TicketRefused as refused:
            return refused.code
        return issued.ticket.display_number

    results, errors = run_parallel(12, work)

    assert errors == []
    assert sorted(results).count("quota_reached") == 7
    numbers = sorted(Ticket.objects.filter(mall=mall).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    # The queue goes on, gapless, for the tenant's other services.
    ktp = Service.objects.get(slug="perekaman-ktp-el")
    assert actions.issue_ticket(mall=mall, service=ktp, channel="kiosk").ticket.number == 6


def test_parallel_double_taps_give_one_ticket(always_open):
    mall = Mall.objects.get(slug="mpp-kukar")
    service = Service.objects.get(slug="akta-kelahiran")
    results, errors = run_parallel(
        8,
        lambda i: (
            actions.issue_ticket(
                mall=mall,
                service=service,
                channel=Ticket.Channel.KIOSK,
                idempotency_key="tap-1",
                idempotency_owner="user:kios-1",
            ).ticket.pk
        ),
    )
    assert errors == []
    assert len(set(results)) == 1
    assert Ticket.objects.count() == 1


def test_one_key_sent_at_once_by_two_callers_gives_each_their_own_ticket(always_open):
    """A key belongs to its caller (docs/adr/0005): a kiosk's double tap and a stranger who
    replays the kiosk's key at the same instant each get their own ticket, never the other's."""
    mall = Mall.objects.get(slug="mpp-kukar")
    service = Service.objects.get(slug="akta-kelahiran")
    owners = ["user:kios-1", "browser:orang-lain"] * 4

    def work(i: int) -> tuple[str, int]:
        issued = actions.issue_ticket(
            mall=mall,
            service=service,
            channel=Ticket.Channel.KIOSK,
            idempotency_key="tap-1",
            idempotency_owner=owners[i],
        )
        return owners[i], issued.ticket.pk

    results, errors = run_parallel(len(owners), work)

    assert errors == []
    tickets = {t.idempotency_owner: t.pk for t in Ticket.objects.all()}
    assert len(tickets) == 2 and sorted(tickets) == ["browser:orang-lain", "user:kios-1"]
    assert sorted(results) == sorted((owner, tickets[owner]) for owner in owners)
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert numbers == [1, 2]  # the losers' numbers were rolled back: no gap


def test_one_key_sent_at_once_with_two_priorities_gives_one_ticket(always_open):
    """The race a restored kiosk page and its double tap can make: the request that wins gets
    the ticket, the same request again gets it too, the other priority gets a refusal."""
    mall = Mall.objects.get(slug="mpp-kukar")
    service = Service.objects.get(slug="akta-kelahiran")
    priorities = [Ticket.Priority.NONE, Ticket.Priority.ELDERLY] * 4

    def work(i: int) -> tuple[str, str]:
        try:
            issued = actions.issue_ticket(
                mall=mall,
                service=service,
                channel=Ticket.Channel.KIOSK,
                priority=priorities[i],
                idempotency_key="tap-1",
                idempotency_owner="user:kios-1",
            )
        except TicketRefused as refused:
            return priorities[i], refused.code
        return priorities[i], str(issued.ticket.pk)

    results, errors = run_parallel(len(priorities), work)

    assert errors == []
    ticket = Ticket.objects.get()
    assert sorted(results) == sorted(
        (p, str(ticket.pk) if p == ticket.priority else "idempotency_key_reused")
        for p in priorities
    )


def test_eight_counters_calling_at_once_never_share_a_ticket(always_open, cast):
    mall = Mall.objects.get(slug="mpp-kukar")
    officer = cast.officer_dukcapil()
    queue = Queue.objects.get(mall=mall, tenants__slug="disdukcapil")
    counters = list(Counter.objects.filter(mall=mall, tenant__slug="disdukcapil"))
    for number in range(90, 90 + 8 - len(counters)):
        extra = Counter.objects.create(mall=mall, number=number, tenant=queue.tenants.first())
        extra.queues.set([queue])
        counters.append(extra)
    counters = [
        actions.set_counter_status(counter=c, status=Counter.Status.OPEN, acting_user=officer)
        for c in counters
    ]
    service = Service.objects.get(slug="akta-kelahiran")
    issued = {
        actions.issue_ticket(
            mall=mall,
            service=service,
            channel=Ticket.Channel.KIOSK,
            priority=Ticket.Priority.ELDERLY if i % 3 == 0 else Ticket.Priority.NONE,
        ).ticket.pk
        for i in range(48)
    }

    def work(i: int) -> list[int]:
        got = []
        while ticket := actions.call_next_ticket(counter=counters[i], acting_user=officer):
            got.append(ticket.pk)
            actions.start_ticket(ticket=ticket, acting_user=officer)
            actions.finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)
        return got

    results, errors = run_parallel(8, work)

    assert errors == []
    called = [pk for r in results for pk in r]
    assert len(called) == len(set(called)) == len(issued)
    assert set(called) == issued
    assert not Ticket.objects.filter(status=Ticket.Status.WAITING).exists()
