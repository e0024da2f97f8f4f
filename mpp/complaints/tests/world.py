"""The complaints tests' world, on Kukar's data: MPP Kukar and Mini MPP Loa Kulu, Disdukcapil
(present at both) and Imigrasi (at MPP Kukar only); the clock on Thursday 13 August 2026 at
09:00 WITA. Three working days later is Wednesday the 19th: the weekend and Monday the 17th
(Hari Kemerdekaan) are not counted."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from mpp.catalog.models import Service, Tenant
from mpp.complaints import actions
from mpp.complaints.models import Complaint
from mpp.malls.models import Mall

WITA = ZoneInfo("Asia/Makassar")
THURSDAY_9 = dt.datetime(2026, 8, 13, 9, 0, tzinfo=WITA)
VERIFY_BY = dt.date(2026, 8, 19)
NIK = "6402061501900001"


def mpp() -> Mall:
    return Mall.objects.select_related("region").get(slug="mpp-kukar")


def loakulu() -> Mall:
    return Mall.objects.select_related("region").get(slug="mini-mpp-loa-kulu")


def dukcapil() -> Tenant:
    return Tenant.objects.get(slug="disdukcapil")


def imigrasi() -> Tenant:
    return Tenant.objects.get(slug="imigrasi-samarinda")


def akta() -> Service:
    return Service.objects.select_related("tenant").get(slug="akta-kelahiran")


def filed(**kwargs: Any) -> Complaint:
    values: dict[str, Any] = {"text": "Antrean lama sekali.", "mall": mpp()}
    values.update(kwargs)
    return actions.file_complaint(**values)


def verified(complaint: Complaint | None = None, *, by: object = None, **kwargs: Any) -> Complaint:
    return actions.verify_complaint(
        complaint=complaint or filed(**kwargs), tenant=dukcapil(), acting_user=by
    )
