"""Real parallel clients against the configured database (SQLite in `make test`, PostgreSQL in
CI's second pass): numbers stay unique and gapless, and no ticket is called twice."""

from __future__ import annotations

import pytest

from mpp.catalog.models import MallService, Service
from mpp.core.tests.clients import run_parallel
from mpp.malls.models import Mall
from mpp.queueing import actions
from mpp.queueing.exceptions import TicketRefused
from mpp.queueing.models import Counter, Queue, Ticket, TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def always_open(settings, uji):  # type: ignore[no-untyped-def]
    """The small synthetic region, open: transactional tests reload their region after each
    flush, and Uji loads in a fraction of Kukar's time; numbering is not about Kukar's data."""
    settings.MPP_DEMO_ALWAYS_OPEN = True  # real clock in threads; hours are not under test


def test_parallel_issuers_get_unique_gapless_numbers(always_open):
    mall = Mall.objects.get(slug="mpp-uji")
    services = [Service.objects.get(slug=s) for s in ("akta-lahir-uji", "ktp-uji")]
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
    mall = Mall.objects.get(slug="mpp-uji")
    akta = Service.objects.get(slug="akta-lahir-uji")
    MallService.objects.filter(mall=mall, service=akta).update(daily_quota=5)

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
    ktp = Service.objects.get(slug="ktp-uji")
    assert actions.issue_ticket(mall=mall, service=ktp, channel="kiosk").ticket.number == 6


def test_parallel_double_taps_give_one_ticket(always_open):
    mall = Mall.objects.get(slug="mpp-uji")
    service = Service.objects.get(slug="akta-lahir-uji")
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
    mall = Mall.objects.get(slug="mpp-uji")
    service = Service.objects.get(slug="akta-lahir-uji")
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
    mall = Mall.objects.get(slug="mpp-uji")
    service = Service.objects.get(slug="akta-lahir-uji")
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


def test_eight_counters_calling_at_once_never_share_a_ticket(always_open):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    mall = Mall.objects.get(slug="mpp-uji")
    officer = make_staff(
        Role.TENANT_OFFICER, tenant="dukcapil-uji", malls=("mpp-uji",), region="uji"
    )
    queue = Queue.objects.get(mall=mall, tenants__slug="dukcapil-uji")
    counters = list(Counter.objects.filter(mall=mall, tenant__slug="dukcapil-uji"))
    for number in range(90, 90 + 8 - len(counters)):
        extra = Counter.objects.create(mall=mall, number=number, tenant=queue.tenants.first())
        extra.queues.set([queue])
        counters.append(extra)
    counters = [
        actions.set_counter_status(counter=c, status=Counter.Status.OPEN, acting_user=officer)
        for c in counters
    ]
    service = Service.objects.get(slug="akta-lahir-uji")
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


