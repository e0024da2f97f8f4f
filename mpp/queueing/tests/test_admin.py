"""The counter, queue and ticket admin: the moves an outside probe made as the Loa Kulu supervisor
(issue 16, finding 3) are refused with nothing changed, and what carries the queue's rules is
written through its action or not at all."""

from __future__ import annotations

from django.urls import reverse

from mpp.accounts.tests.test_admin import _form_data, change_url
from mpp.catalog.models import Tenant
from mpp.core.events import current_sequence, group_name
from mpp.core.models import AuditEntry
from mpp.queueing.actions import call_next_ticket, set_counter_status
from mpp.queueing.models import Counter, Queue, Ticket


def _loakulu_counter(mall_loakulu) -> Counter:  # type: ignore[no-untyped-def]
    return Counter.objects.filter(mall=mall_loakulu).order_by("number").first()  # type: ignore[return-value]


def test_a_supervisor_cannot_put_another_malls_queue_on_their_counter(
    client, cast, monday, issue, mall_loakulu, mall_mpp
):
    counter = _loakulu_counter(mall_loakulu)
    queues = set(counter.queues.values_list("pk", flat=True))
    waiting = issue("akta-kelahiran").ticket  # a citizen at MPP Kukar
    supervisor = cast.supervisor_loakulu()
    client.force_login(supervisor)
    page = client.get(change_url(counter))
    assert "queues" not in page.context["adminform"].form.fields  # its tenant's, by its action
    client.post(change_url(counter), {**_form_data(page), "queues": [waiting.queue_id]})
    assert set(counter.queues.values_list("pk", flat=True)) == queues
    counter = set_counter_status(
        counter=counter, status=Counter.Status.OPEN, acting_user=supervisor
    )
    called = call_next_ticket(counter=counter, acting_user=supervisor)
    assert called is None or called.mall_id == mall_loakulu.pk
    waiting.refresh_from_db()
    assert waiting.status == Ticket.Status.WAITING


