"""The couple's own page and its checklist: upload (bounded, typed by its first bytes) and
"dibawa"; attach_document and mark_brought audited, refused once the KUA has decided."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mpp.core.models import AuditEntry
from mpp.programs import documents
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.models import Document, DocumentKind, Registration
from mpp.programs.tests import world

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def couple_url(registration: Registration) -> str:
    return reverse("programs:registration", kwargs={"access_key": registration.access_key})


def upload_url(registration: Registration, document: Document) -> str:
    return reverse(
        "programs:document-upload",
        kwargs={"access_key": registration.access_key, "pk": document.pk},
    )


def brought_url(registration: Registration, document: Document) -> str:
    return reverse(
        "programs:document-brought",
        kwargs={"access_key": registration.access_key, "pk": document.pk},
    )


def ktp_of_groom(registration: Registration) -> Document:
    return registration.documents.get(kind=DocumentKind.KTP, who="groom")


def stored_files() -> list[str]:
    if not default_storage.exists("programs"):
        return []
    folders, _files = default_storage.listdir("programs")
    return [f for d in folders for f in default_storage.listdir(f"programs/{d}")[1]]


@pytest.fixture
def registration(kukar):  # type: ignore[no-untyped-def]
    with time_machine.travel(world.REGISTRATION_TIME, tick=False):
        return world.register(world.programme())


# --- the page -------------------------------------------------------------------------------


def test_the_couple_page_shows_status_masked_niks_fee_and_checklist(client, registration):
    groom = registration.people.get(role="groom")
    response = client.get(couple_url(registration))
    text = response.content.decode()
    assert response.status_code == 200
    assert registration.code in text and "Menunggu pemeriksaan KUA" in text
    assert "Ahmad Fauzi" in text and groom.nik not in text
    assert groom.nik[:4] + "••••••••" + groom.nik[-4:] in text
    assert "ditanggung Pemerintah Kabupaten Kutai Kartanegara" in text
    assert "Surat pengantar nikah dari desa/kelurahan (N1)" in text
    assert "Dibawa saat pemeriksaan" in text and 'type="file"' in text
    assert response["Cache-Control"] == "no-store"
    # Not "no-referrer": Chromium would then send `Origin: null` with the page's forms, which
    # the CSRF check refuses; "same-origin" keeps the key from every other site all the same.
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex">' in text


def test_an_unknown_key_is_404(client, registration):
    assert client.get("/program/pendaftaran/bukan-kunci-yang-ada/").status_code == 404
    assert client.get("/program/pendaftaran/bukan-kunci/tanda-terima.pdf").status_code == 404


def test_a_returned_registration_shows_the_reason_and_the_kuas_note(client, registration):
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.RETURNED, return_reason="KTP wali tidak terbaca."
    )
    Document.objects.filter(pk=ktp_of_groom(registration).pk).update(
        status=Document.Status.REJECTED, note="Foto buram, unggah ulang."
    )
    text = client.get(couple_url(registration)).content.decode()
    assert "KTP wali tidak terbaca." in text and "Foto buram, unggah ulang." in text
    assert "Ditolak KUA" in text


def test_a_scheduled_couple_sees_their_session_and_no_upload(client, registration):
    session = registration.programme.sessions.first()
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.SCHEDULED, session=session
    )
    text = client.get(couple_url(registration)).content.decode()
    assert "Jumat, 10 April 2026, pukul 08.30 WITA" in text
    assert 'type="file"' not in text


# --- upload ---------------------------------------------------------------------------------


def test_a_pdf_is_uploaded_stored_under_a_random_name_and_audited(client, registration):
    document = ktp_of_groom(registration)
    upload = SimpleUploadedFile("../../KTP saya.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(upload_url(registration, document), {"file": upload})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#dokumen-{document.pk}")
    document.refresh_from_db()
    assert document.status == Document.Status.UPLOADED
    assert document.file.startswith(f"programs/{registration.code}/")
    assert document.file.endswith(".pdf") and "KTP" not in document.file
    assert document.file_name == "KTP saya.pdf" and document.file_type == "application/pdf"
    assert default_storage.open(document.file).read() == PDF_BYTES
    entry = AuditEntry.objects.get(action="programs.document.uploaded")
    assert entry.data["code"] == registration.code and entry.actor_id is None


def test_an_html_file_named_pdf_is_refused_and_nothing_is_stored(client, registration):
    document = ktp_of_groom(registration)
    upload = SimpleUploadedFile("ktp.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = client.post(upload_url(registration, document), {"file": upload})
    assert response.status_code == 400
    assert "Berkas harus PDF, JPEG, atau PNG" in response.content.decode()
    document.refresh_from_db()
    assert document.status == Document.Status.MISSING and document.file == ""
    assert (
        stored_files() == []
        and not AuditEntry.objects.filter(action__startswith="programs.document").exists()
    )


def test_a_file_over_5_mb_is_refused_before_it_is_read(client, registration):
    document = ktp_of_groom(registration)
    big = SimpleUploadedFile("ktp.png", PNG_BYTES + b"\x00" * (5 * 1024 * 1024), "image/png")
    response = client.post(upload_url(registration, document), {"file": big})
    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()
    assert stored_files() == []


def test_the_size_is_checked_before_a_byte_is_read(registration):
    class Liar:
        size = documents.DOCUMENT_MAX_BYTES + 1

        def read(self, *args):  # type: ignore[no-untyped-def]
            raise AssertionError("read before its size was checked")

    with pytest.raises(ProgramRefused) as refused:
        documents.attach_document(document=ktp_of_groom(registration), upload=Liar())
    assert refused.value.code == "file_too_large"


def test_a_post_without_a_file_says_so(client, registration):
    response = client.post(upload_url(registration, ktp_of_groom(registration)), {})
    assert response.status_code == 400 and "Pilih berkas" in response.content.decode()


def test_a_second_upload_replaces_the_first_file(
    client, registration, django_capture_on_commit_callbacks
):
    document = ktp_of_groom(registration)
    client.post(
        upload_url(registration, document), {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    first = Document.objects.get(pk=document.pk).file
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            upload_url(registration, document), {"file": SimpleUploadedFile("b.png", PNG_BYTES)}
        )
    document.refresh_from_db()
    assert document.file != first and document.file.endswith(".png")
    assert not default_storage.exists(first)


def test_another_registrations_document_is_404(client, registration):
    with time_machine.travel(world.REGISTRATION_TIME, tick=False):
        other = world.register(registration.programme)
    foreign = ktp_of_groom(other)
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES)
    assert client.post(upload_url(registration, foreign), {"file": upload}).status_code == 404
    assert client.post(brought_url(registration, foreign)).status_code == 404


def test_upload_is_refused_once_the_kua_approved(client, registration):
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.APPROVED)
    document = ktp_of_groom(registration)
    response = client.post(
        upload_url(registration, document), {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 409
    assert stored_files() == []


def test_an_accepted_document_cannot_be_replaced(registration):
    document = ktp_of_groom(registration)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.ACCEPTED)
    document.refresh_from_db()
    with pytest.raises(ProgramRefused) as refused:
        documents.mark_brought(document=document)
    assert refused.value.code == "bad_step"


# --- dibawa ---------------------------------------------------------------------------------


def test_a_document_is_marked_brought_and_audited(client, registration):
    document = ktp_of_groom(registration)
    response = client.post(brought_url(registration, document))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.BROUGHT
    assert AuditEntry.objects.filter(action="programs.document.brought").count() == 1
    page = client.get(couple_url(registration)).content.decode()
    assert "dibawa saat pemeriksaan di KUA" in page


def test_get_on_an_action_is_405(client, registration):
    assert client.get(brought_url(registration, ktp_of_groom(registration))).status_code == 405


# --- sending a returned registration back to the KUA ----------------------------------------


def resubmit_url(registration: Registration) -> str:
    return reverse("programs:resubmit", kwargs={"access_key": registration.access_key})


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_returned_couple_fixes_the_rejected_item_then_sends_it_back(client, registration):
    from mpp.programs import kua

    officer = world.kua_officer()
    ktp = ktp_of_groom(registration)
    kua.check_document(document=ktp, accepted=False, note="KTP buram", acting_user=officer)
    kua.return_registration(registration=registration, reason="KTP buram", acting_user=officer)

    refused = client.post(resubmit_url(registration))
    assert refused.status_code == 400
    assert "belum diunggah" in refused.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.RETURNED

    documents_left = registration.documents.filter(status=Document.Status.MISSING)
    for document in [ktp, *documents_left]:
        documents.mark_brought(document=document)
    response = client.post(resubmit_url(registration))
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.SUBMITTED
    assert AuditEntry.objects.filter(action="programs.registration.resubmitted").count() == 1
    page = client.get(couple_url(registration)).content.decode()
    assert "data-resubmit" not in page


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_registration_not_returned_is_not_sent_back(client, registration):
    response = client.post(resubmit_url(registration))
    assert response.status_code == 409
    with pytest.raises(ProgramRefused) as refused:
        documents.resubmit_registration(registration=registration)
    assert refused.value.code == "bad_step"


def test_resubmit_with_an_unknown_key_is_404_and_a_get_is_405(client, registration):
    assert client.post("/program/pendaftaran/tidak-ada/kirim-ulang/").status_code == 404
    assert client.get(resubmit_url(registration)).status_code == 405
