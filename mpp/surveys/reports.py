"""The survey report a unit files (PermenPAN-RB 14/2017): its figures (report_files writes them
as XLSX and PDF), and the public transparency page's figures.

Every number comes from SQL aggregates (`queries.tally`, `tally_by`) fed to `ikm.compute`, the
same path as `queries.index_for`, the API and `mpp ikm compute`: a report and an audit of its
raw export agree to the last decimal. Nothing here loops over responses in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet
from django.db.models.functions import Cast, ExtractQuarter, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.catalog.models import Service, Tenant
from mpp.malls.models import Mall
from mpp.surveys import charts, ikm, queries
from mpp.surveys.charts import decimal_id
from mpp.surveys.models import FollowUpAction, Response
from mpp.surveys.queries import Period, SampleCheck, Scope

RULE = "PermenPAN-RB No. 14 Tahun 2017"
WEAKEST = 3
PUBLIC_QUARTERS = 8


def _element_order(code: str) -> tuple[int, str]:
    """U1 … U9, U10 …: the regulation's order, not the printed form's (which swaps U8/U9)."""
    digits = code[1:]
    return (int(digits) if digits.isdigit() else 10**6, code)


def weight_text(weight: Fraction) -> str:
    """1/9 as "1/9"; a legacy rounded weight as written in old spreadsheets ("0,111")."""
    if weight.denominator in (10, 100, 1000, 10000):
        places = len(str(weight.denominator)) - 1
        return decimal_id(Decimal(weight.numerator) / weight.denominator, places)
    return f"{weight.numerator}/{weight.denominator}"


@dataclass(frozen=True)
class ElementRow:
    """One element's figures: the tally behind its NRR, so a reader can redo the division."""

    code: str
    name: str
    weight: Fraction
    total: int  # the sum of the scores given
    answered: int  # respondents who answered this element (blanks are not zeros)
    nrr: Fraction | None

    @property
    def nrr4(self) -> Decimal | None:
        return None if self.nrr is None else ikm.round_half_up(self.nrr, 4)

    @property
    def score(self) -> Decimal | None:
        """NRR × 25 to two decimals: the element on the converted scale, graded like the index."""
        return None if self.nrr is None else ikm.round_half_up(self.nrr * 25)

    @property
    def mutu(self) -> str:
        return "" if self.score is None else ikm.grade_of(self.score)[0]

    @property
    def kinerja(self) -> str:
        return "" if self.score is None else ikm.grade_of(self.score)[1]

    @property
    def nrr_text(self) -> str:
        return decimal_id(self.nrr4, 4)

    @property
    def score_text(self) -> str:
        return decimal_id(self.score)

    @property
    def weight_text(self) -> str:
        return weight_text(self.weight)


@dataclass(frozen=True)
class GroupRow:
    """One mall, tenant or service in the comparison table."""

    label: str
    index: ikm.Index
    query: str = ""  # the results page's parameters for this group, when it has a page

    @property
    def ikm_text(self) -> str:
        return decimal_id(
            None if self.index.ikm is None else ikm.round_half_up(self.index.ikm, 4), 4
        )

    @property
    def score_text(self) -> str:
        return decimal_id(self.index.score)


@dataclass(frozen=True)
class ProfileTable:
    key: str
    title: str
    rows: list[tuple[str, int, float]]  # (label, respondents, share of respondents 0–1)


@dataclass
class Report:
    scope: Scope
    period: Period
    weights_option: str
    title: str
    index: ikm.Index
    elements: list[ElementRow]
    sample: SampleCheck
    profile: list[ProfileTable]
    channels: list[tuple[str, int]]
    comparison_title: str
    comparison: list[GroupRow]
    suggestions: list[str]
    follow_ups: list[FollowUpAction]
    codes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_legacy(self) -> bool:
        return self.weights_option != ikm.EXACT

    @property
    def weakest(self) -> list[ElementRow]:
        """The lowest elements on the converted scale (ties by code), as `Index.weakest`."""
        by_code = {row.code: row for row in self.elements}
        return [by_code[code] for code, _score in self.index.weakest(WEAKEST)]

    @property
    def ikm4(self) -> Decimal | None:
        return None if self.index.ikm is None else ikm.round_half_up(self.index.ikm, 4)

    @property
    def ikm_text(self) -> str:
        return decimal_id(self.ikm4, 4)

    @property
    def score_text(self) -> str:
        return decimal_id(self.index.score)

    @property
    def legacy_weight_text(self) -> str:
        option = ikm.LEGACY_WEIGHTS.get(self.weights_option)
        return "" if option is None else weight_text(option)

    @property
    def weights_label(self) -> str:
        if self.is_legacy:
            return _("bobot dibulatkan %(w)s per unsur — hanya untuk rekonsiliasi") % {
                "w": self.legacy_weight_text
            }
        return _("bobot tepat 1/9 per unsur (pecahan eksak)")

    def chart(self) -> Any:
        return charts.element_bars(
            [(row.code, row.name, row.score) for row in self.elements],
            label=_("Nilai unsur (NRR × 25), %(p)s") % {"p": self.period.label},
        )


