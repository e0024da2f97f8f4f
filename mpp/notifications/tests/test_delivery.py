"""The sweep hands over what a worker never got; stale "sending" rows come back; a message past
its time is not sent; recipients are erased; the admin shows a masked recipient, in scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mpp.notifications import outbox
from mpp.notifications.jobs import erase_message_recipients, send_due_messages
from mpp.notifications.models import Message, Status
from mpp.notifications.tests.servers import Answer

pytestmark = pytest.mark.django_db

OK = Answer(200, {"messages": [{"id": "wamid.X"}]})


def test_a_message_whose_hand_off_was_lost_is_sent_by_the_sweep(whatsapp, clock):
    whatsapp.answers = [OK]
    (message,) = outbox.send(kind="t", text="Halo", key="lost", phone="081234567890")
    # The commit's hand-off never ran (the queue was down): the row waits, due.
    assert whatsapp.received == []
    assert send_due_messages.call_local() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert send_due_messages.call_local() == 0  # sent once


def test_a_row_left_sending_by_a_dead_worker_is_made_due_again(whatsapp, clock):
    whatsapp.answers = [OK]
    (message,) = outbox.send(kind="t", text="Halo", key="dead", phone="081234567890")
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_at=timezone.now(), attempts=1
    )
    assert send_due_messages.call_local() == 0  # may still be sending
    clock.shift(dt.timedelta(minutes=11))
    assert send_due_messages.call_local() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)


def test_a_message_past_its_time_is_given_up_not_sent(whatsapp, clock):
    whatsapp.answers = [OK]
    (message,) = outbox.send(
        kind="t",
        text="3 nomor lagi",
        key="late",
        phone="081234567890",
        expires_at=timezone.now() + dt.timedelta(minutes=30),
    )
    clock.shift(dt.timedelta(minutes=31))
    send_due_messages.call_local()
    message.refresh_from_db()
    assert message.status == Status.GIVEN_UP
    assert "kedaluwarsa" in message.last_error
    assert whatsapp.received == []


def test_recipients_are_erased_after_the_retention_period(settings, clock):
    settings.MPP_MESSAGE_RECIPIENT_DAYS = 30
    (old,) = outbox.send(kind="t", text="a", key="old", phone="081234567890")
    clock.shift(dt.timedelta(days=20))
    (recent,) = outbox.send(kind="t", text="b", key="recent", email="warga@contoh.id")
    clock.shift(dt.timedelta(days=11))
    assert erase_message_recipients.call_local() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.recipient, old.recipient_erased_at) == ("", timezone.now())
    assert recent.recipient == "warga@contoh.id"
    assert old.body == "a"  # what was said stays, not to whom


def test_the_admin_list_masks_the_recipient_and_keeps_each_mall_its_own(client, cast):
    from mpp.malls.models import Mall

    kukar = Mall.objects.get(slug="mpp-kukar")
    loakulu = Mall.objects.get(slug="mini-mpp-loa-kulu")
    outbox.send(kind="t", text="Pesan Kukar", key="a", phone="081234567890", mall=kukar)
    outbox.send(kind="t", text="Pesan Loa Kulu", key="b", phone="081298765432", mall=loakulu)
    url = reverse("admin:notifications_message_changelist")

    client.force_login(cast.supervisor_mpp())
    page = client.get(url).content.decode()
    assert "0812****890" in page
    assert "81234567890" not in page
    assert "0812****432" not in page  # Loa Kulu's

    client.force_login(cast.regency_admin())
    page = client.get(url).content.decode()
    assert "0812****890" in page and "0812****432" in page
    detail = client.get(
        reverse("admin:notifications_message_change", args=[Message.objects.get(key="a").pk])
    ).content.decode()
    assert "Pesan Kukar" in detail and "6281234567890" not in detail

    client.force_login(cast.officer_dukcapil())
    assert client.get(url).status_code == 403
