"""The marriage fee in words, one home for every screen and paper (couple's page, receipt, KUA
pages, report): its amount and legal basis (PP 48/2014 jo. PP 59/2018), and who bears it.

PNBP that is due is paid by someone: where a third party pays, the word is "ditanggung", never
"gratis" or "dibebaskan" (../shared/domain/marriage.md); a regency cannot waive state revenue.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mpp.malls.models import Region
from mpp.programs.models import TARIFF_IDR, FeeBearer, Programme, Registration, TariffBasis


def rupiah(amount: int) -> str:
    """Rp600.000 (the dot groups thousands in Indonesian)."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def bearer_words(bearer: str, *, region: Region, sponsor: str = "") -> str:
    """Who bears the fee, as in "ditanggung <this>"."""
    if bearer == FeeBearer.REGENCY:
        return _("Pemerintah %(r)s") % {"r": region.name}
    if bearer == FeeBearer.BAZNAS:
        return _("Baznas")
    if bearer == FeeBearer.SPONSOR:
        return sponsor or _("sponsor")
    return _("pasangan sendiri")


def fee_line(*, basis: str, amount: int, bearer: str, region: Region, sponsor: str = "") -> str:
    """One sentence on the marriage fee: its amount and basis, and who bears it."""
    if amount == 0:
        return _("Biaya nikah Rp0: %(basis)s.") % {"basis": _basis_words(basis)}
    if bearer == FeeBearer.COUPLE:
        return _(
            "Biaya PNBP %(fee)s per pasangan (%(basis)s) dibayar pasangan melalui bank; simpan "
            "bukti setornya."
        ) % {"fee": rupiah(amount), "basis": _basis_words(basis)}
    return _("Biaya PNBP %(fee)s per pasangan (%(basis)s) ditanggung %(who)s.") % {
        "fee": rupiah(amount),
        "basis": _basis_words(basis),
        "who": bearer_words(bearer, region=region, sponsor=sponsor),
    }


def _basis_words(basis: str) -> str:
    words: dict[str, str] = {
        TariffBasis.KUA_HOURS: _("akad di kantor KUA pada jam kerja"),
        TariffBasis.OUTSIDE: _("akad di luar kantor KUA atau di luar jam kerja"),
        TariffBasis.SKTM: _("dengan surat keterangan tidak mampu"),
        TariffBasis.DISASTER: _("bagi korban bencana alam"),
    }
    return words.get(basis, basis)


def programme_fee_line(programme: Programme) -> str:
    return fee_line(
        basis=programme.tariff_basis,
        amount=TARIFF_IDR[programme.tariff_basis],  # type: ignore[index]
        bearer=programme.fee_bearer,
        region=programme.region,
        sponsor=programme.sponsor_name,
    )


def registration_fee_line(registration: Registration) -> str:
    return fee_line(
        basis=registration.tariff_basis,
        amount=registration.fee_idr,
        bearer=registration.fee_bearer,
        region=registration.programme.region,
        sponsor=registration.sponsor_name,
    )


def fee_short(registration: Registration) -> str:
    """The fee in a few words for staff lists: "Rp600.000 ditanggung Baznas", "Rp0 — …"."""
    if registration.fee_idr == 0:
        return _("Rp0 — %(b)s") % {"b": TariffBasis(registration.tariff_basis).label}
    if registration.fee_bearer == FeeBearer.COUPLE:
        who = _("dibayar pasangan sendiri")
    else:
        who = _("ditanggung %(who)s") % {
            "who": bearer_words(
                registration.fee_bearer,
                region=registration.programme.region,
                sponsor=registration.sponsor_name,
            )
        }
    return f"{rupiah(registration.fee_idr)} {who}"
