"""The 23 sectors of national investment reporting (BKPM), in their three groups, and the default
extractive classification (../shared/domain/investment.md). There is no official "extractive" flag:
the default below is what DPMPTSP starts from and may change per regency."""

from __future__ import annotations

from typing import NamedTuple


class SectorRow(NamedTuple):
    number: int
    name: str
    group: str  # primer | sekunder | tersier
    nature: str  # ekstraktif | berbasis_sumber_daya | non_ekstraktif


SECTORS: tuple[SectorRow, ...] = (
    SectorRow(1, "Tanaman Pangan, Perkebunan, dan Peternakan", "primer", "berbasis_sumber_daya"),
    SectorRow(2, "Kehutanan", "primer", "berbasis_sumber_daya"),
    SectorRow(3, "Perikanan", "primer", "non_ekstraktif"),
    SectorRow(4, "Pertambangan", "primer", "ekstraktif"),
    SectorRow(5, "Industri Makanan", "sekunder", "non_ekstraktif"),
    SectorRow(6, "Industri Tekstil", "sekunder", "non_ekstraktif"),
    SectorRow(7, "Industri Barang dari Kulit dan Alas Kaki", "sekunder", "non_ekstraktif"),
    SectorRow(8, "Industri Kayu", "sekunder", "non_ekstraktif"),
    SectorRow(9, "Industri Kertas dan Percetakan", "sekunder", "non_ekstraktif"),
    SectorRow(10, "Industri Kimia dan Farmasi", "sekunder", "non_ekstraktif"),
    SectorRow(11, "Industri Karet dan Plastik", "sekunder", "non_ekstraktif"),
    SectorRow(12, "Industri Mineral Non Logam", "sekunder", "non_ekstraktif"),
    SectorRow(
        13,
        "Industri Logam Dasar, Barang Logam, Bukan Mesin dan Peralatannya",
        "sekunder",
        "non_ekstraktif",
    ),
    SectorRow(
        14,
        "Industri Mesin, Elektronik, Instrumen Kedokteran, Peralatan Listrik, Presisi, Optik "
        "dan Jam",
        "sekunder",
        "non_ekstraktif",
    ),
    SectorRow(
        15, "Industri Kendaraan Bermotor dan Alat Transportasi Lain", "sekunder", "non_ekstraktif"
    ),
    SectorRow(16, "Industri Lainnya", "sekunder", "non_ekstraktif"),
    SectorRow(17, "Listrik, Gas dan Air", "tersier", "non_ekstraktif"),
    SectorRow(18, "Konstruksi", "tersier", "non_ekstraktif"),
    SectorRow(19, "Perdagangan dan Reparasi", "tersier", "non_ekstraktif"),
    SectorRow(20, "Hotel dan Restoran", "tersier", "non_ekstraktif"),
    SectorRow(21, "Transportasi, Gudang dan Telekomunikasi", "tersier", "non_ekstraktif"),
    SectorRow(22, "Perumahan, Kawasan Industri dan Perkantoran", "tersier", "non_ekstraktif"),
    SectorRow(23, "Jasa Lainnya", "tersier", "non_ekstraktif"),
)

# KBLI 2020 divisions (two digits, the ISIC Rev. 4 divisions) a sector's KBLI may start with.
# A row whose KBLI does not belong to its sector is refused: it is a typo in one of the two.
SECTOR_DIVISIONS: dict[int, frozenset[str]] = {
    1: frozenset({"01"}),
    2: frozenset({"02"}),
    3: frozenset({"03"}),
    4: frozenset({"05", "06", "07", "08", "09"}),
    5: frozenset({"10", "11", "12"}),
    6: frozenset({"13", "14"}),
    7: frozenset({"15"}),
    8: frozenset({"16"}),
    9: frozenset({"17", "18", "58"}),
    10: frozenset({"19", "20", "21"}),
    11: frozenset({"22"}),
    12: frozenset({"23"}),
    13: frozenset({"24", "25"}),
    14: frozenset({"26", "27", "28", "32", "33"}),
    15: frozenset({"29", "30"}),
    16: frozenset({"31", "32", "33"}),
    17: frozenset({"35", "36", "37", "38", "39"}),
    18: frozenset({"41", "42", "43"}),
    19: frozenset({"45", "46", "47"}),
    20: frozenset({"55", "56"}),
    21: frozenset({"49", "50", "51", "52", "53", "61"}),
    22: frozenset({"68", "41"}),
    23: frozenset(
        {
            "59", "60", "62", "63", "64", "65", "66", "69", "70", "71", "72", "73", "74", "75",
            "77", "78", "79", "80", "81", "82", "85", "86", "87", "88", "90", "91", "92", "93",
            "94", "95", "96",
        }
    ),
}  # fmt: skip

# Downstreaming (hilirisasi) cuts across sectors: a KBLI prefix is tagged, not a sector. This is the
# default list (domain/investment.md): mineral smelting and refining, coal processing, palm oil to
# CPO and oleochemicals, pulp and paper, petrochemicals. DPMPTSP edits it.
DEFAULT_DOWNSTREAM: tuple[tuple[str, str], ...] = (
    ("10431", "Minyak kelapa sawit (CPO)"),
    ("10432", "Minyak goreng kelapa sawit"),
    ("10437", "Olein, stearin, dan minyak sawit lainnya"),
    ("17011", "Bubur kertas (pulp)"),
    ("1701", "Kertas dan bubur kertas"),
    ("1920", "Pengilangan minyak bumi dan batu bara olahan"),
    ("2011", "Kimia dasar organik dari migas dan batu bara (petrokimia)"),
    ("20115", "Oleokimia dasar"),
    ("2410", "Besi dan baja dasar (smelter)"),
    ("2420", "Logam dasar bukan besi (nikel, aluminium, tembaga)"),
)


def ensure_sectors() -> None:
    """Create the 23 sectors where missing (the migration does it; a flushed test database, or
    an operator's `mpp flush`, loses them)."""
    from mpp.investment.models import Sector

    if Sector.objects.count() == len(SECTORS):
        return
    for row in SECTORS:
        Sector.objects.update_or_create(
            number=row.number, defaults={"name": row.name, "group": row.group}
        )
