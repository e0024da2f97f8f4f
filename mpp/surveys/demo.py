"""Synthetic survey responses for `mpp demo`: eight quarters at every operating mall, plainly
labelled synthetic (their import is named so), so that results, reports and the public pages
have something to show. MPP Kukar's answers lean to "4" as its published 2025 index (94,98, A)
does; the Mini MPPs are a little lower. Nothing here is a real respondent's answer."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from mpp.catalog.models import MallTenant, Service
from mpp.core import clock
from mpp.malls.models import Mall, Region
from mpp.surveys.models import STANDARD_CODES, Questionnaire, Response, SurveyImport

SOURCE = "Data sintetis untuk demo (bukan hasil survei resmi)"
QUARTERS = 8
PER_QUARTER: dict[str, int] = {Mall.Kind.MPP: 420, Mall.Kind.MINI_MPP: 70}
# Probability of answering 4 at the MPP and at a Mini MPP; the rest is mostly 3, a little 2.
SHARE_OF_FOUR: dict[str, float] = {Mall.Kind.MPP: 0.80, Mall.Kind.MINI_MPP: 0.62}


def _quarter_starts(today: dt.date, n: int) -> list[dt.date]:
    year, quarter = today.year, (today.month - 1) // 3
    starts = []
    for _ in range(n):
        starts.append(dt.date(year, 3 * quarter + 1, 1))
        quarter -= 1
        if quarter < 0:
            year, quarter = year - 1, 3
    return sorted(starts)


def load_demo_responses(region: Region) -> int:
    """Create the synthetic responses once per mall; returns how many were made."""
    rng = random.Random(14_2017)  # PermenPAN-RB 14/2017: fixed, so every demo shows the same
    questionnaire = Questionnaire.objects.get(mall=None, tenant=None, is_active=True)
    today = clock.now().date()
    made = 0
    for mall in Mall.objects.filter(region=region, status=Mall.Status.OPERATING):
        if SurveyImport.objects.filter(mall=mall, file_name=SOURCE).exists():
            continue
        present = MallTenant.objects.filter(mall=mall).select_related("tenant")
        tenants = [mt.tenant for mt in present]
        if not tenants:
            continue
        services = {
            t.pk: list(Service.objects.filter(tenant=t, offerings__mall=mall)[:20]) for t in tenants
        }
        source = SurveyImport.objects.create(
            mall=mall,
            file_name=SOURCE,
            sha256=hashlib.sha256(f"demo:{mall.slug}".encode()).hexdigest(),
            imported_at=clock.now(),
        )
        rows = []
        four = SHARE_OF_FOUR[mall.kind]
        for start in _quarter_starts(today, QUARTERS):
            for _ in range(PER_QUARTER[mall.kind]):
                day = start + dt.timedelta(days=rng.randrange(0, 90))
                if day > today:
                    continue
                tenant = rng.choice(tenants)
                offered = services[tenant.pk]
                answers: dict[str, int | None] = {}
                for code in STANDARD_CODES:
                    r = rng.random()
                    answers[code.lower()] = 4 if r < four else (3 if r < 0.97 else 2)
                if rng.random() < 0.15:  # the fee question is often left blank where it is free
                    answers["u4"] = None
                rows.append(
                    Response(
                        questionnaire=questionnaire,
                        mall=mall,
                        tenant=tenant,
                        service=rng.choice(offered) if offered else None,
                        answered_on=day,
                        time_band=rng.choice(Response.TimeBand.values),
                        channel=Response.Channel.IMPORT,
                        sex=rng.choice(Response.Sex.values),
                        age=rng.randint(18, 70),
                        education=rng.choice(Response.Education.values),
                        occupation=rng.choice(Response.Occupation.values),
                        source=source,
                        **answers,
                    )
                )
        Response.objects.bulk_create(rows, batch_size=1000)
        source.rows = len(rows)
        source.save(update_fields=["rows"])
        made += len(rows)
    return made
