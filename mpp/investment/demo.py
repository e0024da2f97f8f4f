"""A synthetic LKPM dataset for 2022 to September 2025, plainly labelled synthetic, whose totals
match the published figures (domain/investment.md): 2022 Rp9,78 T (mining about 58 %, 8 802
Indonesian and 52 foreign workers), Q1 2024 PMA USD 115,21 million in 66 projects, 2024 Rp16,4 T,
January–September 2025 Rp11 T. 2023 has no published figure here: Rp12,9 T is made up.

Companies are called "PT Sintetis …" so that nobody mistakes a row for a real investor. The rows
go through the same import as a real file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mpp.investment.actions import (
    ImportSummary,
    import_realizations,
    set_downstream_kbli,
    set_final_period,
)
from mpp.investment.models import DownstreamKbli, Target
from mpp.investment.sectors import DEFAULT_DOWNSTREAM
from mpp.malls.models import District, Region

SOURCE = "Data sintetis untuk demo (bukan data resmi DPMPTSP)"
T = 10**12
CENT = Decimal("0.01")

# Year → (total of approved reports in rupiah, quarters covered, mining share, cut-off date).
YEARS = {
    2022: (9_780_000_000_000, 4, 0.58, dt.date(2023, 1, 31)),
    2023: (12_900_000_000_000, 4, 0.56, dt.date(2024, 1, 31)),
    2024: (16_400_000_000_000, 4, 0.54, dt.date(2025, 1, 31)),
    2025: (11_000_000_000_000, 3, 0.49, dt.date(2025, 10, 31)),
}
USD_RATE = {2022: 14_850, 2023: 15_240, 2024: 14_930, 2025: 16_400}
QUARTER_WEIGHTS = (0.22, 0.25, 0.26, 0.27)
# Workers absorbed per year (2022 is published; the others are made up alike).
WORKERS = {2022: (8_802, 52), 2023: (9_400, 61), 2024: (10_150, 70), 2025: (8_750, 48)}

# Sector → (share of what is not mining, KBLIs, kecamatan where such projects are).
OTHER_SECTORS: dict[int, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    1: (0.30, ("01262", "01130", "01461"), ("Muara Kaman", "Kenohan", "Tabang", "Kota Bangun")),
    2: (0.07, ("02112", "02200"), ("Tabang", "Kembang Janggut", "Muara Wis")),
    3: (0.02, ("03221", "03111"), ("Muara Badak", "Anggana", "Marang Kayu")),
    5: (0.20, ("10431", "10432", "10771"), ("Samboja", "Muara Jawa", "Muara Kaman")),
    10: (0.07, ("20115", "20119"), ("Muara Jawa", "Samboja Barat")),
    13: (0.04, ("24202", "25111"), ("Muara Jawa", "Loa Janan")),
    17: (0.08, ("35101", "36000"), ("Tenggarong Seberang", "Loa Kulu", "Tenggarong")),
    18: (0.06, ("42101", "41011"), ("Tenggarong", "Loa Janan", "Sebulu")),
    19: (0.05, ("46691", "47111"), ("Tenggarong", "Loa Janan", "Samboja")),
    20: (0.02, ("55110", "56101"), ("Tenggarong", "Samboja")),
    21: (0.05, ("52101", "49431"), ("Muara Badak", "Anggana", "Sanga-Sanga")),
    22: (0.03, ("68111",), ("Tenggarong", "Tenggarong Seberang")),
    23: (0.01, ("85499", "86103"), ("Tenggarong",)),
}
MINING = (
    ("05100", "06100", "07291", "08104"),
    ("Loa Kulu", "Tenggarong Seberang", "Sanga-Sanga", "Muara Jawa", "Samboja", "Kembang Janggut"),
)
# Over the years processing grows: the 2026 policy shift has precursors.
PROCESSING_GROWTH = {2022: 1.0, 2023: 1.1, 2024: 1.25, 2025: 1.5}

HEADER = (
    "year,period,company,nib,status,kbli,sector,district_code,currency,amount,rate,"
    "workers_male,workers_female,workers_foreign,report_status"
).split(",")


@dataclass
class Company:
    name: str
    nib: str
    sector: int
    kbli: str
    district: str
    is_foreign: bool
    weight: float


def _companies(rng: random.Random, districts: dict[str, str]) -> list[Company]:
    out: list[Company] = []
    words = ("Energi", "Mahakam", "Lestari", "Nusantara", "Borneo", "Makmur", "Sejahtera", "Jaya")
    n = 0

    def add(sector: int, kblis: tuple[str, ...], places: tuple[str, ...], count: int) -> None:
        nonlocal n
        for _ in range(count):
            n += 1
            out.append(
                Company(
                    name=f"PT Sintetis {rng.choice(words)} {rng.choice(words)} {n:03d}",
                    nib=f"91{rng.randrange(10**10, 10**11)}",
                    sector=sector,
                    kbli=rng.choice(kblis),
                    district=districts[rng.choice(places)],
                    is_foreign=rng.random() < (0.6 if sector in (4, 5, 10, 13) else 0.25),
                    weight=rng.paretovariate(1.6),
                )
            )

    add(4, MINING[0], MINING[1], 70)
    for sector, (share, kblis, places) in OTHER_SECTORS.items():
        add(sector, kblis, places, max(3, round(share * 200)))
    return out


def synthetic_files(region: Region, seed: int = 2026) -> list[tuple[int, bytes, dt.date]]:
    """One canonical CSV per year: (year, file, cut-off)."""
    rng = random.Random(seed)
    districts = {d.name: d.code for d in District.objects.filter(region=region)}
    companies = _companies(rng, districts)
    files = []
    for year, (total, quarters, mining_share, cut_off) in YEARS.items():
        rows = _year_rows(rng, companies, year, total, quarters, mining_share)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows(rows)
        files.append((year, buffer.getvalue().encode(), cut_off))
    return files


def _year_rows(
    rng: random.Random,
    companies: list[Company],
    year: int,
    total: int,
    quarters: int,
    mining_share: float,
) -> list[list[object]]:
    rate = USD_RATE[year]
    growth = PROCESSING_GROWTH[year]
    weights = QUARTER_WEIGHTS[:quarters]
    quarter_totals = _split(total, weights)
    men_quarters = _split(WORKERS[year][0], weights)
    foreign_quarters = _split(WORKERS[year][1], weights)
    rows: list[list[object]] = []
    for q, q_total in enumerate(quarter_totals, start=1):
        active = [c for c in companies if rng.random() < 0.8]
        mining = [c for c in active if c.sector == 4]
        other = [c for c in active if c.sector != 4]
        amounts: dict[str, float] = {}
        for group, share in ((mining, mining_share), (other, 1 - mining_share)):
            weight = {c.nib: c.weight * (growth if c.sector in (5, 10, 13) else 1.0) for c in group}
            scale = q_total * share / sum(weight.values())
            amounts.update({nib: w * scale for nib, w in weight.items()})
        pma = {c.nib for c in active if c.is_foreign}
        if year == 2024 and q == 1:
            pma = _pin_q1_2024_pma(active, amounts)
        # Whole rupiah per row, the remainder on the largest rupiah row: the total is exact.
        idr = {c.nib: int(amounts[c.nib]) for c in active}
        biggest = max((c for c in active if c.nib not in pma), key=lambda c: idr[c.nib])
        usd_rows: dict[str, Decimal] = {}
        for c in active:
            if c.nib in pma:
                usd = (Decimal(idr[c.nib]) / rate).quantize(CENT)
                usd_rows[c.nib] = usd
                idr[c.nib] = int((usd * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        idr[biggest.nib] += q_total - sum(idr.values())
        workers = _spread(rng, men_quarters[q - 1], active, idr)
        foreign = _spread(rng, foreign_quarters[q - 1], active, idr)
        for c in active:
            men_and_women = workers[c.nib]
            women = round(men_and_women * 0.18)
            if c.nib in pma:
                currency, amount, row_rate = "USD", f"{usd_rows[c.nib]:.2f}", str(rate)
            else:
                currency, amount, row_rate = "IDR", str(idr[c.nib]), ""
            rows.append(
                [year, f"Q{q}", c.name, c.nib, "PMA" if c.nib in pma else "PMDN", c.kbli,
                 c.sector, c.district, currency, amount, row_rate, men_and_women - women, women,
                 foreign[c.nib], "Disetujui"]
            )  # fmt: skip
        # Reports still under review or sent back: they must not count.
        for c in rng.sample([c for c in companies if c not in active], 6):
            rows.append(
                [year, f"Q{q}", c.name, c.nib, "PMDN", c.kbli, c.sector, c.district, "IDR",
                 str(rng.randrange(10**9, 10**11)), "", 0, 0, 0,
                 rng.choice(("Diajukan", "Perlu Perbaikan"))]
            )  # fmt: skip
    return rows


def _pin_q1_2024_pma(active: list[Company], amounts: dict[str, float]) -> set[str]:
    """Q1 2024: PMA USD 115,21 million ≈ Rp1,72 T in 66 projects (published). Returns the
    quarter's PMA companies; the quarter's total stays as it was."""
    ranked = sorted(active, key=lambda c: (not c.is_foreign, -c.weight))
    pma = {c.nib for c in ranked[:66]}
    target = 115_210_000 * USD_RATE[2024]
    before = sum(amounts[nib] for nib in pma)
    rest = [c.nib for c in active if c.nib not in pma]
    rest_total = sum(amounts[nib] for nib in rest)
    spare = before - target
    for nib in pma:
        amounts[nib] *= target / before
    for nib in rest:
        amounts[nib] += spare * amounts[nib] / rest_total
    return pma


def _split(total: int, weights: tuple[float, ...]) -> list[int]:
    parts = [round(total * w / sum(weights)) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _spread(
    rng: random.Random, total: int, active: list[Company], idr: dict[str, int]
) -> dict[str, int]:
    """Workers in proportion to the money, as whole people summing to round(total)."""
    whole = total
    money = sum(idr.values())
    out = {c.nib: int(whole * idr[c.nib] / money) for c in active}
    rest = whole - sum(out.values())
    for c in rng.sample(active, rest):
        out[c.nib] += 1
    return out


def load_demo_investment(region: Region) -> list[ImportSummary]:
    """Import the synthetic years (replacing them if already there), mark them final, the
    default downstreaming list, and the published targets."""
    if not DownstreamKbli.objects.filter(region=region).exists():
        set_downstream_kbli(region=region, entries=list(DEFAULT_DOWNSTREAM), acting_user=None)
    summaries = [
        import_realizations(
            region=region,
            data=data,
            file_name=f"sintetis-lkpm-{year}.csv",
            source=SOURCE,
            cut_off=cut_off,
            acting_user=None,
            is_synthetic=True,
        )
        for year, data, cut_off in synthetic_files(region)
    ]
    # The demo's reports of each year are all in: every quarter imported is final.
    for year, (_total, quarters, _mining, _cut_off) in YEARS.items():
        set_final_period(region=region, year=year, through=quarters, acting_user=None)
    for year in range(2022, 2027):
        Target.objects.update_or_create(
            region=region,
            year=year,
            level=Target.Level.REGENCY,
            defaults={
                "amount_idr": 3 * T if year == 2022 else 7_800_000_000_000,
                "source": "RPJMD Kukar (target Rp7,8 T per tahun); 2022: target Rp3 T"
                if year != 2022
                else "Target 2022 yang diumumkan DPMPTSP (Rp3 T)",
            },
        )
    return summaries
