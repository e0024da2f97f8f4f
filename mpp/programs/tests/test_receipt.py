"""The registration receipt: a PDF with the code, the names and masked NIKs, the fee line, the
checklist and a QR code of the couple's page; never a whole NIK."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import time_machine
from django.urls import reverse

from mpp.programs.fees import fee_line
from mpp.programs.models import FeeBearer, Registration, TariffBasis
from mpp.programs.tests import world

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: run .ci/ensure-chromium (poppler-utils).")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def words(text: str) -> str:
    return " ".join(text.split())


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_the_receipt_pdf_has_the_code_masked_niks_and_the_fee(client, kukar, tmp_path):
    registration = world.register(world.programme())
    groom = registration.people.get(role="groom")
    url = reverse("programs:receipt", kwargs={"access_key": registration.access_key})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response.content.startswith(b"%PDF-")
    raw = pdf_text(response.content, tmp_path)
    text = words(raw)
    assert registration.code in text
    assert groom.nik[:4] + "••••••••" + groom.nik[-4:] in text
    assert groom.nik not in text
    assert "Ahmad Fauzi" in text and "Selasa, 10 Maret 2026" in text
    assert "ditanggung Pemerintah Kabupaten" in text
    assert "Akta kelahiran" in text
    assert registration.access_key in raw.replace("\n", "")  # the QR code's address, printed


def test_the_fee_is_worded_ditanggung_or_rp0_never_gratis(kukar):
    region = world.kukar()
    lines = [
        fee_line(
            basis=TariffBasis.OUTSIDE, amount=600_000, bearer=b, region=region, sponsor="PT Maju"
        )
        for b in FeeBearer.values
    ]
    lines.append(
        fee_line(basis=TariffBasis.KUA_HOURS, amount=0, bearer=FeeBearer.COUPLE, region=region)
    )
    assert lines[1] == (
        "Biaya PNBP Rp600.000 per pasangan (akad di luar kantor KUA atau di luar jam kerja) "
        "ditanggung Pemerintah Kabupaten Kutai Kartanegara."
    )
    assert "ditanggung Baznas" in lines[2] and "ditanggung PT Maju" in lines[3]
    assert "dibayar pasangan" in lines[0]
    assert lines[4].startswith("Biaya nikah Rp0")
    assert not any("gratis" in line.lower() or "dibebaskan" in line.lower() for line in lines)


@time_machine.travel(world.REGISTRATION_TIME, tick=False)
def test_a_scheduled_couples_receipt_names_the_session(client, kukar, tmp_path):
    registration = world.register(world.programme())
    Registration.objects.filter(pk=registration.pk).update(
        status=Registration.Status.SCHEDULED, session=registration.programme.sessions.first()
    )
    url = reverse("programs:receipt", kwargs={"access_key": registration.access_key})
    text = pdf_text(client.get(url).content, tmp_path)
    assert "Jumat, 10 April 2026, pukul 08.30 WITA" in words(text)
