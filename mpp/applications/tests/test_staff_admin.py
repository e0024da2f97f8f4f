"""Applications in the admin: read only, each person's scope only, the phone masked."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from mpp.applications.models import Application
from mpp.applications.tests import staff_world as world

pytestmark = pytest.mark.django_db

LIST = "/admin/applications/application/"


@pytest.fixture(autouse=True)
def _monday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel(world.MONDAY, tick=False):
        yield


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def both(cast):  # type: ignore[no-untyped-def]
    akta = world.opened(by=cast.officer_dukcapil(), phone="0812 3456 7890")
    paspor = world.opened(world.paspor(), by=cast.officer_imigrasi())
    return akta, paspor


def test_each_person_lists_their_scope_only(cast, both) -> None:
    akta, paspor = both
    seen = {
        "officer": cast.officer_dukcapil(),
        "supervisor": cast.supervisor_mpp(),
        "other mall": cast.supervisor_loakulu(),
        "admin": cast.regency_admin(),
    }
    expected = {
        "officer": {akta.grouped_code},
        "supervisor": {akta.grouped_code, paspor.grouped_code},
        "other mall": set(),
        "admin": {akta.grouped_code, paspor.grouped_code},
    }
    for name, user in seen.items():
        html = signed_in(user).get(LIST).content.decode()
        shown = {a.grouped_code for a in (akta, paspor) if a.grouped_code in html}
        assert shown == expected[name], name


def test_the_change_page_is_read_only_with_the_phone_masked(cast, both) -> None:
    akta, _paspor = both
    client = signed_in(cast.supervisor_mpp())
    page = client.get(f"{LIST}{akta.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "0812****890" in html and "6281234567890" not in html and "3456" not in html
    assert 'name="status"' not in html  # no field to change
    assert "Diterima" in html  # the steps, inline
    response = client.post(f"{LIST}{akta.pk}/change/", {"status": "diambil"})
    assert response.status_code == 403
    assert Application.objects.get(pk=akta.pk).status == "diterima"
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.get(f"{LIST}{akta.pk}/delete/").status_code == 403
    other = signed_in(cast.supervisor_loakulu()).get(f"{LIST}{akta.pk}/change/")
    assert other.status_code in (302, 403, 404)


def test_the_code_as_typed_on_the_slip_finds_it(cast, both) -> None:
    akta, paspor = both
    typed = akta.grouped_code.lower()
    html = signed_in(cast.regency_admin()).get(LIST, {"q": typed}).content.decode()
    assert akta.grouped_code in html and paspor.grouped_code not in html
