"""Each channel against a local server that speaks its protocol: the exact request, and what
success, a 5xx, a 4xx, a timeout and a closed port make of the message."""

from __future__ import annotations

import datetime as dt
import threading
import urllib.parse

import pytest
from django.utils import timezone

from mpp.notifications import outbox
from mpp.notifications.jobs import send_due_messages
from mpp.notifications.models import Message, Status
from mpp.notifications.tests.servers import Answer, free_port

pytestmark = pytest.mark.django_db

WAMID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ2"
WA_ERROR_400 = {
    "error": {
        "message": "(#131030) Recipient phone number not in allowed list",
        "type": "OAuthException",
        "code": 131030,
        "fbtrace_id": "AbCdEf",
    }
}


def send_now(capture, **kwargs) -> Message:  # type: ignore[no-untyped-def]
    defaults = {"kind": "test", "text": "Giliran Anda: nomor A012, silakan ke loket 3.", "key": "k"}
    with capture(execute=True):
        (message,) = outbox.send(**{**defaults, **kwargs})
    message.refresh_from_db()
    return message


# --- WhatsApp Business Cloud API --------------------------------------------------------------


def test_whatsapp_cloud_request_and_success(whatsapp, django_capture_on_commit_callbacks, clock):
    whatsapp.answers = [Answer(200, {"messaging_product": "whatsapp", "messages": [{"id": WAMID}]})]
    message = send_now(django_capture_on_commit_callbacks, phone="0812-3456-7890")

    (request,) = whatsapp.received
    assert request.path == "/v23.0/1098765/messages"
    assert request.headers["Authorization"] == "Bearer EAAG-uji"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": False, "body": "Giliran Anda: nomor A012, silakan ke loket 3."},
    }
    assert (message.status, message.provider_message_id, message.attempts) == (
        Status.SENT,
        WAMID,
        1,
    )
    assert message.sent_at is not None


def test_whatsapp_cloud_5xx_is_retried_then_delivered(
    whatsapp, django_capture_on_commit_callbacks, clock
):
    whatsapp.answers = [
        Answer(503, {"error": {"message": "Service unavailable", "code": 2}}),
        Answer(200, {"messages": [{"id": WAMID}]}),
    ]
    message = send_now(django_capture_on_commit_callbacks, phone="081234567890")
    assert message.status == Status.RETRYING
    assert "HTTP 503" in message.last_error
    assert message.next_attempt_at == message.created_at + dt.timedelta(seconds=60)

    assert send_due_messages.call_local() == 0  # not due yet
    clock.shift(dt.timedelta(seconds=61))
    assert send_due_messages.call_local() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")
    assert len(whatsapp.received) == 2


def test_whatsapp_cloud_4xx_is_given_up_at_once(
    whatsapp, django_capture_on_commit_callbacks, clock
):
    whatsapp.answers = [Answer(400, WA_ERROR_400)]
    message = send_now(django_capture_on_commit_callbacks, phone="081234567890")
    assert message.status == Status.GIVEN_UP
    assert "kode 131030" in message.last_error and "HTTP 400" in message.last_error
    clock.shift(dt.timedelta(hours=1))
    assert send_due_messages.call_local() == 0
    assert len(whatsapp.received) == 1


def test_whatsapp_cloud_throttling_code_is_retried_though_http_400(
    whatsapp, django_capture_on_commit_callbacks, clock
):
    whatsapp.answers = [Answer(400, {"error": {"message": "Rate limit hit", "code": 130429}})]
    message = send_now(django_capture_on_commit_callbacks, phone="081234567890")
    assert message.status == Status.RETRYING


def test_whatsapp_cloud_timeout_is_retried(
    settings, whatsapp, django_capture_on_commit_callbacks, clock
):
    settings.MPP_MESSAGE_TIMEOUT_SECONDS = 0.3
    whatsapp.answers = [Answer(200, {"messages": [{"id": WAMID}]}, hold=threading.Event())]
    message = send_now(django_capture_on_commit_callbacks, phone="081234567890")
    assert message.status == Status.RETRYING
    assert "tidak tersambung" in message.last_error or "timed out" in message.last_error


def test_a_closed_port_is_retried_until_the_last_attempt_then_given_up(
    settings, django_capture_on_commit_callbacks, clock
):
    settings.MPP_WHATSAPP_TOKEN, settings.MPP_WHATSAPP_PHONE_NUMBER_ID = "t", "1"
    settings.MPP_WHATSAPP_API_BASE = f"http://127.0.0.1:{free_port()}"
    message = send_now(django_capture_on_commit_callbacks, phone="081234567890")
    assert (message.status, message.attempts) == (Status.RETRYING, 1)
    assert "tidak tersambung" in message.last_error
    waits = []
    while message.status == Status.RETRYING:
        waits.append(message.next_attempt_at - timezone.now())
        clock.move_to(message.next_attempt_at)
        send_due_messages.call_local()
        message.refresh_from_db()
    assert waits == [dt.timedelta(seconds=60), dt.timedelta(seconds=120)]  # doubling
    assert (message.status, message.attempts) == (Status.GIVEN_UP, 3)  # MPP_MESSAGE_MAX_ATTEMPTS


