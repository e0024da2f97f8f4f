"""The KUA's pages under /kua/: who sees what (403/404), the couple in full with NIKs masked
until revealed (and logged), files served safely, and each step's form (400/409)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from mpp.core.models import AuditEntry
from mpp.core.nik import mask_nik
from mpp.core.usercontent import USER_FILE_CSP
from mpp.programs.models import Document, Programme, Registration
from mpp.programs.tests import world
from mpp.programs.tests.test_kua import accept_all, approved, submitted

pytestmark = pytest.mark.django_db

NEVER = ("gratis", "dibebaskan")


def url(found, *parts: str) -> str:  # type: ignore[no-untyped-def]
    return "/kua/" + "/".join([found.slug, *parts]) + "/"


@pytest.fixture
def setting(kukar, client):  # type: ignore[no-untyped-def]
    """A programme of Tenggarong's KUA, one submitted couple, and its officer signed in."""
    found = world.programme()
    registration = submitted(found)
    officer = world.kua_officer()
    client.force_login(officer)
    return found, registration, officer


# --- access ---------------------------------------------------------------------------------


def test_the_home_lists_the_officers_programmes_with_counts(setting, client):
    found, _registration, _officer = setting
    other = world.programme(slug="program-kua-lain")
    Programme.objects.filter(pk=other.pk).update(kua=world.kua("64.02.16"))
    response = client.get("/kua/")
    assert response.status_code == 200
    html = response.content.decode()
    assert found.title in html and "program-kua-lain" not in html
    row = dict(response.context["rows"][0][1])
    assert row["Menunggu pemeriksaan KUA"] == 1


@pytest.mark.parametrize("path", ["", "hari-akad", "hari-akad/angka"])
def test_an_officer_of_another_kua_gets_403(setting, client, path):
    found, registration, _officer = setting
    client.force_login(world.kua_officer("64.02.16"))
    assert client.get(url(found, path) if path else url(found)).status_code == 403
    assert client.get(url(found, registration.code)).status_code == 403
    assert client.post(url(found, registration.code, "setujui")).status_code == 403


def test_outsiders_and_other_roles_get_403(setting, client, cast):
    found, registration, _officer = setting
    for user in (cast.outsider(), cast.officer_dukcapil(), cast.supervisor_mpp()):
        client.force_login(user)
        assert client.get("/kua/").status_code == 403
        assert client.get(url(found, registration.code)).status_code == 403


def test_a_kua_officer_without_a_kua_row_gets_403(setting, client):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    client.force_login(make_staff(Role.KUA_OFFICER, username="petugas.kua.tanpa"))
    assert client.get("/kua/").status_code == 403


def test_unknown_programme_or_code_is_404(setting, client):
    found, _registration, _officer = setting
    assert client.get("/kua/tidak-ada/").status_code == 404
    assert client.get(url(found, "NM-ZZZZZZ")).status_code == 404
    assert client.post(url(found, "NM-ZZZZZZ", "setujui")).status_code == 404


def test_anonymous_is_sent_to_sign_in(setting, client):
    found, _registration, _officer = setting
    client.logout()
    assert client.get(url(found)).status_code == 302


def test_the_regency_admin_reads_but_does_not_act(setting, client, cast):
    found, registration, _officer = setting
    client.force_login(cast.regency_admin())
    assert client.get(url(found)).status_code == 200
    page = client.get(url(found, registration.code))
    assert page.status_code == 200 and b"Tampilkan NIK" not in page.content
    assert client.post(url(found, registration.code, "nik")).status_code == 403
    assert client.post(url(found, registration.code, "setujui")).status_code == 403


# --- the programme's couples ---------------------------------------------------------------


