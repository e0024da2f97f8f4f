"""Hand-built readiness data for the readiness, gate and trial tests: Kukar's checklist is
replaced by four items made here (one per kind of evidence), so what a test asserts does not
depend on the region's rollout.yaml. Kenohan is a Mini MPP still preparing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.malls.models import Mall, Region
from mpp.rollout import models as m
from mpp.rollout.readiness import ensure_items

WITA = ZoneInfo("Asia/Makassar")
MONDAY_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA)  # a working day, the mall open
PREPARING = "mini-mpp-kenohan"

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def pdf(name: str = "berita-acara.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "ruang.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def fake_pdf() -> SimpleUploadedFile:
    """An HTML page named and labelled as a PDF."""
    return SimpleUploadedFile(
        "surat.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )


@dataclass
class World:
    region: Region
    mall: Mall
    dpmptsp: m.Agency
    pu: m.Agency
    camat: m.Agency
    items: dict[str, m.ReadinessItem]


def build(region: Region, *, slug: str = PREPARING) -> World:
    """Kukar's rollout checklist replaced by: lokasi (camat, document), renovasi (Dinas PU,
    photo), perbup (DPMPTSP, decree), listrik (camat, none) and an optional item (none)."""
    m.ReadinessItem.objects.filter(mall__region=region).delete()
    m.ChecklistTemplateItem.objects.filter(region=region).delete()
    m.AgencyMember.objects.filter(agency__region=region).delete()
    m.Agency.objects.filter(region=region).delete()
    dpmptsp = m.Agency.objects.create(
        region=region, code="dpmptsp", name="DPMPTSP", short_name="DPMPTSP"
    )
    pu = m.Agency.objects.create(
        region=region, code="dinas-pu", name="Dinas PU", short_name="Dinas PU"
    )
    camat = m.Agency.objects.create(
        region=region, code="camat", name="Camat", short_name="Camat", kind=m.Agency.Kind.CAMAT
    )  # fmt: skip
    due = dt.date(2026, 12, 31)
    specs = [
        ("lokasi", "Lokasi disepakati", camat, m.Evidence.DOCUMENT, True),
        ("renovasi", "Renovasi selesai", pu, m.Evidence.PHOTO, True),
        ("perbup", "Perbup PATEN", dpmptsp, m.Evidence.DECREE, True),
        ("listrik", "Listrik", camat, m.Evidence.NONE, True),
        ("spanduk", "Spanduk", dpmptsp, m.Evidence.NONE, False),
    ]
    for order, (code, title, owner, evidence, mandatory) in enumerate(specs):
        m.ChecklistTemplateItem.objects.create(
            region=region, code=code, title=title, owner=owner, evidence=evidence,
            mandatory=mandatory, due_date=due, order=order,
        )  # fmt: skip
    mall = Mall.objects.select_related("region", "district").get(slug=slug)
    ensure_items(mall)
    items = {
        i.template.code: i
        for i in m.ReadinessItem.objects.filter(mall=mall).select_related(
            "template", "owner", "mall"
        )
    }
    return World(region, mall, dpmptsp, pu, camat, items)


def liaison(agency: m.Agency, username: str, *, district_id: int | None = None) -> object:
    user = make_staff(Role.AGENCY_LIAISON, username=username)
    m.AgencyMember.objects.update_or_create(
        user=user, defaults={"agency": agency, "district_id": district_id}
    )
    return user


def all_done(mall: Mall) -> None:
    """Every item of `mall` done (straight in the database: the tests of marking are apart)."""
    from django.utils import timezone

    m.ReadinessItem.objects.filter(mall=mall).update(status="done", done_at=timezone.now())
