"""The event bus and the mall websocket: numbered events after commit, forwarded to screens."""

from __future__ import annotations

import time

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import transaction

from mpp.asgi import application
from mpp.catalog.actions import set_service_offering
from mpp.core.events import Event, current_sequence, group_name, publish


def test_event_types_must_be_noun_past_verb():
    with pytest.raises(ValueError, match=r"noun\.past_verb"):
        Event("CallTicket")


@pytest.mark.django_db(transaction=True)
def test_events_are_sent_only_after_commit_and_numbered():
    group = group_name("test", 1)
    before = current_sequence(group)
    with transaction.atomic():
        publish(group, Event("thing.happened", {"n": 1}))
        assert current_sequence(group) == before  # nothing left before the commit
    publish(group, Event("thing.happened", {"n": 2}))
    assert current_sequence(group) == before + 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_publishes_nothing():
    group = group_name("test", 2)
    before = current_sequence(group)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(group, Event("thing.happened"))
        raise RuntimeError
    assert current_sequence(group) == before


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_the_mall_websocket_forwards_the_malls_events(uji):
    from channels.db import database_sync_to_async

    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff
    from mpp.catalog.models import MallService, Service
    from mpp.malls.models import Mall

    communicator = WebsocketCommunicator(
        application,
        "/ws/mal/mini-mpp-uji-hilir/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    connected, _ = await communicator.connect()
    assert connected

    def change() -> tuple[int, int]:
        mall = Mall.objects.get(slug="mini-mpp-uji-hilir")
        service = Service.objects.get(slug="akta-lahir-uji")
        MallService.objects.filter(mall=mall, service=service).delete()
        supervisor = make_staff(Role.MALL_SUPERVISOR, mall=mall.slug, region="uji")
        set_service_offering(mall=mall, service=service, offered=True, acting_user=supervisor)
        return mall.pk, service.pk

    before = time.time()
    _, service_id = await database_sync_to_async(change)()
    message = await communicator.receive_json_from(timeout=5)
    assert message["event"] == "offering.changed"
    assert message["payload"] == {"service_id": service_id, "offered": True}
    assert isinstance(message["seq"], int)
    # The commit's wall-clock time, for bench/fanout_bench.py's commit-to-screen latency.
    assert isinstance(message["sent_at"], float)
    assert before <= message["sent_at"] <= time.time()
    await communicator.disconnect()


@pytest.mark.anyio
@pytest.mark.django_db(transaction=True)
async def test_an_unknown_mall_websocket_is_refused(kukar):
    communicator = WebsocketCommunicator(
        application,
        "/ws/mal/tidak-ada/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
    )
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4404
    await communicator.wait()


@pytest.mark.anyio
async def test_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application,
        "/ws/mal/mpp-kukar/",
        headers=[(b"origin", b"http://evil.example"), (b"host", b"127.0.0.1")],
    )
    connected, _ = await communicator.connect()
    assert not connected
    assert get_channel_layer() is not None