def test_the_programme_lists_couples_filterable_by_status(
    setting, client, django_assert_max_num_queries
):
    found, registration, officer = setting
    other = approved(found, officer)
    with django_assert_max_num_queries(12):
        response = client.get(url(found))
    html = response.content.decode()
    assert registration.code in html and other.code in html and "Ahmad Fauzi" in html
    total = registration.documents.count()
    assert f"0/{total}" in html and f"{total}/{total}" in html
    filtered = client.get(url(found) + "?status=approved").content.decode()
    assert other.code in filtered and registration.code not in filtered


# --- the couple -----------------------------------------------------------------------------


def test_the_couple_page_masks_niks_and_the_button_reveals_them_once_logged(setting, client):
    found, registration, officer = setting
    groom = registration.people.get(role="groom")
    page = client.get(url(found, registration.code)).content.decode()
    assert groom.nik not in page and mask_nik(groom.nik) in page
    assert "Tampilkan NIK" in page
    assert not AuditEntry.objects.filter(action="programs.nik.read").exists()

    revealed = client.post(url(found, registration.code, "nik"))
    assert revealed.status_code == 200 and groom.nik in revealed.content.decode()
    entry = AuditEntry.objects.get(action="programs.nik.read")
    assert entry.actor_id == officer.pk and entry.data["codes"] == [registration.code]
    # The next page shows them masked again.
    assert groom.nik not in client.get(url(found, registration.code)).content.decode()


def test_the_couple_page_says_ditanggung_never_gratis(setting, client):
    found, registration, _officer = setting
    html = client.get(url(found, registration.code)).content.decode()
    assert "ditanggung Pemerintah Kabupaten" in html
    for word in NEVER:
        assert word not in html.lower()


