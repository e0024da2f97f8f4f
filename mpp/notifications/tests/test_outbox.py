"""The outbox: a row per channel in the caller's transaction, delivered after the commit, never
twice for one key, never a NIK; "not configured" written rather than dropped."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from mpp.notifications import outbox
from mpp.notifications.models import Channel, Message, Provider, Status
from mpp.notifications.phone import InvalidPhone

pytestmark = pytest.mark.django_db


def test_without_a_channel_the_message_is_written_as_not_configured(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = outbox.send(
            kind="test", text="Halo", key="k1", phone="0812-3456-7890", email="a@contoh.id"
        )
    assert callbacks == []  # nothing to deliver
    assert {(m.channel, m.provider, m.status) for m in sent} == {
        (Channel.WHATSAPP, Provider.NONE, Status.NOT_CONFIGURED),
        (Channel.EMAIL, Provider.NONE, Status.NOT_CONFIGURED),
    }
    assert Message.objects.get(channel=Channel.WHATSAPP).recipient == "6281234567890"


def test_the_same_key_writes_and_sends_once(whatsapp, django_capture_on_commit_callbacks) -> None:
    from mpp.notifications.tests.servers import Answer

    whatsapp.answers = [Answer(200, {"messages": [{"id": "wamid.A"}]})]
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.send(kind="test", text="Halo", key="once", phone="081234567890")
    with django_capture_on_commit_callbacks(execute=True) as again:
        second = outbox.send(kind="test", text="Halo lagi", key="once", phone="081234567890")
    assert again == []
    assert [m.pk for m in second] == [m.pk for m in first]
    assert Message.objects.count() == 1
    assert len(whatsapp.received) == 1
    assert Message.objects.get().status == Status.SENT


def test_a_rolled_back_transaction_sends_nothing(whatsapp) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.send(kind="test", text="Halo", key="rolled", phone="081234567890")
        raise RuntimeError("the booking failed")
    assert not Message.objects.exists()
    assert whatsapp.received == []


@pytest.mark.parametrize(
    "text",
    [
        "NIK 6402064708950001 terdaftar",
        "NIK 6402 0647 0895 0001",
        "6402.0647.0895.0001",
    ],
)
def test_a_text_with_a_nik_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="16 digits"):
        outbox.send(kind="test", text=text, key="nik", phone="081234567890")
    assert not Message.objects.exists()


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidPhone):
        outbox.send(kind="test", text="Halo", key="p", phone="021555123")
    with pytest.raises(ValueError, match="e-mail"):
        outbox.send(kind="test", text="Halo", key="e", email="bukan surel")
    with pytest.raises(ValueError, match="empty"):
        outbox.send(kind="test", text="  ", key="t", phone="081234567890")
    with pytest.raises(ValueError, match="key"):
        outbox.send(kind="test", text="Halo", key="", phone="081234567890")
    assert outbox.send(kind="test", text="Halo", key="none") == []
    assert not Message.objects.exists()


def test_a_phone_goes_by_the_cloud_api_before_fonnte(settings) -> None:
    settings.MPP_FONNTE_TOKEN = "t"  # noqa: S105 - no gateway is called
    assert outbox.send(kind="t", text="a", key="1", phone="081234567890")[0].provider == "fonnte"
    settings.MPP_WHATSAPP_TOKEN, settings.MPP_WHATSAPP_PHONE_NUMBER_ID = "t", "1"
    sent = outbox.send(kind="t", text="a", key="2", phone="081234567890")
    assert sent[0].provider == Provider.WHATSAPP_CLOUD


@pytest.mark.django_db(transaction=True)
def test_two_parallel_sends_of_one_key_write_one_row() -> None:
    """Real threads, each its own connection and transaction: on PostgreSQL the second insert
    waits for the first commit, then meets the constraint and answers the first one's row."""
    barrier = threading.Barrier(8)
    found: list[int] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            barrier.wait(5)
            from mpp.core.db import write_transaction

            with write_transaction():
                rows = outbox.send(kind="t", text="Halo", key="race", phone="081234567890")
            found.append(rows[0].pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Message.objects.filter(key="race").count() == 1
    assert set(found) == {Message.objects.get(key="race").pk}
    assert len(found) == 8
