"""People and rows of the staff roster's tests (test_roster*, test_admin, the browser test):
a BKPSDM liaison, a Dinas PU liaison, staff members with a domicile, on Kukar's data."""

from __future__ import annotations

import itertools

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.malls.models import Mall, Region, Village
from mpp.rollout import models as m

_seq = itertools.count(1)

# Valid NIPs: born 12 March 1985, TMT as CPNS January 2010, male, sequence 001...
PNS_NIP = "198503122010011001"
PPPK_NIP = "199001152021212002"  # NI PPPK: "21" where a PNS's TMT month is


def kukar() -> Region:
    return Region.objects.get(slug="kukar")


def clear_roster(region: Region) -> None:
    """Start from no staff of the region (whatever the loader or the demo made)."""
    m.Assignment.objects.filter(member__region=region).delete()
    m.StaffMember.objects.filter(region=region).delete()


def agency(region: Region, code: str, name: str, *, manages_staff: bool = False) -> m.Agency:
    found, _created = m.Agency.objects.get_or_create(
        region=region,
        code=code,
        defaults={"name": name, "short_name": name, "manages_staff": manages_staff},
    )
    if found.manages_staff != manages_staff:
        found.manages_staff = manages_staff
        found.save(update_fields=["manages_staff"])
    return found


def liaison(username: str, agency_code: str, *, manages_staff: bool = False) -> object:
    """A staff user of role agency_liaison acting for the agency `agency_code` of Kukar."""
    user = make_staff(Role.AGENCY_LIAISON, username=username)
    office = agency(kukar(), agency_code, agency_code.upper(), manages_staff=manages_staff)
    m.AgencyMember.objects.update_or_create(user=user, defaults={"agency": office})
    return user


def bkpsdm() -> object:
    return liaison("bkpsdm.uji", "bkpsdm", manages_staff=True)


def dinas_pu() -> object:
    return liaison("pu.uji", "dinas-pu")


def village(code: str) -> Village:
    return Village.objects.select_related("district").get(code=code)


def loa_kulu_village() -> Village:
    return village("64.02.02.2004")  # Loa Kulu Kota, Kecamatan Loa Kulu


def tenggarong_village() -> Village:
    return village("64.02.06.1001")  # Jahab, Kecamatan Tenggarong


def mini(slug: str) -> Mall:
    return Mall.objects.select_related("district").get(slug=slug)


def member(
    *, village: Village | None = None, nip: str = "", employment: str = "honorer", name: str = ""
) -> m.StaffMember:
    return m.StaffMember.objects.create(
        region=kukar(),
        full_name=name or f"Pegawai Uji {next(_seq)}",
        nip=nip,
        employment=employment,
        domicile_village=village or loa_kulu_village(),
    )