def test_a_document_is_checked_through_the_page(setting, client):
    found, registration, _officer = setting
    document = registration.documents.first()
    path = url(found, registration.code, "dokumen", str(document.pk), "periksa")
    response = client.post(path, {"decision": "reject", "note": ""})
    assert response.status_code == 400 and "alasan" in response.content.decode()
    response = client.post(path, {"decision": "reject", "note": "Foto buram"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.REJECTED and document.note == "Foto buram"
    assert client.post(path, {"decision": "maybe"}).status_code == 400


def test_approve_return_and_schedule_through_the_page(setting, client):
    found, registration, officer = setting
    refused = client.post(url(found, registration.code, "setujui"))
    assert refused.status_code == 409 and b"belum diterima" in refused.content
    assert (
        client.post(url(found, registration.code, "kembalikan"), {"reason": ""}).status_code == 400
    )
    returned = client.post(url(found, registration.code, "kembalikan"), {"reason": "KK buram"})
    assert returned.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.RETURNED
    assert "KK buram" in client.get(url(found, registration.code)).content.decode()

    accept_all(registration, officer)
    assert client.post(url(found, registration.code, "setujui")).status_code == 302
    session = found.sessions.first()
    assert client.post(url(found, registration.code, "jadwal"), {"session": "0"}).status_code == 400
    done = client.post(url(found, registration.code, "jadwal"), {"session": str(session.pk)})
    assert done.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SCHEDULED
    assert registration.session == session


def test_scheduling_a_couple_not_approved_is_409(setting, client):
    found, registration, _officer = setting
    session = found.sessions.first()
    response = client.post(url(found, registration.code, "jadwal"), {"session": str(session.pk)})
    assert response.status_code == 409


@time_machine.travel(dt.datetime(2026, 4, 2, 10, 0, tzinfo=world.WITA), tick=False)
def test_the_fee_form_records_a_receipt_and_refuses_a_bad_one(setting, client):
    found, registration, _officer = setting
    path = url(found, registration.code, "biaya")
    base = {"tariff_basis": "outside", "fee_bearer": "baznas", "sponsor_name": ""}
    assert client.post(path, {**base, "receipt_number": "X-1", "paid_on": ""}).status_code == 400
    assert (
        client.post(path, {**base, "receipt_number": "X-1", "paid_on": "kemarin"}).status_code
        == 400
    )
    assert (
        client.post(
            path, {**base, "fee_bearer": "sponsor", "receipt_number": "", "paid_on": ""}
        ).status_code
        == 400
    )
    ok = client.post(path, {**base, "receipt_number": "X-1", "paid_on": "2026-04-01"})
    assert ok.status_code == 302
    registration.refresh_from_db()
    assert (registration.fee_bearer, registration.receipt_number) == ("baznas", "X-1")
    html = client.get(url(found, registration.code)).content.decode()
    assert "ditanggung Baznas" in html and "X-1" in html
    for word in NEVER:
        assert word not in html.lower()


# --- uploaded files -------------------------------------------------------------------------


def _upload(registration: Registration, content_type: str, body: bytes) -> Document:
    document = registration.documents.all()[0]
    document.file = default_storage.save(f"programs/{registration.code}/x.bin", ContentFile(body))
    document.file_type = content_type
    document.status = Document.Status.UPLOADED
    document.save()
    return document


def test_an_uploaded_pdf_is_shown_inline_sandboxed_and_audited(setting, client):
    found, registration, officer = setting
    document = _upload(registration, "application/pdf", b"%PDF-1.4 test")
    response = client.get(url(found, registration.code, "dokumen", str(document.pk)))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Security-Policy"] == USER_FILE_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    entry = AuditEntry.objects.get(action="programs.document.read")
    assert entry.actor_id == officer.pk and entry.data["code"] == registration.code


def test_an_unknown_type_is_downloaded_not_shown(setting, client):
    found, registration, _officer = setting
    document = _upload(registration, "text/html", b"<script>alert(1)</script>")
    response = client.get(url(found, registration.code, "dokumen", str(document.pk)))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == USER_FILE_CSP


def test_files_are_for_the_kua_officer_only(setting, client, cast):
    found, registration, _officer = setting
    document = _upload(registration, "image/png", b"\x89PNG\r\n\x1a\n")
    path = url(found, registration.code, "dokumen", str(document.pk))
    for user in (cast.regency_admin(), world.kua_officer("64.02.16")):
        client.force_login(user)
        assert client.get(path).status_code == 403
    client.force_login(world.kua_officer())
    assert client.get(url(found, registration.code, "dokumen", "999999")).status_code == 404
    missing = registration.documents.exclude(pk=document.pk).first()
    assert client.get(url(found, registration.code, "dokumen", str(missing.pk))).status_code == 404


# --- the staff start page -------------------------------------------------------------------


def test_the_start_page_leads_kua_and_disdukcapil_officers_to_their_pages(setting, client, cast):
    found, _registration, _officer = setting
    html = client.get("/petugas/mulai/").content.decode()
    assert 'href="/kua/"' in html and "nikah massal" in html
    client.force_login(cast.officer_dukcapil())
    assert (
        f'href="/program/{found.slug}/dukcapil/"' in client.get("/petugas/mulai/").content.decode()
    )
    client.force_login(cast.officer_imigrasi())
    assert "/dukcapil/" not in client.get("/petugas/mulai/").content.decode()


def test_the_kua_cancels_a_couple_from_its_page_and_the_couple_reads_why(setting, client):
    found, registration, officer = setting
    client.force_login(officer)
    path = url(found, registration.code, "batalkan")
    assert client.post(path, {"cancel_reason": ""}).status_code == 400
    response = client.post(path, {"cancel_reason": "Pasangan mengundurkan diri"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    client.logout()
    own = client.get(f"/program/pendaftaran/{registration.access_key}/").content.decode()
    assert "Pasangan mengundurkan diri" in own and "data-cancel-reason" in own


def test_cancelling_is_the_kuas_own_step(setting, client, cast):
    found, registration, _officer = setting
    for user in (cast.regency_admin(), world.kua_officer("64.02.16")):
        client.force_login(user)
        response = client.post(url(found, registration.code, "batalkan"), {"cancel_reason": "x"})
        assert response.status_code == 403
    client.force_login(_officer)
    assert client.post(url(found, "NM-TIDAKADA", "batalkan")).status_code == 404
