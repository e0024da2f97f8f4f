"""The demo's complaints (issue 22): a few synthetic complaints at MPP Kukar in each state
(received, verified and late, answered, dismissed), so /petugas/pengaduan/ and the report have
something to show after `make demo`. Made once: a rerun adds nothing."""

from __future__ import annotations

import datetime as dt

from mpp.catalog.models import MallTenant
from mpp.complaints import actions
from mpp.complaints.models import Complaint, Source, Topic
from mpp.core import clock
from mpp.malls.models import Mall, Region

DEMO_MARK = "[contoh]"

TEXTS = [
    (Topic.WAITING, "Antrean loket Disdukcapil lama sekali, saya menunggu lebih dari 2 jam."),
    (Topic.STAFF, "Petugas tidak menjelaskan berkas yang kurang, saya harus bolak-balik."),
    (Topic.FACILITIES, "Kursi ruang tunggu kurang, lansia berdiri lama."),
    (Topic.FEES, "Diminta biaya fotokopi di loket padahal layanan gratis."),
]


def load_demo_complaints(region: Region) -> int:
    """Complaints made (0 on a rerun)."""
    mall = Mall.objects.filter(region=region, kind=Mall.Kind.MPP).order_by("pk").first()
    if mall is None or Complaint.objects.filter(text__startswith=DEMO_MARK).exists():
        return 0
    tenant_row = MallTenant.objects.filter(mall=mall).select_related("tenant").first()
    made = []
    for topic, text in TEXTS:
        made.append(
            actions.file_complaint(
                text=f"{DEMO_MARK} {text}", mall=mall, topic=topic, source=Source.OTHER
            )
        )
    if tenant_row is not None:
        actions.verify_complaint(complaint=made[0], tenant=tenant_row.tenant, acting_user=None)
        actions.verify_complaint(complaint=made[1], tenant=tenant_row.tenant, acting_user=None)
        actions.reply_to_complaint(
            complaint=made[1],
            text="Terima kasih. Petugas kami sudah diingatkan; daftar persyaratan kini "
            "ditempel di loket.",
            is_internal=False,
            acting_user=None,
        )
        # The first one late: its answer was due a week ago.
        Complaint.objects.filter(pk=made[0].pk).update(
            answer_by=clock.now().date() - dt.timedelta(days=7)
        )
    actions.dismiss_complaint(
        complaint=made[3],
        reason="Bukan pengaduan layanan MPP; silakan sampaikan ke pengelola gedung.",
        acting_user=None,
    )
    return len(made)
