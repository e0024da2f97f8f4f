"""The chat websockets: a visitor and an officer exchange messages live; a stranger's key,
another tenant's officer and the unsigned are refused; an open inbox counts as online."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from mpp.asgi import application
from mpp.metapers.access import VISITOR_COOKIE, remember_visitor

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]

KEY = "v" * 43
HOST = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]


def visitor_cookie(key: str) -> tuple[bytes, bytes]:
    response = HttpResponse()
    remember_visitor(response, key)
    return (b"cookie", f"{VISITOR_COOKIE}={response.cookies[VISITOR_COOKIE].value}".encode())


@database_sync_to_async
def session_cookie(user: Any) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


def socket(path: str, *cookies: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=[*HOST, *cookies])


@database_sync_to_async
def ask(text: str, key: str = KEY) -> Any:
    from mpp.catalog.models import Tenant
    from mpp.malls.models import Mall
    from mpp.metapers import actions

    return actions.post_visitor_message(
        mall=Mall.objects.get(slug="mpp-uji"),
        tenant=Tenant.objects.get(slug="dukcapil-uji"),
        visitor_key=key,
        text=text,
        address="10.0.0.9",
    )


@database_sync_to_async
def people() -> dict[str, Any]:
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import Cast, make_staff

    def officer(tenant: str) -> Any:
        return make_staff(Role.TENANT_OFFICER, tenant=tenant, malls=("mpp-uji",), region="uji")

    return {
        "dukcapil": officer("dukcapil-uji"),
        "imigrasi": officer("imigrasi-uji"),
        "outsider": Cast().outsider(),
    }


async def test_visitor_and_officer_exchange_messages_live(uji):
    from mpp.metapers import actions

    cast = await people()
    officer_cookie = await session_cookie(cast["dukcapil"])
    inbox = socket("/ws/metapers/petugas/", officer_cookie)
    assert (await inbox.connect())[0]

    posted = await ask("Syarat akta kelahiran?")
    assert posted.auto_answer is None  # the officer's inbox is open: a person will answer
    started = await inbox.receive_json_from(timeout=5)
    assert started["event"] == "conversation.started"
    assert started["payload"] == {"conversation": posted.conversation.pk, "status": "waiting"}

    path = f"/ws/metapers/tanya/{posted.conversation.pk}/"
    visitor = socket(path, visitor_cookie(KEY))
    officer = socket(path, officer_cookie)
    assert (await visitor.connect())[0]
    assert (await officer.connect())[0]

    await database_sync_to_async(actions.post_officer_reply)(
        conversation=posted.conversation,
        text="Bawa KK dan surat kelahiran.",
        acting_user=cast["dukcapil"],
    )
    event = await visitor.receive_json_from(timeout=5)
    assert event["event"] == "message.posted"
    assert "Bawa KK" not in str(event)  # the text comes with the snapshot, not the event
    assert (await officer.receive_json_from(timeout=5))["event"] == "message.posted"

    await ask("Terima kasih, NIK saya 6402064708950001")
    assert (await officer.receive_json_from(timeout=5))["event"] == "message.posted"
    assert (await inbox.receive_json_from(timeout=5))["event"] == "message.posted"
    assert (await visitor.receive_json_from(timeout=5))["event"] == "message.posted"

    await visitor.send_json_to({"type": "message", "text": "lewat socket"})
    refused = await visitor.receive_json_from(timeout=5)
    assert refused["type"] == "error"  # the socket only delivers; nothing is stored
    count = await database_sync_to_async(posted.conversation.messages.count)()
    assert count == 3
    for communicator in (inbox, visitor, officer):
        await communicator.disconnect()


async def test_strangers_and_other_tenants_are_refused(uji):
    cast = await people()
    posted = await ask("halo")
    path = f"/ws/metapers/tanya/{posted.conversation.pk}/"
    for cookies in [
        (visitor_cookie("x" * 43),),  # another visitor's key
        (),  # no key at all
        (await session_cookie(cast["imigrasi"]),),  # another tenant's officer
        (await session_cookie(cast["outsider"]),),  # signed in, but not staff
        ((b"cookie", f"{VISITOR_COOKIE}={KEY}".encode()),),  # the key, but unsigned
    ]:
        communicator = socket(path, *cookies)
        connected, code = await communicator.connect()
        assert (connected, code) == (False, 4403)
    unknown = socket("/ws/metapers/tanya/999999/", visitor_cookie(KEY))
    assert (await unknown.connect())[0] is False


async def test_the_inbox_socket_refuses_non_officers_and_keeps_tenants_apart(uji):
    cast = await people()
    outsider = socket("/ws/metapers/petugas/", await session_cookie(cast["outsider"]))
    assert (await outsider.connect()) == (False, 4403)
    anonymous = socket("/ws/metapers/petugas/")
    assert (await anonymous.connect()) == (False, 4403)

    imigrasi = socket("/ws/metapers/petugas/", await session_cookie(cast["imigrasi"]))
    assert (await imigrasi.connect())[0]
    await ask("pertanyaan untuk Disdukcapil")
    assert await imigrasi.receive_nothing(timeout=0.3)
    await imigrasi.disconnect()


async def test_closing_the_inbox_hands_questions_to_the_catalogue(uji):
    cast = await people()
    inbox = socket("/ws/metapers/petugas/", await session_cookie(cast["dukcapil"]))
    assert (await inbox.connect())[0]
    assert (await ask("halo", key="a" * 43)).auto_answer is None
    await inbox.disconnect()
    answered = await ask("syarat akta kelahiran", key="b" * 43)
    assert answered.auto_answer is not None
    assert answered.auto_answer.text.startswith("Jawaban otomatis dari katalog layanan")
