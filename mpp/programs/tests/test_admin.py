"""The programmes' admin: every model registered and scoped; DPMPTSP alone changes programmes;
the draw's record read-only and its seed never shown; registrations read-only, no NIK."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mpp.core.models import AuditEntry
from mpp.programs import prizes
from mpp.programs.models import Kua, KuaOfficer, Programme, Registration
from mpp.programs.tests import world
from mpp.programs.tests.test_draw_world import married

pytestmark = pytest.mark.django_db

SEED = "admin-test-seed-never-shown"


def url(model: type, view: str = "changelist", *args: object) -> str:
    meta = model._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def found(kukar, cast):  # type: ignore[no-untyped-def]
    programme = world.programme()
    with time_machine.travel(dt.datetime(2026, 4, 10, 13, 0, tzinfo=world.WITA), tick=False):
        married(programme)
        prizes.publish_draw(programme=programme, seed=SEED, acting_user=cast.regency_admin())
    programme.refresh_from_db()
    return programme


def test_every_model_of_the_programmes_is_in_the_admin(found, cast):
    client = client_of(cast.regency_admin())
    for model in (Kua, KuaOfficer, Programme, Registration):
        assert client.get(url(model)).status_code == 200, model


def test_the_programme_page_shows_the_draw_read_only_and_never_the_seed(found, cast):
    client = client_of(cast.regency_admin())
    response = client.get(url(Programme, "change", found.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert SEED not in html and 'name="seed"' not in html
    assert found.seed_sha256 in html  # shown, as text
    assert 'name="seed_sha256"' not in html and 'name="entrants_sha256"' not in html
    assert 'name="drawn_at' not in html and 'name="registered_count"' not in html
    assert 'name="prizes-0-winner_code"' not in html and 'name="prizes-0-name"' in html


def test_the_administrator_changes_a_programme_with_an_audit_entry(found, cast):
    client = client_of(cast.regency_admin())
    page = client.get(url(Programme, "change", found.pk))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data = {**{k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}}
    data["title"] = "Nikah Massal Syawal 1447 H (diubah)"
    data["registration_opens"] = "2026-03-01"
    for prefix, formset in (("sessions", found.sessions.all()), ("prizes", found.prizes.all())):
        data[f"{prefix}-TOTAL_FORMS"] = str(formset.count())
        data[f"{prefix}-INITIAL_FORMS"] = str(formset.count())
        for i, row in enumerate(formset):
            data[f"{prefix}-{i}-id"] = str(row.pk)
            data[f"{prefix}-{i}-programme"] = str(found.pk)
            if prefix == "sessions":
                data[f"{prefix}-{i}-date"] = row.date.isoformat()
                data[f"{prefix}-{i}-starts_at"] = row.starts_at.strftime("%H:%M")
                data[f"{prefix}-{i}-place"] = row.place
                data[f"{prefix}-{i}-capacity"] = str(row.capacity)
            else:
                data[f"{prefix}-{i}-rank"] = str(row.rank)
                data[f"{prefix}-{i}-name"] = row.name
                data[f"{prefix}-{i}-sponsor"] = row.sponsor
    response = client.post(url(Programme, "change", found.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    found.refresh_from_db()
    assert found.title.endswith("(diubah)") and found.seed == SEED
    assert AuditEntry.objects.filter(action="admin.changed", object_id=str(found.pk)).exists()


def test_only_the_administrator_changes_programmes(found, cast):
    for person in (cast.leadership(), cast.supervisor_mpp(), world.kua_officer()):
        client = client_of(person)
        assert client.get(url(Programme, "change", found.pk)).status_code == 200, person
        assert client.post(url(Programme, "change", found.pk), {"title": "x"}).status_code == 403
        assert client.get(url(Programme, "add")).status_code == 403
    assert (
        client_of(cast.regency_admin()).get(url(Programme, "delete", found.pk)).status_code == 403
    )


def test_registrations_are_read_only_without_personal_data(found, cast):
    registration = found.registrations.get()
    client = client_of(cast.regency_admin())
    html = client.get(url(Registration)).content.decode()
    assert registration.code in html
    groom = registration.people.get(role="groom")
    assert groom.nik not in html and groom.name not in html
    detail = client.get(url(Registration, "change", registration.pk)).content.decode()
    assert groom.nik not in detail and registration.access_key not in detail
    assert registration.phone not in detail
    assert 'name="status"' not in detail
    assert client.get(url(Registration, "add")).status_code == 403


def test_registrations_are_shown_to_the_report_readers_only(found, cast):
    registration = found.registrations.get()
    assert (
        registration.code in client_of(world.kua_officer()).get(url(Registration)).content.decode()
    )
    other_kua = world.kua_officer("64.02.01", username="petugas.kua.lain")
    assert client_of(other_kua).get(url(Registration)).status_code == 403
    assert client_of(cast.officer_dukcapil()).get(url(Registration)).status_code == 403
    assert client_of(cast.supervisor_loakulu()).get(url(Registration)).status_code == 403


def test_a_programme_cannot_take_the_slug_of_the_couples_pages(kukar):
    from django.core.exceptions import ValidationError

    from mpp.programs.tests import world

    found = world.programme()
    found.slug = "pendaftaran"
    with pytest.raises(ValidationError) as refused:
        found.clean()
    assert "slug" in refused.value.message_dict
