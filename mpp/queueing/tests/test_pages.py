"""The queue's pages: take a number from the phone, the phone page, kiosk, console, board."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.catalog.models import Service
from mpp.queueing import actions
from mpp.queueing.models import Counter, Ticket


@pytest.fixture
def akta(kukar) -> Service:  # type: ignore[no-untyped-def]
    return Service.objects.get(slug="akta-kelahiran")


def take(client, service, mall_slug, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("queueing:take-number", args=[service.pk]),
        {"mall": mall_slug, "priority": "none", **extra},
    )


def test_a_citizen_takes_a_number_on_the_service_page_and_follows_it(client, monday, akta):
    page = client.get(akta.get_absolute_url()).content.decode()
    assert "Ambil nomor antrean hari ini" in page
    response = take(client, akta, "mpp-kukar", idempotency_key="form-1")
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("queueing:ticket", args=[ticket.code])
    assert ticket.channel == Ticket.Channel.ONLINE
    again = take(client, akta, "mpp-kukar", idempotency_key="form-1")
    assert again["Location"] == response["Location"]  # a resubmitted form gives the same ticket
    html = client.get(response["Location"]).content.decode()
    assert ticket.display_number in html and "orang di depan Anda" in html
    assert "ticket.js" in html


def test_a_service_page_sent_again_with_another_priority_asks_again(client, monday, akta):
    page = client.get(akta.get_absolute_url()).content.decode()
    assert "data-idempotent" in page and "mpp/idempotent" in page
    take(client, akta, "mpp-kukar", idempotency_key="form-1")
    again = take(client, akta, "mpp-kukar", idempotency_key="form-1", priority="lansia")
    assert again.status_code == 409
    html = again.content.decode()
    assert "Halaman ini sudah dipakai untuk nomor lain. Silakan ambil nomor lagi." in html
    assert Ticket.objects.count() == 1


def test_a_refused_number_explains_why(client, monday):
    paspor = Service.objects.get(slug="paspor-biasa-baru")
    response = take(client, paspor, "mpp-kukar")
    assert response.status_code == 409
    assert "tidak melayani di MPP Kukar; buka Rabu" in response.content.decode()
    assert not Ticket.objects.exists()


def test_take_number_bad_input(client, monday, akta):
    assert take(client, akta, "bukan slug!").status_code == 400
    assert take(client, akta, "tidak-ada").status_code == 404
    assert (
        client.post(
            reverse("queueing:take-number", args=[999999]), {"mall": "mpp-kukar"}
        ).status_code
        == 404
    )
    assert client.get(reverse("queueing:take-number", args=[akta.pk])).status_code == 405
    assert client.get("/antrean/tidak-ada/").status_code == 404


def test_the_phone_page_turns_to_your_turn(client, monday, akta, cast, mall_mpp):
    ticket = actions.issue_ticket(mall=mall_mpp, service=akta, channel="online").ticket
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    counter = actions.set_counter_status(
        counter=counter, status="open", acting_user=cast.officer_dukcapil()
    )
    actions.call_next_ticket(counter=counter, acting_user=cast.officer_dukcapil())
    html = client.get(reverse("queueing:ticket", args=[ticket.code])).content.decode()
    assert "Giliran Anda:" in html and f"<span data-counter>{counter.number}</span>" in html


def test_a_kiosk_prints_a_slip_with_a_qr_code(client, monday, akta, mall_mpp):
    client.force_login(make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.uji"))
    home = client.get(reverse("queueing:kiosk", args=["mpp-kukar"]))
    assert home.status_code == 200 and "Disdukcapil Kukar" in home.content.decode()
    services = client.get(reverse("queueing:kiosk-tenant", args=["mpp-kukar", "disdukcapil"]))
    assert "Penerbitan Akta Kelahiran" in services.content.decode()
    issued = client.post(
        reverse("queueing:kiosk-issue", args=["mpp-kukar", akta.pk]),
        {"priority": "lansia", "idempotency_key": "k-1"},
    )
    assert issued.status_code == 302
    slip = client.get(issued["Location"]).content.decode()
    ticket = Ticket.objects.get()
    assert ticket.channel == Ticket.Channel.KIOSK and ticket.priority == "lansia"
    assert ticket.display_number in slip and "<svg" in slip and "data-print-on-load" in slip
    again = client.post(
        reverse("queueing:kiosk-issue", args=["mpp-kukar", akta.pk]),
        {"priority": "lansia", "idempotency_key": "k-1"},
    )
    assert again["Location"] == issued["Location"] and Ticket.objects.count() == 1


def test_the_kiosk_is_only_for_its_malls_devices(client, monday, mall_loakulu):
    url = reverse("queueing:kiosk", args=["mpp-kukar"])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(make_staff(Role.KIOSK, mall="mini-mpp-loa-kulu", username="kios.lk"))
    assert client.get(url).status_code == 403
    assert client.get(reverse("queueing:kiosk", args=["tidak-ada"])).status_code == 404
    assert (
        client.get(
            reverse("queueing:kiosk-tenant", args=["mini-mpp-loa-kulu", "imigrasi-samarinda"])
        ).status_code
        == 404
    )


def test_an_officer_works_a_counter_from_the_console(
    client, monday, akta, cast, mall_mpp, django_assert_max_num_queries
):
    officer = cast.officer_dukcapil()
    client.force_login(officer)
    with django_assert_max_num_queries(6):
        home = client.get(reverse("queueing:console-home")).content.decode()
    counters = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil")
    assert all(f"/konsol/loket/{c.pk}/" in home for c in counters)
    other = Counter.objects.filter(mall=mall_mpp, tenant__slug="polres-kukar").first()
    assert f"/konsol/loket/{other.pk}/" not in home
    assert client.get(reverse("queueing:console", args=[other.pk])).status_code == 403
    assert client.get(reverse("queueing:console", args=[999999])).status_code == 404

    counter = counters.first()
    step = lambda name, **data: client.post(  # noqa: E731
        reverse("queueing:console-step", args=[counter.pk, name]), data, follow=True
    )
    ticket = actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk").ticket
    step("open")
    page = step("call-next").content.decode()
    assert f'data-current="{ticket.display_number}"' in page
    page = step("finish", ticket_id=ticket.pk, outcome="done").content.decode()
    assert "berstatus dipanggil" in page  # refused with the reason, not a crash
    step("start", ticket_id=ticket.pk)
    step("finish", ticket_id=ticket.pk, outcome="done")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DONE
    assert (
        client.post(reverse("queueing:console-step", args=[counter.pk, "terbang"])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("queueing:console-step", args=[counter.pk, "start"]), {"ticket_id": "x"}
        ).status_code
        == 400
    )


def test_the_board_page_loads_for_any_mall(client, kukar):
    html = client.get(reverse("displays:board", args=["mpp-kukar"])).content.decode()
    assert "board.js" in html and "/api/v1/malls/" in html and "Suara panggilan mati" in html
    assert client.get(reverse("displays:board", args=["tidak-ada"])).status_code == 404


def test_the_supervisor_sees_waiting_longest_wait_and_counters(
    client, monday, akta, cast, mall_mpp, django_assert_max_num_queries
):
    import datetime as dt

    actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk")
    monday.shift(dt.timedelta(minutes=12))
    actions.issue_ticket(mall=mall_mpp, service=akta, channel="kiosk")
    client.force_login(cast.supervisor_mpp())
    url = reverse("queueing:supervisor", args=["mpp-kukar"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<dd data-total-waiting>2</dd>" in html
    # The Disdukcapil queue: 2 waiting, no counter open, the longest for 12 minutes.
    assert "<td>2</td><td>0</td><td>12</td>" in html
    client.force_login(cast.supervisor_loakulu())
    assert client.get(url).status_code == 403
    assert client.get(reverse("queueing:supervisor", args=["tidak-ada"])).status_code == 404


def test_a_phone_hoarding_numbers_on_the_page_is_stopped(client, monday, akta):
    client.get(akta.get_absolute_url())  # the service page: the phone's browser cookie
    codes = [take(client, akta, "mpp-kukar").status_code for _ in range(4)]
    assert codes == [302, 302, 429, 429]
    assert Ticket.objects.count() == 2


def test_the_console_lists_each_roles_counters(client, monday, cast, mall_mpp, mall_loakulu):
    client.force_login(cast.supervisor_loakulu())
    html = client.get(reverse("queueing:console-home")).content.decode()
    own = Counter.objects.filter(mall=mall_loakulu)
    assert all(f"/konsol/loket/{c.pk}/" in html for c in own)
    assert f"/konsol/loket/{Counter.objects.filter(mall=mall_mpp).first().pk}/" not in html
    client.force_login(cast.auditor())
    assert (
        "Tidak ada loket untuk akun ini."
        in client.get(reverse("queueing:console-home")).content.decode()
    )


def test_the_console_list_and_the_counter_access_agree_for_every_role(cast):
    """counters_for (one query) and access_counter (one counter) state the same rule."""
    from django.core.exceptions import PermissionDenied

    from mpp.queueing.access import access_counter, counters_for

    people = [
        cast.regency_admin(),
        cast.supervisor_mpp(),
        cast.supervisor_loakulu(),
        cast.officer_dukcapil(),
        cast.officer_imigrasi(),
        cast.leadership(),
        cast.auditor(),
        cast.outsider(),
    ]
    for person in people:
        listed = set(counters_for(person).values_list("pk", flat=True))
        for counter in Counter.objects.all():
            try:
                access_counter(person, counter.pk)
                allowed = True
            except PermissionDenied:
                allowed = False
            assert allowed == (counter.pk in listed), (person.username, counter)
