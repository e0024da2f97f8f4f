"""Demo staff accounts: one of each role, on Kukar's data. Never used in production."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.models import Tenant
from mpp.malls.models import District, Mall, Region
from mpp.rollout.models import Agency, AgencyMember

DEMO_PASSWORD = "demo-mpp-kukar"  # noqa: S105 - printed in the README; demo only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    description: str
    mall: str | None = None
    tenant: str | None = None
    officer_malls: tuple[str, ...] = ()
    superuser: bool = False
    agency: str | None = None  # an agency liaison's agency (rollout.yaml code)
    district: str | None = None  # a camat's liaison: the kecamatan's name


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin", Role.REGENCY_ADMIN, "Administrator kabupaten (DPMPTSP), superuser", superuser=True
    ),
    DemoAccount("pengawas.mpp", Role.MALL_SUPERVISOR, "Pengawas MPP Kukar", mall="mpp-kukar"),
    DemoAccount(
        "pengawas.loakulu",
        Role.MALL_SUPERVISOR,
        "Pengawas Mini MPP Loa Kulu",
        mall="mini-mpp-loa-kulu",
    ),
    DemoAccount(
        "petugas.dukcapil",
        Role.TENANT_OFFICER,
        "Petugas Disdukcapil di MPP Kukar dan Mini MPP Tenggarong Seberang",
        tenant="disdukcapil",
        officer_malls=("mpp-kukar", "mini-mpp-tenggarong-seberang"),
    ),
    DemoAccount(
        "petugas.imigrasi",
        Role.TENANT_OFFICER,
        "Petugas Imigrasi di MPP Kukar",
        tenant="imigrasi-samarinda",
        officer_malls=("mpp-kukar",),
    ),
    DemoAccount("pimpinan", Role.LEADERSHIP, "Pimpinan (Bupati, kepala dinas)"),
    DemoAccount(
        "pu", Role.AGENCY_LIAISON, "Penghubung Dinas PU (desain ruang, renovasi)", agency="dinas-pu"
    ),
    DemoAccount(
        "bkpsdm",
        Role.AGENCY_LIAISON,
        "Penghubung BKPSDM (pegawai Mini MPP, data pribadi)",
        agency="bkpsdm",
    ),
    DemoAccount(
        "diskominfo",
        Role.AGENCY_LIAISON,
        "Penghubung Diskominfo (jaringan, perangkat, Metapers)",
        agency="diskominfo",
    ),
    DemoAccount(
        "camat.loakulu",
        Role.AGENCY_LIAISON,
        "Penghubung Camat Loa Kulu (butir camat di Loa Kulu)",
        agency="camat",
        district="Loa Kulu",
    ),
    DemoAccount("auditor", Role.AUDITOR, "Auditor independen"),
]


def kiosk_accounts(region: Region) -> list[DemoAccount]:
    """One kiosk device per mall: kios-<mall slug>, e.g. kios-mpp-kukar."""
    return [
        DemoAccount(f"kios-{slug}", Role.KIOSK, f"Kios {name}", mall=slug)
        for slug, name in Mall.objects.filter(region=region).values_list("slug", "short_name")
    ]


def create_demo_accounts(region_slug: str = "kukar") -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; existing ones are left as they are."""
    user_model = get_user_model()
    region = Region.objects.get(slug=region_slug)
    created = []
    with transaction.atomic():
        for acc in [*DEMO_ACCOUNTS, *kiosk_accounts(region)]:
            if user_model.objects.filter(username=acc.username).exists():
                continue
            agency = None
            if acc.agency:
                # A liaison needs its agency: a region without rollout.yaml has none.
                agency = Agency.objects.filter(region=region, code=acc.agency).first()
                if agency is None:
                    continue
            user = user_model.objects.create_user(
                username=acc.username,
                password=DEMO_PASSWORD,
                is_staff=True,
                is_superuser=acc.superuser,
            )
            profile = StaffProfile.objects.create(
                user=user,
                role=acc.role,
                region=region,
                mall=Mall.objects.get(slug=acc.mall) if acc.mall else None,
                tenant=Tenant.objects.get(slug=acc.tenant) if acc.tenant else None,
            )
            if acc.officer_malls:
                profile.malls.set(Mall.objects.filter(slug__in=acc.officer_malls))
            if agency is not None:
                AgencyMember.objects.create(
                    user=user,
                    agency=agency,
                    district=(
                        District.objects.get(region=region, name=acc.district)
                        if acc.district
                        else None
                    ),
                )
            created.append(acc)
    return created