# --- Fonnte -----------------------------------------------------------------------------------


def test_fonnte_request_and_success(fonnte, django_capture_on_commit_callbacks, clock):
    fonnte.answers = [
        Answer(
            200,
            {
                "detail": "success! message in queue",
                "id": ["80367170"],
                "process": "pending",
                "status": True,
                "target": ["6281234567890"],
            },
        )
    ]
    message = send_now(django_capture_on_commit_callbacks, phone="+62 812 3456 7890")
    (request,) = fonnte.received
    assert request.path == "/send"
    assert request.headers["Authorization"] == "fonnte-uji"  # the token alone, no "Bearer"
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert urllib.parse.parse_qs(request.body.decode()) == {
        "target": ["6281234567890"],
        "message": ["Giliran Anda: nomor A012, silakan ke loket 3."],
        "countryCode": ["62"],
    }
    assert (message.status, message.provider_message_id) == (Status.SENT, "80367170")


def test_fonnte_refusal_in_a_200_is_given_up(fonnte, django_capture_on_commit_callbacks, clock):
    fonnte.answers = [Answer(200, {"reason": "invalid token", "status": False})]
    message = send_now(django_capture_on_commit_callbacks, phone="081234567890")
    assert message.status == Status.GIVEN_UP
    assert "invalid token" in message.last_error


def test_fonnte_disconnected_device_and_5xx_are_retried_then_delivered(
    fonnte, django_capture_on_commit_callbacks, clock
):
    fonnte.answers = [
        Answer(200, {"reason": "device disconnected", "status": False}),
        Answer(502, b"<html>Bad Gateway</html>"),
        Answer(200, {"status": True, "id": ["1"], "detail": "success! message in queue"}),
    ]
    message = send_now(django_capture_on_commit_callbacks, phone="081234567890")
    assert message.status == Status.RETRYING
    for _ in range(2):  # the two later attempts of MPP_MESSAGE_MAX_ATTEMPTS (3)
        clock.move_to(message.next_attempt_at)
        send_due_messages.call_local()
        message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_message_id) == (
        Status.SENT,
        3,
        "1",
    )
    assert "HTTP 502" not in message.last_error


def test_fonnte_4xx_is_given_up(fonnte, django_capture_on_commit_callbacks, clock):
    fonnte.answers = [Answer(401, {"reason": "unauthorized", "status": False})]
    message = send_now(django_capture_on_commit_callbacks, phone="081234567890")
    assert message.status == Status.GIVEN_UP
    assert "HTTP 401" in message.last_error


# --- e-mail over SMTP -------------------------------------------------------------------------


def test_email_reaches_a_real_smtp_server_in_utf8(smtp, django_capture_on_commit_callbacks, clock):
    message = send_now(
        django_capture_on_commit_callbacks,
        email="warga@contoh.id",
        subject="Janji temu: Selasa 1 Desember",
        text="Bawa KTP-el dan Kartu Keluarga. Tenggarong – loket 3 ✓",
    )
    assert message.status == Status.SENT
    ((envelope, mail),) = smtp.messages
    assert envelope.rcpt_tos == ["warga@contoh.id"]
    assert mail["To"] == "warga@contoh.id"
    assert mail["From"] == "MPP Kukar <noreply@mpp.test>"
    assert mail["Subject"] == "Janji temu: Selasa 1 Desember"
    assert mail.get_content().strip() == "Bawa KTP-el dan Kartu Keluarga. Tenggarong – loket 3 ✓"
    assert mail["Message-ID"] == message.provider_message_id


def test_smtp_5xx_is_given_up_and_4xx_retried(smtp, django_capture_on_commit_callbacks, clock):
    smtp.rcpt_reply = "550 5.1.1 No such user"
    given_up = send_now(django_capture_on_commit_callbacks, email="tidakada@contoh.id", key="a")
    assert given_up.status == Status.GIVEN_UP
    assert given_up.last_error.startswith("SMTP 550")

    smtp.rcpt_reply = "451 4.7.1 Greylisted, try again later"
    later = send_now(django_capture_on_commit_callbacks, email="sibuk@contoh.id", key="b")
    assert later.status == Status.RETRYING
    smtp.rcpt_reply = None
    clock.move_to(later.next_attempt_at)
    send_due_messages.call_local()
    later.refresh_from_db()
    assert later.status == Status.SENT
    assert [e.rcpt_tos for e, _m in smtp.messages] == [["sibuk@contoh.id"]]


def test_smtp_server_down_is_retried(settings, django_capture_on_commit_callbacks, clock):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = False
    message = send_now(django_capture_on_commit_callbacks, email="warga@contoh.id")
    assert message.status == Status.RETRYING
    assert message.last_error.startswith("SMTP: ConnectionRefusedError")
