"""The catalog admin edits a service's time as a value and a unit beside its text: both or
neither, never contradicting the text, refused in Indonesian."""

from __future__ import annotations

import pytest

from mpp.accounts.tests.test_admin import _form_data, change_url
from mpp.catalog.models import Service


@pytest.fixture
def editing(client, cast, service_by_slug):  # type: ignore[no-untyped-def]
    client.force_login(cast.regency_admin())
    service = service_by_slug("skck-baru")
    return service, _form_data(client.get(change_url(service)))


def test_the_regency_admin_states_a_time_the_text_names(client, editing):
    service, data = editing
    data.update(duration="Paling lama 3 hari kerja", duration_value=3, duration_unit="hari_kerja")
    assert client.post(change_url(service), data).status_code == 302
    service.refresh_from_db()
    assert (service.duration_value, service.duration_unit) == (3, "hari_kerja")


def test_no_fixed_time_is_neither_value_nor_unit(client, editing):
    service, data = editing
    data.update(duration="Sesuai jadwal", duration_value="", duration_unit="")
    assert client.post(change_url(service), data).status_code == 302
    service.refresh_from_db()
    assert (service.duration_value, service.duration_unit) == (None, "")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_value": 2, "duration_unit": ""}, "keduanya atau tidak sama sekali"),
        ({"duration_value": "", "duration_unit": "jam"}, "keduanya atau tidak sama sekali"),
        (
            {"duration": "2 jam", "duration_value": 3, "duration_unit": "jam"},
            "3 jam bertentangan dengan teks jangka waktu yang diawali 2 jam",
        ),
        (
            {"duration": "2 jam", "duration_value": "", "duration_unit": ""},
            "teks jangka waktu menjanjikan 2 jam",
        ),
    ],
)
def test_a_time_that_contradicts_its_text_is_refused(client, editing, changes, message):
    service, data = editing
    before = Service.objects.values("duration", "duration_value", "duration_unit").get(
        pk=service.pk
    )
    data.update(changes)
    response = client.post(change_url(service), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(message in e for e in errors["duration_value"]), errors
    assert (
        Service.objects.values("duration", "duration_value", "duration_unit").get(pk=service.pk)
        == before
    )
