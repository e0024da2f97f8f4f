"""The demo's applications (issue 22): a few at MPP Kukar in different states, so the tracking
page (/permohonan/<kode>/) and the staff's list have something to show after `make demo`. Made
once: a rerun finds them by their demo marker and adds none."""

from __future__ import annotations

import datetime as dt

from mpp.applications import actions
from mpp.applications.models import Application, Status
from mpp.catalog.models import Service
from mpp.malls.models import Mall, Region

# Kept in ticket_code, where a real application keeps its ticket's code: finds them on a rerun.
DEMO_MARKER = "demo"

# (service slug, days ago received, steps after "diterima", note of a return)
PLAN: list[tuple[str, int, tuple[str, ...], str]] = [
    ("akta-kelahiran", 0, (), ""),
    ("penerbitan-kk-baru", 2, ("diverifikasi",), ""),
    ("paspor-biasa-baru", 6, ("diverifikasi", "diproses"), ""),
    (
        "akta-kematian",
        3,
        ("dikembalikan",),
        "Surat keterangan kematian dari kelurahan/desa belum dilampirkan.",
    ),
    ("kartu-identitas-anak", 4, ("diverifikasi", "diproses", "siap_diambil"), ""),
    ("perubahan-kk", 9, ("diverifikasi", "diproses", "selesai", "diambil"), ""),
    ("akta-kelahiran", 25, ("diverifikasi", "diproses"), ""),  # long past its due date
]


def load_demo_applications(region: Region) -> list[Application]:
    """The demo applications made (none on a rerun, or when MPP Kukar is not loaded)."""
    mall = Mall.objects.filter(region=region, kind=Mall.Kind.MPP).select_related("region").first()
    if mall is None or Application.objects.filter(ticket_code=DEMO_MARKER).exists():
        return []
    today = mall.local_now().date()
    made = []
    for slug, days_ago, steps, note in PLAN:
        service = Service.objects.filter(slug=slug, offerings__mall=mall).first()
        if service is None:
            continue
        application = actions.open_application(
            mall=mall,
            service=service,
            acting_user=None,
            received_on=today - dt.timedelta(days=days_ago),
            ticket_code=DEMO_MARKER,
        )
        for status in steps:
            application = actions.move(
                application=application,
                status=status,
                acting_user=None,
                note=note if status == Status.RETURNED else "",
            )
        made.append(application)
    return made
