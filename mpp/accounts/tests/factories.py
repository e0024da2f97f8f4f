"""The named cast of the tests: one person per role, on Kukar's data."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from mpp.accounts.models import Role, StaffProfile
from mpp.catalog.models import Tenant
from mpp.malls.models import Mall, Region

PASSWORD = "kata-sandi-uji-123"  # noqa: S105 - tests only


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"petugas{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


def make_staff(
    role: str,
    *,
    mall: str | None = None,
    tenant: str | None = None,
    malls: tuple[str, ...] = (),
    username: str | None = None,
    region: str = "kukar",
) -> object:
    """A user with a staff profile of `role` in `region`, scoped by mall/tenant slugs."""
    if username:
        existing = get_user_model().objects.filter(username=username).first()
        if existing is not None:  # the cast is one person per role, however often asked for
            return existing
    user = UserFactory(**({"username": username} if username else {}))
    profile = StaffProfile.objects.create(
        user=user,
        role=role,
        region=Region.objects.get(slug=region),
        mall=Mall.objects.get(slug=mall) if mall else None,
        tenant=Tenant.objects.get(slug=tenant) if tenant else None,
    )
    if malls:
        profile.malls.set(Mall.objects.filter(slug__in=malls))
    return user


class Cast:
    """Lazily created people: cast.supervisor_loakulu, cast.officer_dukcapil, ..."""

    def regency_admin(self) -> object:
        return make_staff(Role.REGENCY_ADMIN, username="admin.kabupaten")

    def supervisor_mpp(self) -> object:
        return make_staff(Role.MALL_SUPERVISOR, mall="mpp-kukar", username="pengawas.mpp")

    def supervisor_loakulu(self) -> object:
        return make_staff(
            Role.MALL_SUPERVISOR, mall="mini-mpp-loa-kulu", username="pengawas.loakulu"
        )

    def officer_dukcapil(self) -> object:
        return make_staff(
            Role.TENANT_OFFICER,
            tenant="disdukcapil",
            malls=("mpp-kukar", "mini-mpp-loa-kulu"),
            username="petugas.dukcapil",
        )

    def officer_imigrasi(self) -> object:
        return make_staff(
            Role.TENANT_OFFICER,
            tenant="imigrasi-samarinda",
            malls=("mpp-kukar",),
            username="petugas.imigrasi",
        )

    def leadership(self) -> object:
        return make_staff(Role.LEADERSHIP, username="pimpinan")

    def auditor(self) -> object:
        return make_staff(Role.AUDITOR, username="auditor")

    def outsider(self) -> object:
        """A signed-in user with no staff role (e.g. a deactivated role or a citizen account)."""
        return UserFactory(username="orang.luar", is_staff=False)


def token_for(client, user) -> str:  # type: ignore[no-untyped-def]
    """An API token of `user` (made with the factories' password), through the API itself."""
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    return str(response.json()["token"])


def bearer(token: str) -> dict[str, str]:
    """The test client's keyword arguments that send `token` as a bearer token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