def scope_title(scope: Scope) -> str:
    """The scope's name: "MPP Kukar — Disdukcapil", or the regency's for the whole regency."""
    if scope.mall is None:
        name = scope.region.name if scope.region is not None else _("Seluruh kabupaten")
        parts = [name]
    else:
        parts = [scope.mall.name]
    if scope.tenant is not None:
        parts.append(scope.tenant.short_name)
    if scope.service is not None:
        parts.append(scope.service.name)
    return " — ".join(parts)


def _elements(
    scope: Scope, weights: dict[str, Fraction], tally: ikm.Tally, index: ikm.Index
) -> list[ElementRow]:
    questionnaire = scope.questionnaire()
    names = {e.code: e.name for e in questionnaire.elements.all()} if questionnaire else {}
    return [
        ElementRow(
            code=code,
            name=names.get(code, code),
            weight=weights[code],
            total=tally.sums.get(code, 0),
            answered=tally.counts.get(code, 0),
            nrr=index.nrr.get(code),
        )
        for code in sorted(weights, key=_element_order)
    ]


def chosen_weights(scope: Scope, option: str) -> dict[str, Fraction]:
    """The questionnaire's exact weights, or the labelled legacy rounding (nine elements)."""
    return scope.weights() if option == ikm.EXACT else ikm.standard_weights(option)


PROFILE_TITLES: dict[str, tuple[Any, dict[str, Any]]] = {
    "sex": (gettext_lazy("Jenis kelamin"), dict(Response.Sex.choices)),
    "age": (gettext_lazy("Usia"), {}),
    "education": (gettext_lazy("Pendidikan"), dict(Response.Education.choices)),
    "occupation": (gettext_lazy("Pekerjaan"), dict(Response.Occupation.choices)),
    "time_band": (gettext_lazy("Waktu survei"), dict(Response.TimeBand.choices)),
}
AGE_LABELS = {"<20": "< 20", "60+": "≥ 60"}


def _profile(responses: QuerySet[Response], respondents: int) -> list[ProfileTable]:
    tables = []
    breakdown = queries.profile_breakdown(responses)
    for key in ("sex", "age", "education", "occupation", "time_band"):
        title, labels = PROFILE_TITLES[key]
        rows = []
        for value, n in breakdown.get(key, []):
            if key == "age" and not n:
                continue
            if not value:
                label = _("Tidak diisi")
            elif key == "age":
                label = AGE_LABELS.get(value, value.replace("-", "–"))
            else:
                label = str(labels.get(value, value))
            rows.append((label, n, n / respondents if respondents else 0.0))
        blank = str(_("Tidak diisi"))
        if labels:  # in the order of the choices (education by level: SD … S3), not A–Z
            order = {str(label): i for i, label in enumerate(labels.values())}
            rows.sort(key=lambda row: order.get(row[0], len(order)))
        rows.sort(key=lambda row: row[0] == blank)  # stable: "not stated" last, order kept
        tables.append(ProfileTable(key, str(title), rows))
    return tables


def _channels(responses: QuerySet[Response]) -> list[tuple[str, int]]:
    labels = dict(Response.Channel.choices)
    rows = responses.order_by().values("channel").annotate(n=Count("pk")).order_by("channel")
    return [(str(labels.get(r["channel"], r["channel"])), int(r["n"])) for r in rows]


def _comparison(
    scope: Scope, responses: QuerySet[Response], weights: dict[str, Fraction], base_query: str
) -> tuple[str, list[GroupRow]]:
    """Per mall for the regency, per tenant for a mall, per service for a tenant: one GROUP BY
    and one query for the names. Every group is computed with the scope's weights."""
    codes = list(weights)
    key: str
    names: dict[Any, str]
    if scope.mall is None:
        title, key = _("Per mal"), "mall_id"
        tallies = queries.tally_by(responses, key, codes)
        found = Mall.objects.in_bulk([k for k in tallies if k is not None])
        names = {k: m.name for k, m in found.items()}
        tenant = f"&tenant={scope.tenant.pk}" if scope.tenant is not None else ""
        links = {k: f"mall={k}{tenant}" for k in found}
    elif scope.tenant is None:
        title, key = _("Per instansi"), "tenant_id"
        tallies = queries.tally_by(responses, key, codes)
        tenants = Tenant.objects.in_bulk([k for k in tallies if k is not None])
        names = {k: t.short_name for k, t in tenants.items()}
        links = {k: f"mall={scope.mall.pk}&tenant={k}" for k in tenants}
    else:
        title, key = _("Per layanan"), "service_id"
        tallies = queries.tally_by(responses, key, codes)
        services = Service.objects.in_bulk([k for k in tallies if k is not None])
        names = {k: s.name for k, s in services.items()}
        assert scope.mall is not None
        links = {k: f"mall={scope.mall.pk}&tenant={scope.tenant.pk}&service={k}" for k in services}
    rows = [
        GroupRow(
            label=names.get(k, _("Tidak disebut")),
            index=ikm.compute(t, weights),
            query=f"{links[k]}&{base_query}" if k in links else "",
        )
        for k, t in tallies.items()
    ]
    rows.sort(key=lambda r: r.label)
    return str(title), rows


