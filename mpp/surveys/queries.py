"""Reads of the survey: tallies by SQL aggregation, scopes, periods and the sample size check.

The index of any scope is one aggregate query (SUM and COUNT per element column) — never a
Python loop over responses — so the regency's year (a million responses) stays well under a
second on PostgreSQL (bench/survey_bench.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall, Region
from mpp.queueing.models import Ticket
from mpp.surveys import ikm
from mpp.surveys.models import STANDARD_CODES, Questionnaire, Response


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("end before start")


def period_of(kind: str, year: int, n: int = 1) -> Period:
    """A reporting period: month n, quarter (triwulan) n, semester n, or the year."""
    if kind == "month" and 1 <= n <= 12:
        last = calendar.monthrange(year, n)[1]
        return Period(dt.date(year, n, 1), dt.date(year, n, last), f"{year}-{n:02d}")
    if kind == "quarter" and 1 <= n <= 4:
        first = 3 * (n - 1) + 1
        last_month = first + 2
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        return Period(dt.date(year, first, 1), end, _("Triwulan %(n)d %(y)d") % {"n": n, "y": year})
    if kind == "semester" and n in (1, 2):
        start = dt.date(year, 1 if n == 1 else 7, 1)
        end = dt.date(year, 6, 30) if n == 1 else dt.date(year, 12, 31)
        return Period(start, end, _("Semester %(n)d %(y)d") % {"n": n, "y": year})
    if kind == "year":
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    raise ValueError(f"{kind} {n}")


@dataclass(frozen=True)
class Scope:
    """What a figure covers: the whole regency, one mall, and optionally a tenant or service."""

    region: Region | None = None
    mall: Mall | None = None
    tenant: Tenant | None = None
    service: Service | None = None

    def responses(self, period: Period) -> QuerySet[Response]:
        qs = Response.objects.between(period.start, period.end)
        return self._narrow(qs, mall_field="mall", tenant_field="tenant", service_field="service")

    def served(self, period: Period) -> int:
        """Tickets served in the period and scope: the population of Krejcie–Morgan."""
        qs = Ticket.objects.filter(
            status=Ticket.Status.DONE,
            service_day__gte=period.start,
            service_day__lte=period.end,
        )
        qs = self._narrow(
            qs, mall_field="mall", tenant_field="service__tenant", service_field="service"
        )
        return qs.count()

    def _narrow(self, qs: Any, *, mall_field: str, tenant_field: str, service_field: str) -> Any:
        if self.region is not None:
            qs = qs.filter(**{f"{mall_field}__region": self.region})
        if self.mall is not None:
            qs = qs.filter(**{mall_field: self.mall})
        if self.tenant is not None:
            qs = qs.filter(**{tenant_field: self.tenant})
        if self.service is not None:
            qs = qs.filter(**{service_field: self.service})
        return qs

    def questionnaire(self) -> Questionnaire | None:
        """The questionnaire in force for the scope (element names for reports), the same one
        `weights` reads; None when none is set."""
        if self.mall is None:
            return Questionnaire.objects.filter(is_active=True, mall=None, tenant=None).first()
        return Questionnaire.objects.in_force_for(self.mall, self.tenant)

    def weights(self) -> dict[str, Fraction]:
        """The weights of the questionnaire in force for the scope (the standard nine, 1/9
        each, for the regency as a whole or when none is set)."""
        if self.mall is None:
            found = Questionnaire.objects.filter(is_active=True, mall=None, tenant=None).first()
        else:
            found = Questionnaire.objects.in_force_for(self.mall, self.tenant)
        weights = found.weights() if found is not None else {}
        return weights or ikm.standard_weights()


def _aggregates(codes: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"respondents": Count("pk")}
    for code in codes:
        if code in STANDARD_CODES:
            expr: Any = code.lower()
        else:  # a unit's extra element, answered in the JSON column
            expr = Cast(KeyTextTransform(code, "extra_answers"), IntegerField())
        out[f"sum_{code}"] = Sum(expr)
        out[f"count_{code}"] = Count(expr)
    return out


def _tally_of(row: dict[str, Any], codes: Iterable[str]) -> ikm.Tally:
    tally = ikm.Tally(respondents=int(row["respondents"] or 0))
    for code in codes:
        tally.sums[code] = int(row[f"sum_{code}"] or 0)
        tally.counts[code] = int(row[f"count_{code}"] or 0)
    return tally


def tally(responses: QuerySet[Response], codes: Iterable[str] = STANDARD_CODES) -> ikm.Tally:
    """Sum and count per element over `responses`, in one aggregate query."""
    codes = list(codes)
    return _tally_of(responses.aggregate(**_aggregates(codes)), codes)


def tally_by(
    responses: QuerySet[Response], key: str, codes: Iterable[str] = STANDARD_CODES
) -> dict[Any, ikm.Tally]:
    """One tally per value of `key` (a field such as "mall_id" or "sex"), one GROUP BY query."""
    codes = list(codes)
    rows = responses.order_by().values(key).annotate(**_aggregates(codes))
    return {row[key]: _tally_of(row, codes) for row in rows}


def index_for(scope: Scope, period: Period, *, weights: str = ikm.EXACT) -> ikm.Index:
    """The index of a scope and period (exact weights unless a legacy option is asked for)."""
    chosen = scope.weights() if weights == ikm.EXACT else ikm.standard_weights(weights)
    return ikm.compute(tally(scope.responses(period), chosen), chosen)


@dataclass(frozen=True)
class SampleCheck:
    population: int
    required: int
    respondents: int

    @property
    def is_known(self) -> bool:
        """Without tickets served in the scope and period (paper sheets only, a unit outside
        the queue) there is no population to judge the sample against."""
        return self.population > 0

    @property
    def is_enough(self) -> bool:
        return self.is_known and self.respondents >= self.required


def sample_check(scope: Scope, period: Period, respondents: int) -> SampleCheck:
    """Respondents against Krejcie–Morgan for the tickets served in the scope and period."""
    population = scope.served(period)
    return SampleCheck(population, ikm.krejcie_morgan(population), respondents)


PROFILE_FIELDS = ("sex", "education", "occupation", "time_band")


def profile_breakdown(responses: QuerySet[Response]) -> dict[str, list[tuple[str, int]]]:
    """Respondents per value of each profile field (blank counted as "not stated"), and per
    age band, one GROUP BY query each."""
    out: dict[str, list[tuple[str, int]]] = {}
    for field in PROFILE_FIELDS:
        rows = responses.order_by().values(field).annotate(n=Count("pk")).order_by(field)
        out[field] = [(row[field] or "", int(row["n"])) for row in rows]
    bands = {
        "<20": Q(age__lt=20),
        "20-29": Q(age__gte=20, age__lt=30),
        "30-39": Q(age__gte=30, age__lt=40),
        "40-49": Q(age__gte=40, age__lt=50),
        "50-59": Q(age__gte=50, age__lt=60),
        "60+": Q(age__gte=60),
        "": Q(age__isnull=True),
    }
    counts = responses.aggregate(
        **{f"age_{k or 'none'}": Count("pk", filter=q) for k, q in bands.items()}
    )
    out["age"] = [(k, int(counts[f"age_{k or 'none'}"])) for k in bands]
    return out


def suggestions(responses: QuerySet[Response], limit: int = 200) -> list[str]:
    """The suggestions received (newest days first), without any other field of the response."""
    return list(
        responses.exclude(suggestion="")
        .order_by("-answered_on")
        .values_list("suggestion", flat=True)[:limit]
    )
