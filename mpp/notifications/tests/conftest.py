"""The outbox's fixtures: channels pointed at local servers that speak their protocols."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mpp.notifications.tests.servers import Gateway, Mailbox, run_gateway, run_smtp

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture(autouse=True)
def _no_channel(settings):  # type: ignore[no-untyped-def]
    """No channel unless a test sets one up: a developer's environment never sends."""
    settings.EMAIL_HOST = ""
    settings.MPP_WHATSAPP_TOKEN = ""
    settings.MPP_WHATSAPP_PHONE_NUMBER_ID = ""
    settings.MPP_FONNTE_TOKEN = ""
    settings.MPP_MESSAGE_TIMEOUT_SECONDS = 2
    settings.MPP_MESSAGE_MAX_ATTEMPTS = 3
    settings.MPP_MESSAGE_RETRY_SECONDS = 60


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA), tick=False) as t:
        yield t


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    yield from run_gateway(Gateway())


@pytest.fixture
def whatsapp(settings, gateway):  # type: ignore[no-untyped-def]
    settings.MPP_WHATSAPP_TOKEN = "EAAG-uji"  # noqa: S105 - a test gateway
    settings.MPP_WHATSAPP_PHONE_NUMBER_ID = "1098765"
    settings.MPP_WHATSAPP_API_BASE = gateway.url
    settings.MPP_WHATSAPP_API_VERSION = "v23.0"
    return gateway


@pytest.fixture
def fonnte(settings, gateway):  # type: ignore[no-untyped-def]
    settings.MPP_FONNTE_TOKEN = "fonnte-uji"  # noqa: S105 - a test gateway
    settings.MPP_FONNTE_URL = f"{gateway.url}/send"
    return gateway


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:  # type: ignore[no-untyped-def]
    for mailbox, port in run_smtp():
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.DEFAULT_FROM_EMAIL = "MPP Kukar <noreply@mpp.test>"
        yield mailbox