def test_a_new_counter_serves_its_tenants_queues_at_its_own_mall(
    client, cast, mall_loakulu, mall_mpp
):
    client.force_login(cast.regency_admin())
    mpp_queue = Queue.objects.filter(mall=mall_mpp).first()
    posted = client.post(
        reverse("admin:queueing_counter_add"),
        {"mall": mall_loakulu.pk, "number": 99, "queues": [mpp_queue.pk]},  # type: ignore[union-attr]
    )
    assert posted.status_code == 302
    counter = Counter.objects.get(mall=mall_loakulu, number=99)
    assert set(counter.queues.all()) == set(Queue.objects.filter(mall=mall_loakulu))
    assert AuditEntry.objects.filter(
        action="counter.reassigned", object_id=str(counter.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="admin.added", object_id=str(counter.pk)).exists()


def test_a_supervisor_cannot_move_their_counter_or_queue_into_another_mall(
    client, cast, mall_loakulu, mall_mpp
):
    client.force_login(cast.supervisor_loakulu())
    for obj in [_loakulu_counter(mall_loakulu), Queue.objects.filter(mall=mall_loakulu).first()]:
        page = client.get(change_url(obj))
        assert "mall" not in page.context["adminform"].form.fields
        client.post(change_url(obj), {**_form_data(page), "mall": mall_mpp.pk})
        obj.refresh_from_db()  # type: ignore[union-attr]
        assert obj.mall_id == mall_loakulu.pk  # type: ignore[union-attr]


def test_a_supervisor_cannot_open_or_post_another_malls_counter(client, cast, mall_mpp):
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    client.force_login(cast.supervisor_loakulu())
    assert client.get(change_url(counter)).status_code == 302  # to the admin's index
    assert client.post(change_url(counter), {"number": 77}).status_code in (302, 403)
    counter.refresh_from_db()  # type: ignore[union-attr]
    assert counter.number != 77  # type: ignore[union-attr]


def test_the_counters_tenant_changes_through_its_action(
    client, cast, mall_mpp, django_capture_on_commit_callbacks
):
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    imigrasi = Tenant.objects.get(slug="imigrasi-samarinda")
    admin = cast.regency_admin()
    client.force_login(admin)
    page = client.get(change_url(counter))
    sequence = current_sequence(group_name("mall", mall_mpp.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(counter), {**_form_data(page), "tenant": imigrasi.pk})
    assert response.status_code == 302
    counter.refresh_from_db()  # type: ignore[union-attr]
    assert counter.tenant == imigrasi  # type: ignore[union-attr]
    assert counter.status == Counter.Status.CLOSED  # type: ignore[union-attr]
    assert {q.letter for q in counter.queues.all()} == {  # type: ignore[union-attr]
        q.letter for q in Queue.objects.filter(mall=mall_mpp, tenants=imigrasi)
    }
    entry = AuditEntry.objects.get(action="counter.reassigned", object_id=str(counter.pk))  # type: ignore[union-attr]
    assert entry.actor == admin and entry.data["to"] == "imigrasi-samarinda"
    assert current_sequence(group_name("mall", mall_mpp.pk)) > sequence  # counter.changed


def test_a_counter_serving_a_citizen_keeps_its_tenant(client, cast, monday, issue, mall_mpp):
    officer = cast.officer_dukcapil()
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    counter = set_counter_status(counter=counter, status=Counter.Status.OPEN, acting_user=officer)
    issue("akta-kelahiran")
    called = call_next_ticket(counter=counter, acting_user=officer)  # type: ignore[arg-type]
    assert called is not None
    client.force_login(cast.regency_admin())
    page = client.get(change_url(counter))
    imigrasi = Tenant.objects.get(slug="imigrasi-samarinda")
    response = client.post(
        change_url(counter), {**_form_data(page), "tenant": imigrasi.pk}, follow=True
    )
    assert "masih melayani nomor" in response.content.decode()
    counter.refresh_from_db()  # type: ignore[union-attr]
    assert counter.tenant.slug == "disdukcapil"  # type: ignore[union-attr]
    assert counter.status == Counter.Status.OPEN  # type: ignore[union-attr]
    assert not AuditEntry.objects.filter(
        action__in=["counter.reassigned", "admin.changed"]
    ).exists()


def test_a_counters_state_and_officer_are_the_consoles(client, cast, mall_loakulu):
    counter = _loakulu_counter(mall_loakulu)
    client.force_login(cast.regency_admin())
    page = client.get(change_url(counter))
    form = page.context["adminform"].form
    assert "status" not in form.fields and "officer" not in form.fields
    data = {**_form_data(page), "status": "open", "officer": cast.supervisor_loakulu().pk}
    client.post(change_url(counter), data)
    counter.refresh_from_db()
    assert (counter.status, counter.officer) == (Counter.Status.CLOSED, None)


def test_tickets_are_read_only_even_for_the_regency_admin(client, cast, monday, issue):
    ticket = issue("akta-kelahiran").ticket
    client.force_login(cast.regency_admin())
    page = client.get(change_url(ticket))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(change_url(ticket), {"status": "done"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING


def test_a_queue_takes_only_tenants_present_at_its_mall(client, cast, mall_loakulu):
    queue = Queue.objects.filter(mall=mall_loakulu).first()
    absent = Tenant.objects.exclude(mall_tenants__mall=mall_loakulu).first()
    client.force_login(cast.regency_admin())
    page = client.get(change_url(queue))
    response = client.post(change_url(queue), {**_form_data(page), "tenants": [absent.pk]})  # type: ignore[union-attr]
    assert response.status_code == 200
    assert "Tidak bertugas di Mini MPP Loa Kulu" in response.content.decode()


def test_a_tenant_officer_lists_only_their_tenants_counters_at_their_malls(client, cast):
    client.force_login(cast.officer_imigrasi())
    listing = client.get(reverse("admin:queueing_counter_changelist"))
    shown = list(listing.context["cl"].queryset)
    assert shown
    assert {(c.mall.slug, c.tenant.slug) for c in shown} == {("mpp-kukar", "imigrasi-samarinda")}