def test_issuing_while_counters_call_transfer_and_finish_never_deadlocks(always_open):
    """Kiosks issue into a queue while its counters call, transfer and finish (issue 17): on
    PostgreSQL issuing locks the day's sequence row and then, checking the ticket's foreign key,
    takes FOR KEY SHARE on the queue row; calling holds the queue row and then updates the
    sequence. A FOR UPDATE on the queue made that a lock-order inversion ("deadlock detected",
    HTTP 500); the queue, counter and ticket locks are FOR NO KEY UPDATE, which the key check
    does not wait for. No error, and the numbers stay unique and gapless."""
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    mall = Mall.objects.get(slug="mpp-uji")
    officer = make_staff(
        Role.TENANT_OFFICER, tenant="dukcapil-uji", malls=("mpp-uji",), region="uji"
    )
    queue = Queue.objects.get(mall=mall, tenants__slug="dukcapil-uji")
    counters = list(Counter.objects.filter(mall=mall, tenant__slug="dukcapil-uji"))
    for number in range(90, 90 + 4 - len(counters)):
        extra = Counter.objects.create(mall=mall, number=number, tenant=queue.tenants.first())
        extra.queues.set([queue])
        counters.append(extra)
    counters = [
        actions.set_counter_status(counter=c, status=Counter.Status.OPEN, acting_user=officer)
        for c in counters[:4]
    ]
    akta, ktp = (Service.objects.get(slug=s) for s in ("akta-lahir-uji", "ktp-uji"))
    issuers, per_issuer, calls_per_counter = 4, 25, 25

    def work(i: int) -> str:
        if i < issuers:
            for _k in range(per_issuer):
                actions.issue_ticket(mall=mall, service=akta, channel=Ticket.Channel.KIOSK)
            return "issued"
        counter = counters[i - issuers]
        for k in range(calls_per_counter):
            ticket = actions.call_next_ticket(counter=counter, acting_user=officer)
            if ticket is None:
                continue
            if k % 3 == 0 and ticket.service_id == akta.pk:
                # A new number in the same queue while the old ticket is locked.
                actions.transfer_ticket(ticket=ticket, service=ktp, acting_user=officer)
                continue
            actions.start_ticket(ticket=ticket, acting_user=officer)
            actions.finish_ticket(ticket=ticket, outcome=Ticket.Outcome.DONE, acting_user=officer)
        return "called"

    _results, errors = run_parallel(issuers + len(counters), work)

    assert errors == []
    numbers = sorted(Ticket.objects.filter(queue=queue).values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= issuers * per_issuer
    called = list(TicketEvent.objects.filter(type="called").values_list("ticket_id", flat=True))
    assert len(called) == len(set(called))


def test_phones_cancelling_while_counters_call_never_lose_or_share_a_ticket(always_open):
    """Two phones give up their numbers at the instant two counters call: each ticket is either
    called or cancelled, never both; the day's waiting count stays true (docs/adr/0028)."""
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff
    from mpp.queueing.exceptions import WrongState
    from mpp.queueing.models import DailySequence

    mall = Mall.objects.get(slug="mpp-uji")
    officer = make_staff(
        Role.TENANT_OFFICER, tenant="dukcapil-uji", malls=("mpp-uji",), region="uji"
    )
    queue = Queue.objects.get(mall=mall, tenants__slug="dukcapil-uji")
    counters = list(Counter.objects.filter(mall=mall, queues=queue))[:2]
    assert len(counters) == 2
    counters = [
        actions.set_counter_status(counter=c, status=Counter.Status.OPEN, acting_user=officer)
        for c in counters
    ]
    akta = Service.objects.get(slug="akta-lahir-uji")
    tickets = [
        actions.issue_ticket(mall=mall, service=akta, channel=Ticket.Channel.ONLINE).ticket
        for _ in range(2)
    ]

    def work(i: int) -> str:
        if i < 2:
            try:
                return actions.cancel_ticket(ticket=tickets[i], channel="phone").status
            except WrongState as refused:
                return str(refused.code)
        called = actions.call_next_ticket(counter=counters[i - 2], acting_user=officer)
        return "called" if called is not None else "nobody"

    results, errors = run_parallel(4, work)

    assert errors == []
    statuses = sorted(
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("status", flat=True)
    )
    cancelled = statuses.count("cancelled")
    assert statuses.count("called") + cancelled == 2
    assert results.count("cancelled") == cancelled and results.count("called") == 2 - cancelled
    assert results.count("ticket_called") == 2 - cancelled  # the cancel that lost says why
    events = list(TicketEvent.objects.values_list("ticket_id", "type"))
    assert len(events) == len(set(events)) == 2  # one step per ticket: called or cancelled
    assert DailySequence.objects.get(queue=queue).waiting == 0


def test_two_phones_taking_the_last_online_number_at_once_get_one(always_open):
    """The online share is counted under the queue's sequence lock: the last remote number of a
    quota goes to one phone; one phone sending two requests at once keeps its own limit."""
    mall = Mall.objects.get(slug="mpp-uji")
    akta = Service.objects.get(slug="akta-lahir-uji")
    MallService.objects.filter(mall=mall, service=akta).update(daily_quota=2)  # share 50 %: 1

    def phone(i: int) -> str:
        try:
            issued = actions.issue_ticket(
                mall=mall, service=akta, channel=Ticket.Channel.ONLINE, holder=f"browser:{i}"
            )
        except TicketRefused as refused:
            return str(refused.code)
        return issued.ticket.display_number

    results, errors = run_parallel(2, phone)
    assert errors == []
    assert sorted(results)[1] == "online_share_reached"
    assert Ticket.objects.count() == 1

    MallService.objects.filter(mall=mall, service=akta).update(daily_quota=None)
    ktp = Service.objects.get(slug="ktp-uji")

    def same_phone(i: int) -> str:
        try:
            actions.issue_ticket(
                mall=mall, service=ktp, channel=Ticket.Channel.ONLINE, holder="browser:satu"
            )
        except TicketRefused as refused:
            return str(refused.code)
        return "issued"

    results, errors = run_parallel(4, same_phone)
    assert errors == []
    assert sorted(results) == ["holder_service_limit"] * 2 + ["issued"] * 2
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))  # refusals rolled back: no gap


def test_one_phone_asking_four_tenants_at_once_keeps_three_numbers(always_open):
    """Four requests of one phone at once, for services of two queues: the holder's count spans
    queues, so no sequence lock orders them; the holder's own lock does (PostgreSQL)."""
    mall = Mall.objects.get(slug="mpp-uji")
    services = [
        Service.objects.get(slug=s) for s in ("ktp-uji", "akta-lahir-uji", "pbb-uji", "bphtb-uji")
    ]

    def same_phone(i: int) -> str:
        try:
            actions.issue_ticket(
                mall=mall, service=services[i], channel=Ticket.Channel.ONLINE, holder="browser:a"
            )
        except TicketRefused as refused:
            return str(refused.code)
        return "issued"

    results, errors = run_parallel(4, same_phone)
    assert errors == []
    assert sorted(results) == ["holder_limit", "issued", "issued", "issued"]
    assert Ticket.objects.filter(holder="browser:a").count() == 3
