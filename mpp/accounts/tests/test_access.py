"""The access helpers: who may see and change which mall and tenant."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.access import access_service, tenants_editable_by, tenants_visible_to
from mpp.malls.access import (
    access_mall_for_edit,
    access_public_mall,
    malls_editable_by,
    malls_visible_to,
)
from mpp.malls.models import Mall

UJI_MALLS = {"mpp-uji", "mini-mpp-uji-hilir"}


def test_the_regency_admin_edits_every_mall_and_tenant_of_their_region(kukar, uji):
    from mpp.accounts.tests.factories import make_staff

    admin = make_staff(Role.REGENCY_ADMIN, username="admin.uji", region="uji")
    assert {m.slug for m in malls_editable_by(admin)} == UJI_MALLS  # none of Kukar's
    assert {t.slug for t in tenants_editable_by(admin)} == {
        "dukcapil-uji",
        "pajak-uji",
        "imigrasi-uji",
    }


def test_a_supervisor_edits_only_their_mall(cast, mall_loakulu, mall_mpp):
    supervisor = cast.supervisor_loakulu()
    assert list(malls_editable_by(supervisor)) == [mall_loakulu]
    assert access_mall_for_edit(supervisor, mall_loakulu.pk) == mall_loakulu
    with pytest.raises(PermissionDenied):
        access_mall_for_edit(supervisor, mall_mpp.pk)
    with pytest.raises(Http404):
        access_mall_for_edit(supervisor, 999999)
    assert not tenants_editable_by(supervisor).exists()


def test_an_officer_sees_their_malls_and_tenant_but_edits_nothing(cast, mall_loakulu, mall_mpp):
    officer = cast.officer_dukcapil()
    assert set(malls_visible_to(officer)) == {mall_loakulu, mall_mpp}
    assert [t.slug for t in tenants_visible_to(officer)] == ["disdukcapil"]
    assert not malls_editable_by(officer).exists()
    with pytest.raises(PermissionDenied):
        access_mall_for_edit(officer, mall_mpp.pk)


@pytest.mark.parametrize("who", [Role.LEADERSHIP, Role.AUDITOR])
def test_leadership_and_auditors_read_the_whole_region_and_edit_nothing(kukar, uji, who):
    from mpp.accounts.tests.factories import make_staff

    person = make_staff(who, username=f"{who}.uji", region="uji")
    assert {m.slug for m in malls_visible_to(person)} == UJI_MALLS  # none of Kukar's
    assert not malls_editable_by(person).exists()


def test_outsiders_and_inactive_staff_get_nothing(cast, mall_mpp):
    outsider = cast.outsider()
    assert staff_profile(outsider) is None
    assert not malls_visible_to(outsider).exists()
    supervisor = cast.supervisor_mpp()
    supervisor.is_active = False
    supervisor.save()
    with pytest.raises(PermissionDenied):
        access_mall_for_edit(supervisor, mall_mpp.pk)


def test_public_lookups_404_on_unknown_objects(kukar):
    with pytest.raises(Http404):
        access_public_mall(slug="tidak-ada")
    with pytest.raises(Http404):
        access_service(999999)


@pytest.mark.parametrize(
    ("role", "mall", "tenant", "field"),
    [
        (Role.MALL_SUPERVISOR, None, None, "mall"),
        (Role.TENANT_OFFICER, None, None, "tenant"),
        (Role.LEADERSHIP, "mpp-kukar", None, "mall"),
        (Role.AUDITOR, None, "disdukcapil", "tenant"),
    ],
)
def test_a_role_must_match_its_scope(kukar, role, mall, tenant, field):
    from mpp.accounts.tests.factories import UserFactory
    from mpp.catalog.models import Tenant

    profile = StaffProfile(
        user=UserFactory(),
        role=role,
        region=kukar,
        mall=Mall.objects.get(slug=mall) if mall else None,
        tenant=Tenant.objects.get(slug=tenant) if tenant else None,
    )
    with pytest.raises(ValidationError) as caught:
        profile.full_clean()
    assert field in caught.value.message_dict