def follow_ups(scope: Scope, period: Period) -> list[FollowUpAction]:
    """The follow-up plan lines of the scope whose period overlaps `period`: a tenant's lines
    with the mall-wide ones; a mall's with all its tenants'; the regency's every mall's."""
    qs = FollowUpAction.objects.select_related("mall", "tenant").filter(
        period_start__lte=period.end, period_end__gte=period.start
    )
    if scope.mall is not None:
        qs = qs.filter(mall=scope.mall)
    elif scope.region is not None:
        qs = qs.filter(mall__region=scope.region)
    if scope.tenant is not None:
        qs = qs.filter(Q(tenant=scope.tenant) | Q(tenant__isnull=True))
    return list(qs.order_by("mall__name", "deadline", "pk"))


def build_report(
    scope: Scope, period: Period, *, weights: str = ikm.EXACT, base_query: str = ""
) -> Report:
    """Every figure of the report of `scope` over `period`: about fifteen queries, whatever
    the number of responses. `base_query` is the period's URL parameters, for the links of
    the comparison table."""
    chosen = chosen_weights(scope, weights)
    responses = scope.responses(period)
    tally = queries.tally(responses, chosen)
    index = ikm.compute(tally, chosen)  # what queries.index_for returns, with the tally kept
    elements = _elements(scope, chosen, tally, index)
    comparison_title, comparison = _comparison(scope, responses, chosen, base_query)
    return Report(
        scope=scope,
        period=period,
        weights_option=weights,
        title=scope_title(scope),
        index=index,
        elements=elements,
        sample=queries.sample_check(scope, period, index.respondents),
        profile=_profile(responses, index.respondents),
        channels=_channels(responses),
        comparison_title=comparison_title,
        comparison=comparison,
        suggestions=queries.suggestions(responses),
        follow_ups=follow_ups(scope, period),
        codes=[(row.code, f"{row.code} {row.name}") for row in elements],
    )


# --- The public transparency page ----------------------------------------------------------


@dataclass(frozen=True)
class QuarterFigure:
    period: Period
    short: str  # "TW3 2026"
    index: ikm.Index
    is_running: bool

    @property
    def score_text(self) -> str:
        return decimal_id(self.index.score)

    @property
    def ikm_text(self) -> str:
        value = self.index.ikm
        return decimal_id(None if value is None else ikm.round_half_up(value, 4), 4)


@dataclass(frozen=True)
class PublicOverview:
    mall: Mall
    quarters: list[QuarterFigure]  # oldest first; the last one is the running quarter
    elements: list[ElementRow]  # of the latest complete quarter
    follow_ups: list[FollowUpAction]
    suggestions_received: int  # in the latest complete quarter: a count, never the text

    @property
    def latest(self) -> QuarterFigure:
        return self.quarters[-2]

    @property
    def running(self) -> QuarterFigure:
        return self.quarters[-1]

    def chart(self) -> Any:
        return charts.trend(
            [(q.short, q.index.score, q.is_running) for q in self.quarters],
            label=_("Nilai IKM per triwulan, %(m)s") % {"m": self.mall.name},
        )


def quarters_through(today: dt.date, count: int) -> list[Period]:
    """The `count` quarters ending with the one holding `today`, oldest first."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _i in range(count):
        found.append(queries.period_of("quarter", year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found[::-1]


def public_overview(mall: Mall, today: dt.date) -> PublicOverview:
    """A mall's last eight quarters (the running one provisional), with one GROUP BY over
    year and quarter; the NRR per element and the plan of the latest complete quarter."""
    scope = Scope(mall=mall)
    weights = scope.weights()
    periods = quarters_through(today, PUBLIC_QUARTERS)
    window = Period(periods[0].start, periods[-1].end, "")
    responses = scope.responses(window).annotate(
        quarter_key=Cast(
            ExtractYear("answered_on") * 10 + ExtractQuarter("answered_on"), IntegerField()
        )
    )
    tallies = queries.tally_by(responses, "quarter_key", list(weights))
    quarters = []
    for i, period in enumerate(periods):
        q = (period.start.month - 1) // 3 + 1
        tally = tallies.get(period.start.year * 10 + q, ikm.Tally())
        quarters.append(
            QuarterFigure(
                period=period,
                short=f"TW{q} {period.start.year}",
                index=ikm.compute(tally, weights),
                is_running=i == len(periods) - 1,
            )
        )
    latest = periods[-2]
    latest_tally = tallies.get(latest.start.year * 10 + (latest.start.month - 1) // 3 + 1)
    tally = latest_tally or ikm.Tally()
    return PublicOverview(
        mall=mall,
        quarters=quarters,
        elements=_elements(scope, weights, tally, quarters[-2].index),
        follow_ups=list(
            FollowUpAction.objects.select_related("tenant")
            .filter(mall=mall, period_end__gte=window.start)
            .order_by("-period_start", "deadline", "pk")
        ),
        suggestions_received=scope.responses(latest).exclude(suggestion="").count(),
    )
