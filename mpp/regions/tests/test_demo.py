"""`mpp demo --no-serve`: sets up once, keeps the data and staff edits when run again."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command

from mpp.accounts.models import Role, StaffProfile
from mpp.malls.models import Mall
from mpp.regions.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from mpp.rollout.models import AgencyMember, StaffMember


def test_demo_creates_one_account_per_role_and_prints_the_screens(kukar, capsys):
    call_command("demo", no_serve=True, port=8123)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/mal/mpp-kukar/" in out
    assert "http://127.0.0.1:8123/api/v1/openapi.json" in out
    assert DEMO_PASSWORD in out
    users = get_user_model().objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    assert users.count() == len(DEMO_ACCOUNTS)
    kiosks = StaffProfile.objects.filter(role=Role.KIOSK)
    assert kiosks.count() == Mall.objects.count()
    assert kiosks.filter(user__username="kios-mpp-kukar", mall__slug="mpp-kukar").exists()
    assert set(StaffProfile.objects.values_list("role", flat=True)) == set(Role.values)
    supervisor = StaffProfile.objects.get(user__username="pengawas.loakulu")
    assert supervisor.mall.slug == "mini-mpp-loa-kulu"
    assert get_user_model().objects.get(username="pimpinan").check_password(DEMO_PASSWORD)
    # The rollout's partner agencies (issue 19) and its sample state.
    assert "Data contoh persiapan Mini MPP dimuat" in out
    members = {m.user.username: m for m in AgencyMember.objects.select_related("agency", "user")}
    assert {u: m.agency.code for u, m in members.items()} == {
        "pu": "dinas-pu",
        "bkpsdm": "bkpsdm",
        "diskominfo": "diskominfo",
        "camat.loakulu": "camat",
    }
    assert members["camat.loakulu"].district.name == "Loa Kulu"
    assert members["pu"].district is None
    assert StaffMember.objects.filter(user__username="petugas.dukcapil").exists()


def test_running_the_demo_again_keeps_the_data_and_edits(kukar, capsys):
    call_command("demo", no_serve=True)
    mall = Mall.objects.get(slug="mini-mpp-loa-kulu")
    mall.phone = "0541-123456"
    mall.save()
    users_before = get_user_model().objects.count()
    capsys.readouterr()

    call_command("demo", no_serve=True)

    out = capsys.readouterr().out
    assert "tidak dimuat ulang" in out
    assert "Akun demo dibuat" not in out
    assert "Data contoh persiapan" not in out
    mall.refresh_from_db()
    assert mall.phone == "0541-123456"
    assert get_user_model().objects.count() == users_before


def test_a_new_data_version_is_loaded(kukar, capsys):
    kukar.data_version = "lama"
    kukar.save()
    call_command("demo", no_serve=True)
    assert "Wilayah kukar dimuat" in capsys.readouterr().out
    kukar.refresh_from_db()
    assert kukar.data_version != "lama"
